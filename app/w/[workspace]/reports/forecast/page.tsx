import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Flag } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { limitedToOwnDeals } from "@/lib/deals/scope";
import { addDaysToDate } from "@/lib/activities/time";
import { currencyDigits } from "@/lib/format";
import { forecast, SLIPPAGE_FLAG } from "@/lib/reports/forecast";
import { reviewOwners, reviewPipelines } from "@/lib/reports/review";
import { PageHeader } from "../../../../_components/ui";
import { LinesChart } from "../_components/charts";
import { ReportFilters } from "../_components/filters";
import { firstValues, readReportParams } from "../_components/params";
import { drillHref, forecastTargets } from "@/lib/reports/drilldown";
import { ChartWithTable, DataTable, FigureLink, Note, Section, makeFormat, type ReportFormat } from "../_components/report-ui";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("forecast.title") };
}

/** The last day of a "YYYY-MM" month. */
function monthEnd(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return addDaysToDate(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`, -1);
}

/** Open deals by expected close month (six months), weighted and unweighted; overdue deals; close-date slippage. */
export default async function ForecastPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "reports.read");
  const rp = readReportParams(firstValues(await searchParams), ctx);
  const limited = limitedToOwnDeals(ctx);
  const filters = { pipelineId: rp.pipelineId, ownerId: limited ? null : rp.ownerId };
  const [f, pipelines, owners] = await Promise.all([forecast(ctx, filters), reviewPipelines(ctx), limited ? null : reviewOwners(ctx)]);
  const locale = await getLocale();
  const t = await getTranslations("reports");
  const fmt = makeFormat(locale, f.currency);
  const digits = 10 ** currencyDigits(f.currency);
  const scope = { pipelineId: rp.pipelineId, owner: filters.ownerId };
  const monthHref = (month: string, group: { owner?: string | null; pipelineId?: string } = {}) => drillHref(slug, forecastTargets.month(month, monthEnd(month), scope, f.currency, group));
  const monthName = (m: string) => new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${m}-15T00:00:00Z`));

  return (
    <>
      <PageHeader title={t("forecast.title")} description={t("forecast.description", { currency: f.currency })} />
      <ReportFilters showPeriod={false} pipelineId={rp.pipelineId} ownerId={rp.ownerId} pipelines={pipelines} owners={owners} />
      {f.otherCurrencyDeals ? <Note>{t("forecast.currencyNote", { count: f.otherCurrencyDeals, currency: f.currency })}</Note> : null}

      <Section title={t("forecast.byMonth")} id="by-month">
        <ChartWithTable
          chart={
            <LinesChart
              locale={locale}
              currency={f.currency}
              data={f.totals.map((c) => ({ name: monthName(c.month), weighted: c.weighted / digits, unweighted: c.unweighted / digits }))}
              series={[
                { key: "weighted", label: t("forecast.weighted"), color: "#4f46e5", money: true },
                { key: "unweighted", label: t("forecast.unweighted"), color: "#a1a1aa", money: true },
              ]}
            />
          }
          table={
            <DataTable
              caption={t("forecast.byMonth")}
              head={[t("forecast.month"), t("forecast.deals"), t("forecast.unweighted"), t("forecast.weighted")]}
              rows={f.totals.map((c) => [
                monthName(c.month),
                <FigureLink key="n" href={c.deals ? monthHref(c.month) : null}>
                  {fmt.int(c.deals)}
                </FigureLink>,
                <FigureLink key="u" href={c.deals ? monthHref(c.month) : null}>
                  {fmt.money(c.unweighted)}
                </FigureLink>,
                <FigureLink key="w" href={c.deals ? monthHref(c.month) : null}>
                  {fmt.money(c.weighted)}
                </FigureLink>,
              ])}
            />
          }
        />
        {f.undatedDeals ? (
          <p className="mt-2 text-sm text-zinc-500">
            <FigureLink href={drillHref(slug, forecastTargets.undated(scope))}>{t("forecast.undated", { count: f.undatedDeals })}</FigureLink>
          </p>
        ) : null}
      </Section>

      <Section title={t("forecast.overdueTitle")} description={t("forecast.overdueDescription")} id="overdue">
        {f.overdue.count === 0 ? (
          <p className="text-sm text-zinc-600">{t("forecast.noOverdue")}</p>
        ) : (
          <>
            <p className="mb-2 text-sm font-medium text-red-700">
              <FigureLink href={drillHref(slug, forecastTargets.overdue(addDaysToDate(f.today, -1), scope))}>{t("forecast.overdueSummary", { count: f.overdue.count, value: fmt.money(f.overdue.value) })}</FigureLink>
            </p>
            <DataTable
              caption={t("forecast.overdueTitle")}
              head={[t("forecast.deal"), t("forecast.owner"), t("forecast.expected"), t("forecast.daysOverdue"), t("forecast.value")]}
              rows={f.overdue.deals.map((d) => [
                <Link key="d" href={`/w/${slug}/deals/${d.id}`} className="text-brand-700 hover:underline">
                  {d.title}
                </Link>,
                d.ownerName ?? t("noOwner"),
                d.expectedCloseDate ? fmt.date(d.expectedCloseDate) : "—",
                fmt.int(d.daysOverdue),
                fmt.money(d.value, d.currency),
              ])}
              numericFrom={3}
            />
          </>
        )}
      </Section>

      <Section title={t("forecast.byOwner")} id="by-owner">
        <DataTable
          caption={t("forecast.byOwner")}
          head={[t("forecast.owner"), ...f.months.map(monthName)]}
          empty={t("forecast.empty")}
          rows={f.byOwner.map((o) => [
            o.name ?? t("noOwner"),
            ...o.months.map((c) => (
              <FigureLink key={c.month} href={c.deals ? monthHref(c.month, { owner: o.id }) : null}>
                {c.deals ? <ForecastCell weighted={c.weighted} unweighted={c.unweighted} fmt={fmt} /> : "—"}
              </FigureLink>
            )),
          ])}
        />
        <p className="mt-2 text-xs text-zinc-500">{t("forecast.cellLegend")}</p>
      </Section>

      <Section title={t("forecast.byPipeline")} id="by-pipeline">
        <DataTable
          caption={t("forecast.byPipeline")}
          head={[t("filters.pipeline"), ...f.months.map(monthName)]}
          empty={t("forecast.empty")}
          rows={f.byPipeline.map((p) => [
            p.name,
            ...p.months.map((c) => (
              <FigureLink key={c.month} href={c.deals ? monthHref(c.month, { pipelineId: p.id }) : null}>
                {c.deals ? <ForecastCell weighted={c.weighted} unweighted={c.unweighted} fmt={fmt} /> : "—"}
              </FigureLink>
            )),
          ])}
        />
      </Section>

      <Section title={t("forecast.slippageTitle")} description={t("forecast.slippageDescription", { flag: SLIPPAGE_FLAG })} id="slippage">
        <p className="mb-2 text-sm text-zinc-700">
          <FigureLink href={f.slippage.dealsPushed ? drillHref(slug, forecastTargets.slipped(1, scope)) : null}>
            {t("forecast.slippageSummary", { deals: f.slippage.dealsPushed, flagged: f.slippage.flagged, pushes: f.slippage.pushes })}
          </FigureLink>
        </p>
        <DataTable
          caption={t("forecast.slippageTitle")}
          head={[t("forecast.deal"), t("forecast.owner"), t("forecast.firstDate"), t("forecast.expected"), t("forecast.pushes")]}
          empty={t("forecast.noSlippage")}
          numericFrom={4}
          rows={f.slippage.deals.map((d) => [
            <span key="d" className="inline-flex items-center gap-1.5">
              {d.flagged ? <Flag className="h-3.5 w-3.5 text-red-600" aria-label={t("forecast.flagged")} /> : null}
              <Link href={`/w/${slug}/deals/${d.id}`} className="text-brand-700 hover:underline">
                {d.title}
              </Link>
            </span>,
            d.ownerName ?? t("noOwner"),
            d.firstDate ? fmt.date(d.firstDate) : "—",
            d.expectedCloseDate ? fmt.date(d.expectedCloseDate) : "—",
            <span key="p" className={d.flagged ? "font-semibold text-red-700" : undefined}>
              {fmt.int(d.pushes)}
            </span>,
          ])}
        />
        {f.slippage.flagged ? (
          <p className="mt-2 text-sm">
            <Link href={drillHref(slug, forecastTargets.slipped(SLIPPAGE_FLAG, scope))} className="text-brand-700 hover:underline">
              {t("forecast.openFlagged")}
            </Link>
          </p>
        ) : null}
      </Section>
    </>
  );
}

/**
 * One month of an owner or pipeline: weighted above unweighted, in whole currency units. Full amounts (not "$55K"
 * beside "$110.8K") so a column reads and compares at a glance; stacked so six months fit beside each other.
 */
function ForecastCell({ weighted, unweighted, fmt }: { weighted: number; unweighted: number; fmt: ReportFormat }) {
  return (
    <>
      <span className="block">{fmt.moneyWhole(weighted)}</span>
      <span className="sr-only"> / </span>
      <span className="block text-xs text-zinc-500">{fmt.moneyWhole(unweighted)}</span>
    </>
  );
}
