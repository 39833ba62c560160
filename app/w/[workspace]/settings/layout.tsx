import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { PageHeader } from "../../../_components/ui";
import { SettingsTabs } from "./tabs";

export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace);
  const t = await getTranslations("settings");
  const tImports = await getTranslations("imports");
  const tGoals = await getTranslations("goals");
  const tExports = await getTranslations("exports");
  const tApi = await getTranslations("api");
  const tWebhooks = await getTranslations("webhooks");
  const tabs = [
    ...(can(ctx.role, "settings.manage") ? [{ href: `/w/${workspace}/settings`, label: t("general") }] : []),
    { href: `/w/${workspace}/settings/members`, label: t("members") },
    ...(can(ctx.role, "pipelines.manage") ? [{ href: `/w/${workspace}/settings/pipelines`, label: t("pipelines") }] : []),
    ...(can(ctx.role, "settings.manage") ? [{ href: `/w/${workspace}/settings/fields`, label: t("fields") }] : []),
    ...(can(ctx.role, "data.import") ? [{ href: `/w/${workspace}/settings/import`, label: tImports("tab") }] : []),
    ...(can(ctx.role, "goals.manage") ? [{ href: `/w/${workspace}/settings/goals`, label: tGoals("tab") }] : []),
    { href: `/w/${workspace}/settings/export`, label: tExports("tab") },
    ...(can(ctx.role, "api.manage") ? [{ href: `/w/${workspace}/settings/api`, label: tApi("tab") }] : []),
    ...(can(ctx.role, "webhooks.manage") ? [{ href: `/w/${workspace}/settings/webhooks`, label: tWebhooks("tab") }] : []),
    ...(can(ctx.role, "audit.read") ? [{ href: `/w/${workspace}/settings/audit`, label: t("audit") }] : []),
    { href: `/w/${workspace}/settings/profile`, label: t("profile") },
  ];
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title={t("title")} />
      <SettingsTabs tabs={tabs} />
      <div className="mt-6">{children}</div>
    </div>
  );
}
