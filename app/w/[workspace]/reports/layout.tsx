import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { SettingsTabs } from "../settings/tabs";
import "./print.css";

/** Reports: the monthly review, the forecast, goals and the strategy comparison. */
export default async function ReportsLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  await requireMember(workspace, "reports.read");
  const t = await getTranslations("reports");
  const tabs = [
    { href: `/w/${workspace}/reports/review`, label: t("tabs.review") },
    { href: `/w/${workspace}/reports/forecast`, label: t("tabs.forecast") },
    { href: `/w/${workspace}/reports/goals`, label: t("tabs.goals") },
    { href: `/w/${workspace}/reports/strategy`, label: t("tabs.strategy") },
  ];
  return (
    <div className="reports mx-auto max-w-6xl">
      <div className="print:hidden">
        <SettingsTabs tabs={tabs} />
      </div>
      <div className="mt-6">{children}</div>
    </div>
  );
}
