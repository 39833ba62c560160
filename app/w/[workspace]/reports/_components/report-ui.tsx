import Link from "next/link";
import type { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { currencyDigits, formatCalendarDate, formatMoney } from "@/lib/format";
import { cn } from "../../../../_components/cn";

/** Number formatting of one report page (locale and workspace currency), all server-side. */
export function makeFormat(locale: string, currency: string) {
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const whole = new Map<string, Intl.NumberFormat>();
  const wholeFormat = (cur: string) => {
    let f = whole.get(cur);
    if (!f) whole.set(cur, (f = new Intl.NumberFormat(locale, { style: "currency", currency: cur, maximumFractionDigits: 0, minimumFractionDigits: 0 })));
    return f;
  };
  return {
    currency,
    money: (minor: number | null, cur = currency) => (minor === null ? "—" : formatMoney(Math.round(minor), cur, locale)),
    moneyCompact: (minor: number | null, cur = currency) => (minor === null ? "—" : formatMoney(Math.round(minor), cur, locale, { compact: true })),
    /** Whole currency units ("$110,800"), for grids of many amounts: every cell reads alike, unlike compact notation. */
    moneyWhole: (minor: number | null, cur = currency) => (minor === null ? "—" : wholeFormat(cur).format(minor / 10 ** currencyDigits(cur))),
    int: (n: number | null) => (n === null ? "—" : int.format(n)),
    days: (n: number | null) => (n === null ? "—" : oneDecimal.format(n)),
    percent: (r: number | null) => (r === null ? "—" : pct.format(r)),
    times: (n: number) => oneDecimal.format(n),
    /** A calendar date ("2027-02-09") as the app shows dates ("Feb 9, 2027"). */
    date: (isoDate: string) => formatCalendarDate(isoDate.slice(0, 10), locale),
  };
}
export type ReportFormat = ReturnType<typeof makeFormat>;

/** A link to the deal list filtered to exactly the deals behind a figure. */
export function dealsHref(slug: string, params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `/w/${slug}/deals?${q.toString()}`;
}

/** A figure that opens the deals behind it (plain text when there is nothing to open). */
export function FigureLink({ href, children, className, label }: { href: string | null; children: ReactNode; className?: string; label?: string }) {
  if (!href) return <span className={className}>{children}</span>;
  return (
    <Link href={href} aria-label={label} className={cn("underline decoration-zinc-300 underline-offset-4 hover:decoration-brand-600 hover:text-brand-700", className)}>
      {children}
    </Link>
  );
}

export function Section({ title, description, children, id, actions }: { title: ReactNode; description?: ReactNode; children: ReactNode; id?: string; actions?: ReactNode }) {
  return (
    <section aria-labelledby={id ? `${id}-title` : undefined} className="mb-8">
      <div className="mb-3 flex flex-col gap-1 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h2 id={id ? `${id}-title` : undefined} className="text-base font-semibold text-zinc-900">
            {title}
          </h2>
          {description ? <p className="text-sm text-zinc-500">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A compact, accessible data table (the chart's figures; every figure a real cell in the HTML). */
export function DataTable({ caption, head, rows, numericFrom = 1, empty }: { caption: string; head: ReactNode[]; rows: ReactNode[][]; numericFrom?: number; empty?: ReactNode }) {
  return (
    <div className="relative min-w-0 overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs">
      <table className="w-full min-w-max text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs font-medium text-zinc-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className={cn("px-3 py-2 font-medium", i >= numericFrom && "text-right")}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length} className="px-3 py-6 text-center text-zinc-500">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) =>
                  j === 0 ? (
                    <th key={j} scope="row" className="px-3 py-2 text-left font-normal text-zinc-800">
                      {c}
                    </th>
                  ) : (
                    <td key={j} className={cn("px-3 py-2 tabular-nums text-zinc-700", j >= numericFrom && "text-right")}>
                      {c}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Chart and table side by side on wide screens, stacked on a phone. The chart is a picture of the table: hidden
 * from assistive technology (the table carries the figures), and its keyboard layer is off (charts.tsx).
 */
/**
 * A chart beside (or above) the table of its figures. `empty`: the chart has nothing to draw; the message shows in
 * its place instead of bare axes (the table says the same to screen readers: the figure is hidden from them).
 */
export function ChartWithTable({ chart, table, stacked = false, empty }: { chart: ReactNode; table: ReactNode; stacked?: boolean; empty?: ReactNode }) {
  return (
    <div className={cn("grid grid-cols-1 gap-4", !stacked && "lg:grid-cols-2")}>
      <figure className={cn("min-h-64 min-w-0 rounded-lg border border-zinc-200 bg-white p-3 shadow-xs", empty && "flex items-center justify-center")} aria-hidden>
        {empty ? <p className="text-sm text-zinc-500">{empty}</p> : chart}
      </figure>
      <div className="min-w-0">{table}</div>
    </div>
  );
}

export function Note({ children }: { children: ReactNode }) {
  return <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{children}</p>;
}

export type ReportsT = Awaited<ReturnType<typeof getTranslations<"reports">>>;

/** "March 2026"-style names of a period, as the URL selects it. */
export function describePeriod(t: ReportsT, p: { kind: string; key: string; startDate: string; endDate: string }, locale?: string): string {
  if (p.kind === "month") {
    const month = locale ? new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${p.key}-15T00:00:00Z`)) : p.key;
    return t("periodMonth", { month });
  }
  if (p.kind === "quarter") {
    const [year, quarter] = p.key.split("-Q");
    return t("periodQuarter", { year: year ?? p.key, quarter: quarter ?? "" });
  }
  const to = p.key.split("..")[1] ?? p.endDate;
  return t("periodRange", locale ? { from: formatCalendarDate(p.startDate, locale), to: formatCalendarDate(to, locale) } : { from: p.startDate, to });
}
