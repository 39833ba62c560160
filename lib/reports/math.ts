/**
 * The arithmetic of the metrics in docs/metrics.md, pure: SQL computes sums and counts, these turn them into
 * the figures shown. Every ratio with an empty denominator is null ("no data"), never 0 or NaN.
 */

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Change from the previous period: absolute and relative (relative is null when the previous was 0 or null). */
export function change(current: number | null, previous: number | null): { delta: number | null; relative: number | null } {
  if (current === null || previous === null) return { delta: null, relative: null };
  return { delta: current - previous, relative: previous !== 0 ? (current - previous) / Math.abs(previous) : null };
}

/**
 * Sales velocity per day = open deals × average won value × win rate ÷ sales cycle length (days).
 * Minor units per day; null without a win rate, an average or a positive cycle length.
 */
export function salesVelocity(openDeals: number, averageDealSize: number | null, winRate: number | null, cycleDays: number | null): number | null {
  if (averageDealSize === null || winRate === null || cycleDays === null || cycleDays <= 0) return null;
  return (openDeals * averageDealSize * winRate) / cycleDays;
}

/**
 * Customers who bought once get the workspace's lifespan (`workspaces.customer_lifespan_months`, Settings → General)
 * until they buy again; this is its default, in years.
 */
export const DEFAULT_CUSTOMER_LIFESPAN_YEARS = 1;
/** The bounds the setting accepts, in months (1 month to 50 years). */
export const CUSTOMER_LIFESPAN_MONTHS = { min: 1, max: 600, default: 12 } as const;

export type ClvInputs = {
  /** Won value (minor units) and won deals of customers in the 12 months up to the period end. */
  yearValue: number;
  yearDeals: number;
  /** Distinct customers with a won deal in those 12 months. */
  yearCustomers: number;
  /** All customers up to the period end: how many, and the sum of their lifespans in years (first → last won deal). */
  customers: number;
  /** Customers with two or more won deals, and the sum of their spans in years. */
  repeatCustomers: number;
  repeatSpanYears: number;
  /** The workspace's lifespan of one-time customers, in years (DEFAULT_CUSTOMER_LIFESPAN_YEARS when omitted). */
  oneTimeLifespanYears?: number;
};

/**
 * Customer lifetime value = average purchase value × purchase frequency (won deals per customer per year) ×
 * average customer lifespan (years; a one-purchase customer counts the workspace's lifespan, `oneTimeLifespanYears`).
 */
export function customerLifetimeValue(i: ClvInputs): { value: number | null; averagePurchase: number | null; frequency: number | null; lifespanYears: number | null } {
  const averagePurchase = ratio(i.yearValue, i.yearDeals);
  const frequency = ratio(i.yearDeals, i.yearCustomers);
  const single = i.customers - i.repeatCustomers;
  const lifespanYears = ratio(i.repeatSpanYears + single * (i.oneTimeLifespanYears ?? DEFAULT_CUSTOMER_LIFESPAN_YEARS), i.customers);
  const value = averagePurchase !== null && frequency !== null && lifespanYears !== null ? averagePurchase * frequency * lifespanYears : null;
  return { value, averagePurchase, frequency, lifespanYears };
}

export type StageHealth = {
  stageId: string;
  name: string;
  openDeals: number;
  /** Average days deals stay (completed stays in the period; else the open deals' average age in the stage). */
  averageDays: number | null;
  /** Share of the deals that entered the stage in the period which went on to a later stage or were won. */
  exitRate: number | null;
};

export type Bottleneck = { stageId: string; name: string; share: number; timesLonger: number | null };

/** How far above the others a stage must be to be called a bottleneck. */
export const BOTTLENECK_FACTOR = 1.5;
/** Fewer open deals than this across the pipeline: too few to call anything a bottleneck. */
export const BOTTLENECK_MIN_OPEN = 3;

/**
 * The bottleneck: the stage whose share of open deals or time in stage is at least BOTTLENECK_FACTOR times
 * the others' (share vs an even split; days vs the average of the other stages), whose exit rate is not above
 * the pipeline's average, scoring highest on share × time. Null when no stage stands out.
 */
export function detectBottleneck(stages: StageHealth[]): Bottleneck | null {
  const totalOpen = stages.reduce((s, x) => s + x.openDeals, 0);
  if (stages.length < 2 || totalOpen < BOTTLENECK_MIN_OPEN) return null;
  const exits = stages.map((s) => s.exitRate).filter((r): r is number => r !== null);
  const averageExit = exits.length ? exits.reduce((a, b) => a + b, 0) / exits.length : null;
  let best: (Bottleneck & { score: number }) | null = null;
  for (const s of stages) {
    if (s.openDeals === 0) continue;
    const share = s.openDeals / totalOpen;
    const shareRatio = share * stages.length;
    const others = stages.filter((o) => o.stageId !== s.stageId && o.averageDays !== null).map((o) => o.averageDays!);
    const othersAverage = others.length ? others.reduce((a, b) => a + b, 0) / others.length : null;
    const timesLonger = s.averageDays !== null && othersAverage !== null && othersAverage > 0 ? s.averageDays / othersAverage : null;
    const standsOut = shareRatio >= BOTTLENECK_FACTOR || (timesLonger !== null && timesLonger >= BOTTLENECK_FACTOR);
    const exitLow = s.exitRate === null || averageExit === null || s.exitRate <= averageExit;
    if (!standsOut || !exitLow) continue;
    const score = shareRatio * Math.max(timesLonger ?? 1, 1);
    if (!best || score > best.score) best = { stageId: s.stageId, name: s.name, share, timesLonger, score };
  }
  if (!best) return null;
  return { stageId: best.stageId, name: best.name, share: best.share, timesLonger: best.timesLonger };
}

export type GoalGap =
  | { state: "reached"; achieved: number; target: number; over: number }
  | { state: "behind"; achieved: number; target: number; remaining: number };

/** Goal gap = target − achieved so far (never negative: a reached goal reports how far over it is). */
export function goalGap(achieved: number, target: number): GoalGap {
  if (achieved >= target) return { state: "reached", achieved, target, over: achieved - target };
  return { state: "behind", achieved, target, remaining: target - achieved };
}

/** Progress 0–1 for a bar (capped at 1). */
export function progressShare(achieved: number, target: number): number {
  if (target <= 0) return 1;
  return Math.max(0, Math.min(1, achieved / target));
}

/**
 * The open deals that would fill a value gap, taken in the given order (most likely first) until their values
 * add up to the gap; for count goals, the first `remaining` deals. Returns the ids that fill it.
 */
export function dealsFillingGap(deals: { id: string; value: number }[], gap: GoalGap, metric: "won_value" | "won_count"): Set<string> {
  const out = new Set<string>();
  if (gap.state === "reached") return out;
  let left = gap.remaining;
  for (const d of deals) {
    if (left <= 0) break;
    out.add(d.id);
    left -= metric === "won_value" ? d.value : 1;
  }
  return out;
}
