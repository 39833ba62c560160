import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { limitedToOwnDeals } from "@/lib/deals/scope";
import { reviewOwners, reviewPipelines } from "@/lib/reports/review";
import { SMALL_SAMPLE, strategyComparison, type StrategyRow } from "@/lib/reports/strategy";
import { PageHeader } from "../../../../_components/ui";
import { ReportFilters } from "../_components/filters";
import { firstValues, readReportParams, recentPeriods } from "../_components/params";
import { drillHref, sequenceWonTarget, strategyTarget, type DrillTarget } from "@/lib/reports/drilldown";
import { DataTable, FigureLink, Section, describePeriod, makeFormat, type ReportFormat, type ReportsT } from "../_components/report-ui";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("strategy.title") };
}

/** Lead sources, first-touch channels and sequences ranked by conversion, with the counts behind each rate. */
export default async function StrategyPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "reports.read");
  const rp = readReportParams(firstValues(await searchParams), ctx);
  const limited = limitedToOwnDeals(ctx);
  const filters = { pipelineId: rp.pipelineId, ownerId: limited ? null : rp.ownerId };
  const [s, pipelines, owners] = await Promise.all([strategyComparison(ctx, filters, rp.period), reviewPipelines(ctx), limited ? null : reviewOwners(ctx)]);
  const locale = await getLocale();
  const t = await getTranslations("reports");
  const tTypes = await getTranslations("activities.types");
  const fmt = makeFormat(locale, ctx.workspace.currency);
  const { months, quarters } = recentPeriods(ctx);
  const scope = { pipelineId: rp.pipelineId, owner: filters.ownerId };
  const link = (target: DrillTarget | null) => (target ? drillHref(slug, target) : null);
  return (
    <>
      <PageHeader title={t("strategy.title")} description={t("strategy.description", { period: describePeriod(t, rp.period, locale) })} />
      <ReportFilters period={rp.period} pipelineId={rp.pipelineId} ownerId={rp.ownerId} pipelines={pipelines} owners={owners} months={months} quarters={quarters} />
      <Section title={t("strategy.sources")} description={t("strategy.cohortNote")} id="sources">
        <StrategyTable
          rows={s.sources}
          t={t}
          fmt={fmt}
          first={t("strategy.source")}
          label={(r) => r.label ?? t("wonLost.noSource")}
          href={(r, status) => link(strategyTarget("source", r.key, status, rp.period, scope))}
        />
      </Section>
      <Section title={t("strategy.channels")} description={t("strategy.channelNote")} id="channels">
        <StrategyTable
          rows={s.channels}
          t={t}
          fmt={fmt}
          first={t("strategy.channel")}
          label={(r) => (r.key === null ? t("strategy.noTouch") : tTypes.has(r.key) && r.key !== "custom" ? tTypes(r.key) : (r.label ?? r.key))}
          href={(r, status) => link(strategyTarget("channel", r.key, status, rp.period, scope))}
        />
      </Section>
      <Section title={t("strategy.sequences")} description={t("strategy.sequenceNote")} id="sequences">
        {s.sequences === null ? (
          <p className="text-sm text-zinc-600">{limited ? t("strategy.sequencesLimited") : t("strategy.noSequences")}</p>
        ) : (
          <StrategyTable
            rows={s.sequences}
            t={t}
            fmt={fmt}
            first={t("strategy.sequence")}
            countHeader={t("strategy.enrolled")}
            label={(r) => r.label ?? "—"}
            // enrolled counts contacts (the sequence's page lists them); won counts the deals they led to
            countHref={(r) => `/w/${slug}/sequences/${r.key}`}
            href={(r, status) => (status === "won" && r.key ? link(sequenceWonTarget(r.key, rp.period, scope)) : null)}
          />
        )}
      </Section>
      <p className="text-xs text-zinc-500">{t("strategy.smallSample", { n: SMALL_SAMPLE })}</p>
    </>
  );
}

function StrategyTable({
  rows,
  t,
  fmt,
  first,
  label,
  href,
  countHref,
  countHeader,
}: {
  rows: StrategyRow[];
  t: ReportsT;
  fmt: ReportFormat;
  first: string;
  label: (r: StrategyRow) => string;
  /** The deals behind a row: all of its cohort, or its won deals. */
  href: (r: StrategyRow, status: "all" | "won") => string | null;
  /** Where the count links when it does not count deals (sequences: contacts enrolled). */
  countHref?: (r: StrategyRow) => string | null;
  countHeader?: string;
}) {
  const small = (r: StrategyRow) => r.count < SMALL_SAMPLE;
  return (
    <DataTable
      caption={first}
      head={[first, countHeader ?? t("strategy.deals"), t("strategy.won"), t("strategy.conversion"), t("strategy.winRate"), t("strategy.averageDealSize"), t("strategy.cycle")]}
      numericFrom={1}
      empty={t("strategy.empty")}
      rows={rows.map((r) => [
        label(r),
        <FigureLink key="c" href={r.count ? (countHref ? countHref(r) : href(r, "all")) : null}>
          {fmt.int(r.count)}
        </FigureLink>,
        <FigureLink key="w" href={r.won ? href(r, "won") : null}>
          {fmt.int(r.won)}
        </FigureLink>,
        <span key="r" className={small(r) ? "text-zinc-500 italic" : undefined} title={small(r) ? t("strategy.smallTitle") : undefined}>
          {fmt.percent(r.conversion)}
          {small(r) ? " *" : ""}
        </span>,
        `${fmt.percent(r.winRate)} (${fmt.int(r.won)}/${fmt.int(r.won + r.lost)})`,
        fmt.money(r.averageDealSize),
        fmt.days(r.cycleDays),
      ])}
    />
  );
}
