import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { getLocale, getTranslations } from "next-intl/server";
import { FileSpreadsheet, FileText, Printer } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { limitedToOwnDeals } from "@/lib/deals/scope";
import { currencyDigits } from "@/lib/format";
import { Suspense, type ReactNode } from "react";
import { reviewOwners, type Kpi, type KpiKey } from "@/lib/reports/review";
import { BOTTLENECK_MIN_OPEN } from "@/lib/reports/math";
import { formatPoints, kpiChange, signed } from "@/lib/reports/kpi-change";
import { startReviewSections, type ReviewSections } from "@/lib/reports/review-loaders";
import { periodParams } from "@/lib/reports/period";
import { isSubscribed } from "@/lib/reports/subscriptions";
import { PageHeader, buttonClass } from "../../../../_components/ui";
import { cn } from "../../../../_components/cn";
import { BarsChart } from "../_components/charts";
import { ReportFilters } from "../_components/filters";
import { firstValues, readReportParams, recentPeriods } from "../_components/params";
import { closedTarget, completedActivities, drillHref, kpiTarget, noNextTarget, stageTargets, type DrillScope } from "@/lib/reports/drilldown";
import { ChartWithTable, DataTable, FigureLink, Note, Section, describePeriod, makeFormat, type ReportFormat, type ReportsT as T } from "../_components/report-ui";
import { PrintButton } from "../_components/print-button";
import { SubscribeForm } from "../_components/subscribe-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("review.title") };
}

/** The monthly pipeline review: KPIs against the previous period, funnel and bottleneck, time in stage, won/lost, activity. */
export default async function ReviewPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "reports.read");
  const raw = firstValues(await searchParams);
  const rp = readReportParams(raw, ctx);
  const limited = limitedToOwnDeals(ctx);
  // a pipeline id that is not this workspace's is "not found", like every other foreign id (before anything streams)
  const review = await startReviewSections(ctx, { period: rp.period, pipelineId: rp.pipelineId, ownerId: limited ? null : rp.ownerId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const [owners, subscribed] = await Promise.all([limited ? null : reviewOwners(ctx), can(ctx.role, "reports.subscribe") ? isSubscribed(ctx) : null]);
  const pipelines = review.pipelines;
  const locale = await getLocale();
  const t = await getTranslations("reports");
  const fmt = makeFormat(locale, review.currency);
  const { months, quarters } = recentPeriods(ctx);
  const scopeParams = { pipelineId: rp.pipelineId, owner: limited ? null : rp.ownerId };
  const query = new URLSearchParams({ ...periodParams(review.period), ...(rp.pipelineId ? { pipelineId: rp.pipelineId } : {}), ...(rp.ownerId && !limited ? { ownerId: rp.ownerId } : {}) });
  const exportHref = (format: "xlsx" | "csv") => `/w/${slug}/reports/review/export?${query.toString()}&format=${format}`;
  const periodLabel = describePeriod(t, review.period, locale);
  const props = { review, fmt, t, slug, locale, scopeParams };

  return (
    <>
      <PageHeader
        title={t("review.title")}
        description={t("review.description", { period: periodLabel, previous: describePeriod(t, review.previousPeriod, locale) })}
        actions={
          <div className="flex flex-wrap gap-2" data-print="hide">
            {can(ctx.role, "data.export") ? (
              <>
                <a href={exportHref("xlsx")} className={buttonClass("secondary")} download>
                  <FileSpreadsheet className="h-4 w-4" aria-hidden /> {t("export.xlsx")}
                </a>
                <a href={exportHref("csv")} className={buttonClass("secondary")} download>
                  <FileText className="h-4 w-4" aria-hidden /> {t("export.csv")}
                </a>
              </>
            ) : null}
            <PrintButton label={t("print")} icon={<Printer className="h-4 w-4" aria-hidden />} />
          </div>
        }
      />
      <ReportFilters period={review.period} pipelineId={rp.pipelineId} ownerId={rp.ownerId} pipelines={pipelines} owners={owners} months={months} quarters={quarters} />
      {limited ? <Note>{t("review.limitedNote")}</Note> : null}

      {/* Each section streams on its own (its figures are still in the HTML the server sends, no client fetching). */}
      <Suspense fallback={<SectionSkeleton label={t("loading")} kind="kpis" />}>
        <KpiSection {...props} strategyHref={`/w/${slug}/reports/strategy?${query.toString()}`} />
      </Suspense>
      <Suspense fallback={null}>
        <AccuracySection {...props} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton label={t("loading")} kind="chart" />}>
        <FunnelSection {...props} pipelines={pipelines} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton label={t("loading")} kind="chart" />}>
        <WonLostSection {...props} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton label={t("loading")} kind="tables" />}>
        <ActivitySection {...props} />
      </Suspense>

      {subscribed !== null ? (
        <div data-print="hide">
          <SubscribeForm slug={slug} subscribed={subscribed} />
        </div>
      ) : null}
    </>
  );
}

type SectionProps = { review: ReviewSections; fmt: ReportFormat; t: T; slug: string; locale: string; scopeParams: DrillScope };

/** The shape of a section while its figures compute. */
function SectionSkeleton({ label, kind }: { label: string; kind: "kpis" | "chart" | "tables" }): ReactNode {
  return (
    <div role="status" aria-live="polite" className="mb-8 animate-pulse" data-print="hide">
      <span className="sr-only">{label}</span>
      <div className="mb-3 h-5 w-40 rounded bg-zinc-200" />
      {kind === "kpis" ? (
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          {Array.from({ length: 10 }, (_, i) => (
            <div key={i} className="h-24 rounded-lg border border-zinc-200 bg-white" />
          ))}
        </div>
      ) : (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          <div className="h-64 rounded-lg border border-zinc-200 bg-white" />
          <div className="h-64 rounded-lg border border-zinc-200 bg-white" />
        </div>
      )}
    </div>
  );
}

async function KpiSection({ review, fmt, t, slug, locale, scopeParams, strategyHref }: SectionProps & { strategyHref: string }) {
  const [list, current] = await Promise.all([review.kpis, review.current]);
  const kpiHref = (key: KpiKey) => drillHref(slug, kpiTarget(key, review.period, scopeParams, review.currency));
  return (
    <>
      {current.excludedCurrencies.length ? (
        <Note>
          {t("review.currencyNote", {
            currency: review.currency,
            list: current.excludedCurrencies.map((e) => `${fmt.int(e.dealsWon)} × ${e.currency} (${fmt.money(e.wonValue, e.currency)})`).join(", "),
          })}
        </Note>
      ) : null}
      <Section title={t("review.kpisTitle")} id="kpis">
        <ul className="grid grid-cols-2 gap-3 lg:grid-cols-5" data-testid="kpis">
          {list.map((k) => (
            <KpiCard key={k.key} kpi={k} fmt={fmt} t={t} locale={locale} href={kpiHref(k.key)} />
          ))}
        </ul>
        <p className="mt-2 text-xs text-zinc-500">
          {t("review.kpiFootnote")}{" "}
          <Link href={strategyHref} className="underline">
            {t("review.strategyLink")}
          </Link>
        </p>
      </Section>
    </>
  );
}

function formatKpi(fmt: ReportFormat, key: KpiKey, v: number | null): string {
  switch (key) {
    case "wonRevenue":
    case "averageDealSize":
    case "customerLifetimeValue":
      return fmt.money(v);
    case "salesVelocity":
      return fmt.money(v);
    case "winRate":
    case "leadConversion":
      return fmt.percent(v);
    case "salesCycleDays":
      return fmt.days(v);
    default:
      return fmt.int(v);
  }
}

/** A KPI figure with its unit, as the card shows it ("77.0 days", "$9,724.70 per day"): the previous figure reads the same. */
function kpiWithUnit(fmt: ReportFormat, t: T, key: KpiKey, v: number | null): string {
  const figure = formatKpi(fmt, key, v);
  if (v === null) return figure;
  if (key === "salesCycleDays") return `${figure} ${t("daysUnit")}`;
  if (key === "salesVelocity") return `${figure} ${t("perDay")}`;
  return figure;
}

/** The change beside a KPI: points for rates, relative for amounts, counts and durations (lib/reports/kpi-change.ts). */
function formatChange(fmt: ReportFormat, t: T, locale: string, kpi: Kpi): string | null {
  const c = kpiChange(kpi);
  if (!c) return null;
  if (c.kind === "points") return t("changePoints", { value: formatPoints(c.points, locale) });
  if (c.kind === "relative") return signed(c.ratio, (m) => fmt.percent(m));
  return signed(c.delta, (m) => formatKpi(fmt, kpi.key, m));
}

function KpiCard({ kpi, fmt, t, locale, href }: { kpi: Kpi; fmt: ReportFormat; t: T; locale: string; href: string | null }) {
  const value = formatKpi(fmt, kpi.key, kpi.value);
  const lowerIsBetter = kpi.key === "salesCycleDays";
  const good = kpi.delta === null || kpi.delta === 0 ? null : lowerIsBetter ? kpi.delta < 0 : kpi.delta > 0;
  const change = formatChange(fmt, t, locale, kpi);
  return (
    // the figure's size follows the card's width (a container query), so an amount such as "US$1,234,567.89" stays
    // on one line in five columns; it breaks only where even the smallest size cannot hold it
    <li className="@container min-w-0 rounded-lg border border-zinc-200 bg-white p-3 shadow-xs" data-kpi={kpi.key}>
      <p className="text-xs font-medium text-zinc-500">{t(`kpi.${kpi.key}`)}</p>
      <p className="mt-1 text-base font-semibold tabular-nums text-zinc-900 [overflow-wrap:anywhere] @min-[13rem]:text-lg @min-[16rem]:text-xl">
        <FigureLink href={href} label={t(kpi.key === "activitiesCompleted" ? "openActivitiesBehind" : "openDealsBehind", { figure: `${t(`kpi.${kpi.key}`)} ${value}` })}>
          {value}
        </FigureLink>
        {kpi.key === "salesVelocity" && kpi.value !== null ? <span className="text-sm font-normal text-zinc-500"> {t("perDay")}</span> : null}
        {kpi.key === "salesCycleDays" && kpi.value !== null ? <span className="text-sm font-normal text-zinc-500"> {t("daysUnit")}</span> : null}
      </p>
      <p className="mt-1 text-xs text-zinc-500">
        {t("previousValue", { value: kpiWithUnit(fmt, t, kpi.key, kpi.previous) })}
        {/* the change on a line of its own in every card: inline, it wrapped in some cards only, led by its "·" */}
        {change ? <span className={cn("block whitespace-nowrap", good !== null && (good ? "text-emerald-700" : "text-red-700"))}>{change}</span> : null}
      </p>
    </li>
  );
}

async function AccuracySection({ review, fmt, t, slug, scopeParams }: SectionProps) {
  const a = await review.accuracy;
  if (!a) return null;
  // the deals won in the month (workspace currency, as the won figure); the snapshot holds totals, not deal ids
  const wonHref = a.won ? drillHref(slug, kpiTarget("wonRevenue", review.period, scopeParams, review.currency)) : null;
  return (
    <Section title={t("accuracy.title")} description={t("accuracy.description", { date: fmt.date(a.takenAt.toISOString().slice(0, 10)) })} id="accuracy">
      <DataTable
        caption={t("accuracy.title")}
        head={[t("accuracy.measure"), t("accuracy.value")]}
        rows={[
          [t("accuracy.weighted"), fmt.money(a.weighted)],
          [t("accuracy.unweighted"), fmt.money(a.unweighted)],
          [
            t("accuracy.won"),
            <FigureLink key="w" href={wonHref}>
              {fmt.money(a.won)}
            </FigureLink>,
          ],
          [
            t("accuracy.ratio"),
            <FigureLink key="r" href={wonHref}>
              {fmt.percent(a.accuracy)}
            </FigureLink>,
          ],
        ]}
      />
      <p className="mt-2 text-xs text-zinc-500">{t("accuracy.snapshotNote", { deals: fmt.int(a.forecastDeals) })}</p>
    </Section>
  );
}

async function FunnelSection({ review, fmt, t, slug, locale, scopeParams, pipelines }: SectionProps & { pipelines: { id: string; name: string }[] }) {
  const stageData = await review.stages;
  if (!stageData) return <Section title={t("funnel.title")}>{t("funnel.noPipeline")}</Section>;
  const { funnel, bottleneck, stuck } = stageData;
  const openDeals = funnel.reduce((sum, s) => sum + s.openDeals, 0);
  const pipelineName = pipelines.find((p) => p.id === review.stagePipelineId)?.name ?? "";
  const stageScope: DrillScope = { ...scopeParams, pipelineId: review.stagePipelineId };
  return (
    <>
      <Section title={t("funnel.title")} description={t("funnel.description", { pipeline: pipelineName })} id="funnel">
        <div className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-xs" data-testid="bottleneck">
          {bottleneck ? (
            <>
              <p className="text-sm font-medium text-zinc-900">
                {bottleneck.timesLonger !== null && bottleneck.timesLonger >= 1
                  ? t("funnel.bottleneck", { stage: bottleneck.name, share: fmt.percent(bottleneck.share), times: fmt.times(bottleneck.timesLonger) })
                  : t("funnel.bottleneckShare", { stage: bottleneck.name, share: fmt.percent(bottleneck.share) })}
              </p>
              {stuck.length ? (
                <>
                  <p className="mt-2 text-xs text-zinc-500">{t("funnel.stuckTitle")}</p>
                  <ul className="mt-1 divide-y divide-zinc-100 text-sm">
                    {stuck.map((d) => (
                      <li key={d.id} className="flex flex-wrap justify-between gap-2 py-1.5">
                        <Link href={`/w/${slug}/deals/${d.id}`} className="font-medium text-brand-700 hover:underline">
                          {d.title}
                        </Link>
                        <span className="text-zinc-500">
                          {t("funnel.stuckLine", { days: d.days, owner: d.ownerName ?? t("noOwner"), value: fmt.money(d.value, d.currency) })}
                        </span>
                      </li>
                    ))}
                  </ul>
                  <p className="mt-2 text-sm">
                    <Link href={drillHref(slug, stageTargets.stuck(bottleneck.stageId, stageScope))} className="text-brand-700 hover:underline">
                      {t("funnel.allStuck")}
                    </Link>
                  </p>
                </>
              ) : null}
            </>
          ) : (
            <p className="text-sm text-zinc-600">
              {/* "spread evenly" only when there are enough open deals to compare (detectBottleneck's floor) */}
              {openDeals === 0 ? t("funnel.noOpenDeals") : openDeals < BOTTLENECK_MIN_OPEN ? t("funnel.fewOpenDeals", { count: openDeals }) : t("funnel.noBottleneck")}
            </p>
          )}
        </div>
        <ChartWithTable
          empty={funnel.every((s) => !s.entered && !s.converted && !s.openDeals) ? t("funnel.emptyChart") : undefined}
          chart={
            <BarsChart
              locale={locale}
              data={funnel.map((s) => ({ name: s.name, entered: s.entered, converted: s.converted, open: s.openDeals }))}
              series={[
                { key: "entered", label: t("funnel.entered"), color: "#4f46e5" },
                { key: "converted", label: t("funnel.converted"), color: "#10b981" },
                { key: "open", label: t("funnel.openNow"), color: "#f59e0b" },
              ]}
            />
          }
          table={
            <DataTable
              caption={t("funnel.title")}
              head={[t("funnel.stage"), t("funnel.entered"), t("funnel.conversion"), t("funnel.openNow"), t("funnel.stuck")]}
              rows={funnel.map((s) => [
                s.name,
                <FigureLink key="e" href={s.entered ? drillHref(slug, stageTargets.entered(s.stageId, review.period, stageScope)) : null}>
                  {fmt.int(s.entered)}
                </FigureLink>,
                s.conversion === null ? (
                  "—"
                ) : (
                  <FigureLink key="c" href={s.converted ? drillHref(slug, stageTargets.converted(s.stageId, review.period, stageScope)) : null}>
                    {`${fmt.percent(s.conversion)} (${fmt.int(s.converted)})`}
                  </FigureLink>
                ),
                <FigureLink key="o" href={s.openDeals ? drillHref(slug, stageTargets.open(s.stageId, stageScope)) : null}>
                  {fmt.int(s.openDeals)}
                </FigureLink>,
                <FigureLink key="s" href={s.stuckDeals ? drillHref(slug, stageTargets.stuck(s.stageId, stageScope)) : null}>
                  {fmt.int(s.stuckDeals)}
                </FigureLink>,
              ])}
            />
          }
        />
      </Section>
      <Section title={t("timeInStage.title")} description={t("timeInStage.description")} id="time-in-stage">
        <ChartWithTable
          stacked
          empty={funnel.every((s) => !s.stays && !s.openDeals) ? t("timeInStage.emptyChart") : undefined}
          chart={
            <BarsChart
              locale={locale}
              data={funnel.map((s) => ({ name: s.name, avg: Number((s.averageDays ?? 0).toFixed(1)), age: Number((s.averageAgeDays ?? 0).toFixed(1)) }))}
              series={[
                { key: "avg", label: t("timeInStage.average"), color: "#4f46e5" },
                { key: "age", label: t("timeInStage.openAge"), color: "#f59e0b" },
              ]}
            />
          }
          table={
            <DataTable
              caption={t("timeInStage.title")}
              head={[t("funnel.stage"), t("timeInStage.stays"), t("timeInStage.average"), t("timeInStage.median"), t("timeInStage.openAge"), t("timeInStage.openMedian"), t("timeInStage.openValue")]}
              rows={funnel.map((s) => {
                // completed stays: the deals that left the stage in the period; open age: the open deals in it now
                const left = s.stays ? drillHref(slug, stageTargets.left(s.stageId, review.period, stageScope)) : null;
                const open = s.openDeals ? drillHref(slug, stageTargets.open(s.stageId, stageScope)) : null;
                return [
                  s.name,
                  <FigureLink key="n" href={left}>
                    {fmt.int(s.stays)}
                  </FigureLink>,
                  <FigureLink key="a" href={left}>
                    {fmt.days(s.averageDays)}
                  </FigureLink>,
                  <FigureLink key="m" href={left}>
                    {fmt.days(s.medianDays)}
                  </FigureLink>,
                  <FigureLink key="oa" href={open}>
                    {fmt.days(s.averageAgeDays)}
                  </FigureLink>,
                  <FigureLink key="om" href={open}>
                    {fmt.days(s.medianAgeDays)}
                  </FigureLink>,
                  <FigureLink key="v" href={s.openDeals ? drillHref(slug, stageTargets.open(s.stageId, stageScope, review.currency)) : null}>
                    {fmt.money(s.openValue)}
                  </FigureLink>,
                ];
              })}
            />
          }
        />
      </Section>
    </>
  );
}

async function WonLostSection({ review, fmt, t, slug, scopeParams, locale }: SectionProps) {
  const w = await review.wonLost;
  const digits = 10 ** currencyDigits(review.currency);
  const ownerRows = mergeBy(w.wonByOwner, w.lostByOwner);
  const sourceRows = mergeBy(w.wonBySource, w.lostBySource);
  // a group without an owner / source is filtered with the "none" forms of those filters
  const closed = (group: Parameters<typeof closedTarget>[3], status: "won" | "lost") => drillHref(slug, closedTarget(status, review.period, scopeParams, group));
  // values are sums in the workspace currency: their deals are that currency's
  const closedValue = (group: Parameters<typeof closedTarget>[3], status: "won" | "lost") => drillHref(slug, closedTarget(status, review.period, scopeParams, group, review.currency));
  const ownerOf = (key: string | null) => ({ owner: key });
  const sourceOf = (key: string | null) => ({ source: key });
  return (
    <Section title={t("wonLost.title")} id="won-lost">
      <div className="grid grid-cols-1 gap-6">
        <ChartWithTable
          empty={ownerRows.length === 0 ? t("wonLost.none") : undefined}
          chart={
            <BarsChart
              locale={locale}
              currency={review.currency}
              layout="vertical"
              data={ownerRows.map((r) => ({ name: r.label ?? t("noOwner"), won: r.wonValue / digits }))}
              series={[{ key: "won", label: t("wonLost.wonValue"), color: "#10b981", money: true }]}
            />
          }
          table={
            <DataTable
              caption={t("wonLost.byOwner")}
              head={[t("wonLost.owner"), t("wonLost.won"), t("wonLost.wonValue"), t("wonLost.lost")]}
              empty={t("wonLost.none")}
              rows={ownerRows.map((r) => [
                r.label ?? t("noOwner"),
                <FigureLink key="w" href={r.won ? closed(ownerOf(r.key), "won") : null}>
                  {fmt.int(r.won)}
                </FigureLink>,
                <FigureLink key="v" href={r.wonValue ? closedValue(ownerOf(r.key), "won") : null}>
                  {fmt.money(r.wonValue)}
                </FigureLink>,
                <FigureLink key="l" href={r.lost ? closed(ownerOf(r.key), "lost") : null}>
                  {fmt.int(r.lost)}
                </FigureLink>,
              ])}
            />
          }
        />
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          <DataTable
            caption={t("wonLost.byReason")}
            head={[t("wonLost.reason"), t("wonLost.lost"), t("wonLost.lostValue")]}
            empty={t("wonLost.none")}
            rows={w.lostByReason.map((r) => [
              r.label ?? t("wonLost.noReason"),
              <FigureLink key="l" href={r.key ? closed({ lostReason: r.key }, "lost") : null}>
                {fmt.int(r.count)}
              </FigureLink>,
              <FigureLink key="v" href={r.key && r.value ? closedValue({ lostReason: r.key }, "lost") : null}>
                {fmt.money(r.value)}
              </FigureLink>,
            ])}
          />
          <DataTable
            caption={t("wonLost.bySource")}
            head={[t("wonLost.source"), t("wonLost.won"), t("wonLost.wonValue"), t("wonLost.lost")]}
            empty={t("wonLost.none")}
            rows={sourceRows.map((r) => [
              r.label ?? t("wonLost.noSource"),
              <FigureLink key="w" href={r.won ? closed(sourceOf(r.key), "won") : null}>
                {fmt.int(r.won)}
              </FigureLink>,
              <FigureLink key="v" href={r.wonValue ? closedValue(sourceOf(r.key), "won") : null}>
                {fmt.money(r.wonValue)}
              </FigureLink>,
              <FigureLink key="l" href={r.lost ? closed(sourceOf(r.key), "lost") : null}>
                {fmt.int(r.lost)}
              </FigureLink>,
            ])}
          />
        </div>
      </div>
    </Section>
  );
}

function mergeBy(won: { key: string | null; label: string | null; count: number; value: number }[], lost: { key: string | null; label: string | null; count: number }[]) {
  const rows = new Map<string, { key: string | null; label: string | null; won: number; wonValue: number; lost: number }>();
  for (const r of won) rows.set(String(r.key), { key: r.key, label: r.label, won: r.count, wonValue: r.value, lost: 0 });
  for (const r of lost) {
    const row = rows.get(String(r.key)) ?? { key: r.key, label: r.label, won: 0, wonValue: 0, lost: 0 };
    row.lost = r.count;
    rows.set(String(r.key), row);
  }
  return [...rows.values()].sort((a, b) => b.wonValue - a.wonValue || b.won - a.won || b.lost - a.lost);
}

async function ActivitySection({ review, fmt, t, slug, scopeParams }: SectionProps) {
  const tTypes = await getTranslations("activities.types");
  const a = await review.activity;
  const typeLabel = (type: string, custom: string | null) => (type === "custom" ? (custom ?? type) : safeType(tTypes, type));
  return (
    <Section title={t("activity.title")} id="activity">
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <DataTable
          caption={t("activity.byRep")}
          head={[t("activity.rep"), t("activity.type"), t("activity.completed")]}
          empty={t("activity.none")}
          rows={a.byRepType.map((r) => [
            r.assigneeName ?? t("noOwner"),
            typeLabel(r.type, r.customLabel),
            <FigureLink
              key="n"
              href={r.type === "custom" && !r.customTypeId ? null : drillHref(slug, completedActivities(review.period, scopeParams, r))}
            >
              {fmt.int(r.count)}
            </FigureLink>,
          ])}
        />
        <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-xs">
          <p className="text-sm text-zinc-700">
            {t.rich("activity.noNext", {
              count: a.noNextActivity.count,
              link: (chunks) => (
                <FigureLink href={a.noNextActivity.count ? drillHref(slug, noNextTarget(scopeParams)) : null} className="font-semibold">
                  {chunks}
                </FigureLink>
              ),
            })}
          </p>
          {a.noNextActivity.deals.length ? (
            <ul className="mt-2 divide-y divide-zinc-100 text-sm">
              {a.noNextActivity.deals.map((d) => (
                <li key={d.id} className="flex flex-wrap justify-between gap-2 py-1.5">
                  <Link href={`/w/${slug}/deals/${d.id}`} className="text-brand-700 hover:underline">
                    {d.title}
                  </Link>
                  <span className="text-zinc-500">{fmt.money(d.value, d.currency)}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </Section>
  );
}

function safeType(t: Awaited<ReturnType<typeof getTranslations>>, type: string): string {
  return t.has(type) ? t(type) : type;
}
