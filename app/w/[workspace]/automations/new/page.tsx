import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ArrowLeft } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { getBuilderOptions } from "@/lib/workflows/queries";
import { PageHeader } from "../../../../_components/ui";
import { draftFrom, type WorkflowDraft } from "../_components/draft";
import { WorkflowBuilder } from "../_components/workflow-builder";

export async function generateMetadata() {
  const t = await getTranslations("automations.builder");
  return { title: t("createTitle") };
}

/** A new workflow; `?example=demo-call` pre-fills "when a deal moves to Demo, call the owner the next day". */
export default async function NewWorkflowPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<{ example?: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "automations.manage");
  const options = await getBuilderOptions(ctx);
  const t = await getTranslations("automations");
  let initial: WorkflowDraft = draftFrom({
    name: "",
    enabled: true,
    trigger: { type: "deal.stage_changed" },
    conditions: { match: "all", rules: [] },
    actions: [{ type: "create_activity" }],
  });
  if ((await searchParams).example === "demo-call") {
    const pipeline = options.pipelines.find((p) => p.stages.some((s) => /^demo$/i.test(s.name))) ?? options.pipelines[0];
    const demo = pipeline?.stages.find((s) => /^demo$/i.test(s.name));
    initial = draftFrom({
      name: t("exampleName"),
      enabled: true,
      trigger: { type: "deal.stage_changed", pipelineId: pipeline?.id, stageId: demo?.id },
      conditions: { match: "all", rules: [] },
      actions: [{ type: "create_activity", activityType: "call", subject: t("exampleSubject"), assignTo: "deal_owner", dueIn: 1, dueUnit: "days" }],
    });
  }
  return (
    <div className="mx-auto max-w-4xl">
      <Link href={`/w/${slug}/automations`} className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ArrowLeft className="h-4 w-4" aria-hidden /> {t("runs.back")}
      </Link>
      <PageHeader title={t("builder.createTitle")} />
      <WorkflowBuilder slug={slug} initial={initial} options={options} />
    </div>
  );
}
