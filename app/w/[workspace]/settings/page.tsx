import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { Card } from "../../../_components/ui";
import { WorkspaceForm } from "./workspace-form";
import { CustomerLifespanForm } from "./clv-form";
import { customerLifespanMonths } from "@/lib/reports/settings";
import { settingsMetadata } from "./metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("settings"))("general"));
}

export default async function GeneralSettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  // The sidebar's "Settings" lands here: members without the general settings start at the member list.
  const member = await requireMember(workspace);
  if (!can(member.role, "settings.manage")) redirect(`/w/${workspace}/settings/members`);
  const ctx = await requireMember(workspace, "settings.manage");
  const t = await getTranslations("settings");
  const lifespanMonths = await customerLifespanMonths(ctx);
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="mb-4 text-base font-semibold">{t("workspaceSection")}</h2>
        <WorkspaceForm slug={workspace} workspace={ctx.workspace} />
      </Card>
      <Card className="p-6">
        <h2 className="mb-1 text-base font-semibold">{t("clvSection")}</h2>
        <p className="mb-4 text-sm text-zinc-500">{t("clvText")}</p>
        <CustomerLifespanForm slug={workspace} months={lifespanMonths} />
      </Card>
    </div>
  );
}
