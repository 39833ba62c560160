import type { Kpi, KpiKey } from "./review";

/**
 * How a KPI's change from the previous period reads (presentation only; the figures come from lib/reports/math.ts).
 * A rate compares in percentage points: a win rate going from 45.5% to 41.7% is "−3.8 pts", not "−8.3%", which
 * reads like a drop of 8.3 points. Amounts, counts and durations compare relatively ("+21.7%"), and in absolute
 * terms when the previous figure was 0 (a relative change has no meaning then).
 */
export type KpiChange = { kind: "points"; points: number } | { kind: "relative"; ratio: number } | { kind: "absolute"; delta: number };

/** KPIs whose values are ratios (0.417 = 41.7%). */
export const RATE_KPIS: ReadonlySet<KpiKey> = new Set<KpiKey>(["winRate", "leadConversion"]);

/** The change to show beside a KPI, or null when there is none to show (no previous figure, or no change). */
export function kpiChange(kpi: Pick<Kpi, "key" | "delta" | "relative">): KpiChange | null {
  if (kpi.delta === null || kpi.delta === 0) return null;
  if (RATE_KPIS.has(kpi.key)) {
    const points = kpi.delta * 100;
    // a change that rounds to 0.0 points is shown as no change rather than "+0.0 pts"
    return Math.round(Math.abs(points) * 10) === 0 ? null : { kind: "points", points };
  }
  if (kpi.relative !== null) return { kind: "relative", ratio: kpi.relative };
  return { kind: "absolute", delta: kpi.delta };
}

const MINUS = "\u2212";
const pointFormats = new Map<string, Intl.NumberFormat>();

/** A signed number with a real minus sign ("+3.8", "−3.8"); `format` formats the magnitude. */
export function signed(n: number, format: (magnitude: number) => string): string {
  return `${n < 0 ? MINUS : "+"}${format(Math.abs(n))}`;
}

/** Percentage points with one decimal and a sign, for the "{value} pts" message ("−3.8"; "−3,8" in de). */
export function formatPoints(points: number, locale: string): string {
  let format = pointFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    if (pointFormats.size >= 50) pointFormats.clear();
    pointFormats.set(locale, format);
  }
  return signed(points, (m) => format.format(m));
}
