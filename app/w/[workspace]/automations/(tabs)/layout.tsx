import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { PageHeader } from "../../../../_components/ui";
import { SettingsTabs } from "../../settings/tabs";

/** Automations: the workflows list and, for admins, the engine's failed jobs. */
export default async function AutomationsLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace);
  const t = await getTranslations("automations");
  const tabs = [
    { href: `/w/${workspace}/automations`, label: t("workflowsTab") },
    ...(can(ctx.role, "contacts.read") ? [{ href: `/w/${workspace}/automations/scoring`, label: t("scoringTab") }] : []),
    ...(can(ctx.role, "automations.manage")
      ? [
          { href: `/w/${workspace}/automations/waiting`, label: t("waitingTab") },
          { href: `/w/${workspace}/automations/jobs`, label: t("jobsTab") },
        ]
      : []),
  ];
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader title={t("title")} description={t("description")} />
      <SettingsTabs tabs={tabs} />
      <div className="mt-6">{children}</div>
    </div>
  );
}
