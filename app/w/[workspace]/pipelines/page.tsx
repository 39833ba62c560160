import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Kanban } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listPipelineNames } from "@/lib/deals/queries";
import { EmptyState, PageHeader, buttonClass } from "../../../_components/ui";

export async function generateMetadata() {
  const t = await getTranslations("board");
  return { title: t("pipelines") };
}

/** Opens the first active pipeline's board. */
export default async function PipelinesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "deals.read");
  const [first] = await listPipelineNames(ctx, { activeOnly: true });
  if (first) redirect(`/w/${workspace}/pipelines/${first.id}`);
  const t = await getTranslations("board");
  return (
    <>
      <PageHeader title={t("pipelines")} />
      <EmptyState
        icon={<Kanban className="h-8 w-8" />}
        title={t("noPipelines")}
        description={t("noPipelinesText")}
        action={can(ctx.role, "pipelines.manage") ? <Link href={`/w/${workspace}/settings/pipelines`} className={buttonClass()}>{t("createPipeline")}</Link> : null}
      />
    </>
  );
}
