import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { Card } from "../../../_components/ui";
import { WorkspaceForm } from "./workspace-form";

export default async function GeneralSettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "settings.manage");
  const t = await getTranslations("settings");
  return (
    <Card className="p-6">
      <h2 className="mb-4 text-base font-semibold">{t("workspaceSection")}</h2>
      <WorkspaceForm slug={workspace} workspace={ctx.workspace} />
    </Card>
  );
}
