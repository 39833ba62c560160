import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Target } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { addDaysToDate } from "@/lib/activities/time";
import { can } from "@/lib/auth/permissions";
import { goalProgress, type GoalProgress } from "@/lib/goals/queries";
import { buttonClass, EmptyState, PageHeader } from "../../../../_components/ui";
import { drillHref, goalTarget } from "@/lib/reports/drilldown";
import { FigureLink, describePeriod, makeFormat, type ReportFormat, type ReportsT } from "../_components/report-ui";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("goals.title") };
}

/** Goal progress this month / quarter: bars, the gap in words, and the open deals most likely to fill it. */
export default async function GoalsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "reports.read");
  const list = await goalProgress(ctx);
  const locale = await getLocale();
  const t = await getTranslations("reports");
  const fmt = makeFormat(locale, ctx.workspace.currency);
  const manage = can(ctx.role, "goals.manage");
  return (
    <>
      <PageHeader
        title={t("goals.title")}
        description={t("goals.description")}
        actions={
          manage ? (
            <Link href={`/w/${slug}/settings/goals`} className={buttonClass("secondary")} data-print="hide">
              {t("goals.manage")}
            </Link>
          ) : null
        }
      />
      {list.length === 0 ? (
        <EmptyState
          icon={<Target className="h-8 w-8" aria-hidden />}
          title={t("goals.emptyTitle")}
          description={manage ? t("goals.emptyManage") : t("goals.emptyAsk")}
          action={
            manage ? (
              <Link href={`/w/${slug}/settings/goals`} className={buttonClass()}>
                {t("goals.setFirst")}
              </Link>
            ) : null
          }
        />
      ) : (
        <ul className="grid grid-cols-1 gap-4">
          {list.map((g) => (
            <GoalCard key={g.id} goal={g} fmt={fmt} t={t} slug={slug} locale={locale} />
          ))}
        </ul>
      )}
    </>
  );
}

function goalValue(fmt: ReportFormat, metric: string, v: number): string {
  return metric === "won_value" ? fmt.money(v) : fmt.int(v);
}

function GoalCard({ goal: g, fmt, t, slug, locale }: { goal: GoalProgress; fmt: ReportFormat; t: ReportsT; slug: string; locale: string }) {
  const who = g.userId ? (g.userName ?? t("noOwner")) : t("goals.workspace");
  const metric = t(`goals.metrics.${g.metric}`);
  const target = goalValue(fmt, g.metric, g.target);
  const gapText =
    g.gap.state === "reached"
      ? t("goals.reached", { achieved: goalValue(fmt, g.metric, g.achieved), target })
      : g.metric === "won_value"
        ? t("goals.gapValue", { remaining: fmt.money(g.gap.remaining), target })
        : t(`goals.gapCount.${g.metric}`, { remaining: g.gap.remaining, target: g.target });
  const percent = Math.round(g.share * 100);
  return (
    <li className="rounded-lg border border-zinc-200 bg-white p-4 shadow-xs" data-testid="goal">
      <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
        <h2 className="text-sm font-semibold text-zinc-900">
          {t("goals.cardTitle", { who, metric })}
        </h2>
        <p className="text-xs text-zinc-500">{describePeriod(t, g.periodInfo, locale)}</p>
      </div>
      <div
        className="mt-3 h-3 w-full overflow-hidden rounded-full bg-zinc-100"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={t("goals.progressLabel", { who, metric })}
      >
        <div className={g.gap.state === "reached" ? "h-full bg-emerald-500" : "h-full bg-brand-600"} style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-2 text-sm text-zinc-700">
        <span className="font-medium tabular-nums">
          <FigureLink href={g.achieved ? drillHref(slug, goalTarget(g.metric, g.periodInfo, g.userId, fmt.currency)) : null}>{goalValue(fmt, g.metric, g.achieved)}</FigureLink> / {target}
        </span>{" "}
        · {gapText}
      </p>
      {g.candidates.length ? (
        <div className="mt-3">
          <p className="text-xs font-medium text-zinc-500">
            {/* deals expected within the period come first (lib/goals/queries.ts): when the first is not, none is */}
            {g.candidates[0]!.inPeriod ? t("goals.candidatesTitle") : t("goals.candidatesLater", { date: fmt.date(addDaysToDate(g.periodInfo.endDate, -1)) })}
          </p>
          <ul className="mt-1 divide-y divide-zinc-100 text-sm">
            {g.candidates.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
                <Link href={`/w/${slug}/deals/${d.id}`} className="font-medium text-brand-700 hover:underline">
                  {d.title}
                </Link>
                <span className="text-xs text-zinc-500">
                  {t("goals.candidateLine", {
                    value: fmt.money(d.value, d.currency),
                    probability: d.probability,
                    score: d.score ?? 0,
                    date: d.expectedCloseDate ? fmt.date(d.expectedCloseDate) : t("goals.noDate"),
                  })}
                  {d.fillsGap ? <span className="ml-2 rounded-full bg-emerald-50 px-2 py-0.5 text-emerald-700">{t("goals.fills")}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}
