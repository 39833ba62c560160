import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ArrowLeft, History } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getBuilderOptions, getWorkflow } from "@/lib/workflows/queries";
import { PageHeader, buttonClass } from "../../../../_components/ui";
import { draftFrom } from "../_components/draft";
import { WorkflowBuilder } from "../_components/workflow-builder";

export async function generateMetadata() {
  const t = await getTranslations("automations.builder");
  return { title: t("editTitle") };
}

export default async function EditWorkflowPage({ params }: { params: Promise<{ workspace: string; workflowId: string }> }) {
  const { workspace: slug, workflowId } = await params;
  const ctx = await requireMember(slug, "automations.manage");
  if (!/^[0-9a-f-]{36}$/i.test(workflowId)) notFound();
  const workflow = await getWorkflow(ctx, workflowId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const options = await getBuilderOptions(ctx);
  const t = await getTranslations("automations");
  return (
    <div className="mx-auto max-w-4xl">
      <Link href={`/w/${slug}/automations`} className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ArrowLeft className="h-4 w-4" aria-hidden /> {t("runs.back")}
      </Link>
      <PageHeader
        title={t("builder.editTitle")}
        actions={
          <Link href={`/w/${slug}/automations/${workflow.id}/runs`} className={buttonClass("secondary")}>
            <History className="h-4 w-4" aria-hidden /> {t("runLog")}
          </Link>
        }
      />
      <WorkflowBuilder key={workflow.updatedAt.toISOString()} slug={slug} workflowId={workflow.id} initial={draftFrom(workflow)} options={options} />
    </div>
  );
}
