import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Kanban } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { defaultsFor } from "@/lib/pipelines/defaults";
import { listWorkspaceOptions } from "@/lib/pipelines/options";
import { listPipelineSummaries, listStagesWithDealCounts } from "@/lib/pipelines/queries";
import { buttonClass, Card, EmptyState } from "../../../../_components/ui";
import { OptionList } from "./_components/option-list";
import { CreatePipelineForm, PipelineList } from "./_components/pipeline-list";
import { StageEditor } from "./_components/stage-editor";
import { RequirementsEditor } from "./_components/requirements-editor";
import { getPipeline } from "@/lib/deals/queries";
import { listCustomFields, toFieldDef } from "@/lib/custom-fields/queries";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("pipelineSettings");
  return { title: t("metaTitle") };
}

/**
 * Settings → Pipelines: the workspace's pipelines (create, rename, order, duplicate, archive), the stages of the
 * one picked with ?pipeline=<id> (the first active one by default), and the deal-source and lost-reason lists.
 */
export default async function PipelineSettingsPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "pipelines.manage");
  const wanted = (await searchParams).pipeline;
  const [pipelines, options, t, locale] = await Promise.all([listPipelineSummaries(ctx), listWorkspaceOptions(ctx), getTranslations("pipelineSettings"), getLocale()]);
  // Only ids from this workspace's own list are ever queried; an unknown or foreign id falls back to the default.
  const selected = pipelines.find((p) => p.id === wanted) ?? pipelines.find((p) => !p.archived) ?? pipelines[0] ?? null;
  const [stages, rules, dealFields] = selected
    ? await Promise.all([listStagesWithDealCounts(ctx, selected.id), getPipeline(ctx, selected.id), listCustomFields(ctx, "deal")])
    : [[], null, []];

  return (
    <div className="space-y-6">
      <Card>
        <header className="border-b border-zinc-200 px-4 py-4 sm:px-6">
          <h2 className="text-base font-semibold">{t("pipelinesTitle")}</h2>
          <p className="mt-1 text-sm text-zinc-500">{t("pipelinesText")}</p>
        </header>
        <div className="border-b border-zinc-200 px-4 py-4 sm:px-6">
          <CreatePipelineForm slug={workspace} defaultStageNames={defaultsFor(locale).stages.map((s) => s.name)} />
        </div>
        <PipelineList slug={workspace} pipelines={pipelines} selectedId={selected?.id ?? null} />
      </Card>

      {selected ? (
        <Card id="stages" role="region" aria-labelledby="stages-title">
          <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-4 py-4 sm:px-6">
            <div className="min-w-0">
              <h2 id="stages-title" className="text-base font-semibold break-words">{t("stagesTitle", { name: selected.name })}</h2>
              <p className="mt-1 max-w-xl text-sm text-zinc-500">{t("stagesText")}</p>
            </div>
            <Link href={`/w/${workspace}/pipelines/${selected.id}`} className={buttonClass("secondary", "sm")}>
              <Kanban className="h-4 w-4" aria-hidden /> {t("openBoard")}
            </Link>
          </header>
          {selected.archived ? <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800 sm:px-6">{t("archivedNotice")}</p> : null}
          <StageEditor key={selected.id} slug={workspace} pipelineId={selected.id} stages={stages} />
          {rules ? (
            <div className="border-t border-zinc-200">
              <RequirementsEditor
                key={`rules-${selected.id}`}
                slug={workspace}
                pipelineId={selected.id}
                stages={rules.stages.map((s) => ({ id: s.id, name: s.name, requiredFields: s.requiredFields }))}
                dealFields={dealFields.map(toFieldDef)}
                cardFields={rules.pipeline.cardFields}
              />
            </div>
          ) : null}
        </Card>
      ) : (
        <EmptyState title={t("noPipelines")} description={t("noPipelinesText")} />
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="flex flex-col">
          <OptionList slug={workspace} kind="deal_source" options={options.deal_source} />
        </Card>
        <Card className="flex flex-col">
          <OptionList slug={workspace} kind="lost_reason" options={options.lost_reason} />
        </Card>
      </div>
    </div>
  );
}
