import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { formatMoney } from "@/lib/format";
import { listGoals } from "@/lib/goals/queries";
import { reviewOwners } from "@/lib/reports/review";
import { Card } from "../../../../_components/ui";
import { DeleteGoalButton, GoalForm } from "./goal-forms";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("goals"))("tab"));
}

/** Settings → Goals: workspace and member targets per month or quarter (managers and up). */
export default async function GoalsSettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "goals.manage");
  const [goals, members] = await Promise.all([listGoals(ctx), reviewOwners(ctx)]);
  const t = await getTranslations("goals");
  const locale = await getLocale();
  const number = new Intl.NumberFormat(locale);
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="mb-1 text-base font-semibold">{t("addTitle")}</h2>
        <p className="mb-4 text-sm text-zinc-500">{t("addText")}</p>
        <GoalForm slug={slug} members={members} currency={ctx.workspace.currency} />
      </Card>
      <Card>
        <div className="flex items-center justify-between border-b border-zinc-200 px-6 py-4">
          <h2 className="text-base font-semibold">{t("listTitle", { count: goals.length })}</h2>
          <Link href={`/w/${slug}/reports/goals`} className="text-sm text-brand-700 hover:underline">
            {t("seeProgress")}
          </Link>
        </div>
        {goals.length === 0 ? <p className="px-6 py-8 text-center text-sm text-zinc-500">{t("empty")}</p> : null}
        <ul className="divide-y divide-zinc-100">
          {goals.map((g) => {
            const who = g.userId ? (g.userName ?? "—") : t("workspace");
            const target = g.metric === "won_value" ? formatMoney(g.target, ctx.workspace.currency, locale) : number.format(g.target);
            return (
              <li key={g.id} className="flex items-center justify-between gap-3 px-6 py-3 text-sm" data-testid="goal-row">
                <span>
                  <span className="font-medium text-zinc-900">{who}</span> · {t(`metrics.${g.metric}`)} · {t(`periods.${g.period}`)}
                </span>
                <span className="flex items-center gap-2">
                  <span className="tabular-nums font-medium">{target}</span>
                  <DeleteGoalButton slug={slug} goalId={g.id} label={t("delete", { who, metric: t(`metrics.${g.metric}`) })} />
                </span>
              </li>
            );
          })}
        </ul>
      </Card>
    </div>
  );
}
