import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Plus, Workflow } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listWorkflows } from "@/lib/workflows/queries";
import { listPipelineNames } from "@/lib/deals/queries";
import { getStageNames } from "@/lib/workflows/queries";
import { Badge, Card, EmptyState, buttonClass } from "../../../../_components/ui";
import { EnabledSwitch } from "../_components/enabled-switch";
import { describeTrigger } from "../_components/summary";
import { WorkflowMenu } from "../_components/workflow-menu";

export async function generateMetadata() {
  const t = await getTranslations("automations");
  return { title: t("title") };
}

/** The workflows of the workspace: what each does, whether it is on, how often it ran. Read-only below admin. */
export default async function WorkflowsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug);
  const manage = can(ctx.role, "automations.manage");
  const list = await listWorkflows(ctx);
  const stageIds = list.flatMap((w) => [w.trigger.stageId, w.trigger.fromStageId]).filter((id): id is string => !!id);
  const [stageNames, pipelines] = await Promise.all([getStageNames(ctx, stageIds), listPipelineNames(ctx)]);
  const names = { stages: stageNames, pipelines: new Map(pipelines.map((p) => [p.id, p.name])) };
  const t = await getTranslations("automations");
  const format = await getFormatter();
  const newButtons = manage ? (
    <div className="flex flex-wrap gap-2">
      <Link href={`/w/${slug}/automations/new`} className={buttonClass("primary")}>
        <Plus className="h-4 w-4" aria-hidden /> {t("newWorkflow")}
      </Link>
    </div>
  ) : null;

  if (list.length === 0) {
    return (
      <EmptyState
        icon={<Workflow className="h-8 w-8" aria-hidden />}
        title={t("emptyTitle")}
        description={t("emptyText")}
        action={
          manage ? (
            <div className="flex flex-wrap justify-center gap-2">
              <Link href={`/w/${slug}/automations/new?example=demo-call`} className={buttonClass("secondary")}>
                {t("example")}
              </Link>
              {newButtons}
            </div>
          ) : (
            <p className="text-sm text-zinc-500">{t("readOnly")}</p>
          )
        }
      />
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        {manage ? <span /> : <p className="text-sm text-zinc-500">{t("readOnly")}</p>}
        {newButtons}
      </div>
      <Card>
        <ul className="divide-y divide-zinc-100">
          {list.map((w) => (
            <li key={w.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center">
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  {manage ? (
                    <Link href={`/w/${slug}/automations/${w.id}`} className="font-medium text-zinc-900 hover:underline">
                      {w.name}
                    </Link>
                  ) : (
                    <span className="font-medium text-zinc-900">{w.name}</span>
                  )}
                  {!manage ? <Badge>{w.enabled ? t("enabledState") : t("disabledState")}</Badge> : null}
                </div>
                <p className="mt-1 text-sm text-zinc-600">{describeTrigger(t, w.trigger, names)}</p>
                <p className="mt-0.5 text-xs text-zinc-500">
                  {w.actionTypes.map((type) => t(`actionTypes.${type}`)).join(" → ")}
                  {" · "}
                  {manage ? (
                    <Link href={`/w/${slug}/automations/${w.id}/runs`} className="text-brand-700 underline underline-offset-2 hover:no-underline">
                      {t("runCount", { runs: w.runs, failed: w.failed })}
                    </Link>
                  ) : (
                    t("runCount", { runs: w.runs, failed: w.failed })
                  )}
                  {" · "}
                  {w.lastRunAt ? t("lastRun", { when: format.relativeTime(w.lastRunAt, ctx.now) }) : t("neverRun")}
                </p>
              </div>
              {manage ? (
                <div className="flex items-center gap-2 self-end sm:self-auto">
                  <EnabledSwitch slug={slug} workflowId={w.id} name={w.name} enabled={w.enabled} />
                  <WorkflowMenu slug={slug} workflowId={w.id} name={w.name} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
