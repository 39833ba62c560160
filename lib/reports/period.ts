import { localDate, safeTimeZone, startOfLocalDate, addDaysToDate } from "../activities/time";

/**
 * Report periods, pure (no clock, no I/O). A period is a half-open range of local calendar dates
 * [startDate, endDate) in the workspace's time zone, and the matching instants [from, to) computed from local
 * midnights, so a month in Asia/Shanghai starts at 16:00 UTC of the day before and a DST month is an hour
 * shorter or longer.
 */
export type PeriodKind = "month" | "quarter" | "range";
export type Period = {
  kind: PeriodKind;
  /** First local date of the period ("2026-03-01"). */
  startDate: string;
  /** First local date after the period (exclusive). */
  endDate: string;
  from: Date;
  to: Date;
  /** "2026-03", "2026-Q1" or "2026-03-05..2026-03-19" (inclusive end), as the URL carries it. */
  key: string;
};

export const MAX_RANGE_DAYS = 731;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "YYYY-MM-DD" naming a day that exists (V8 reads "2026-02-31" as March 3rd; this does not). Pure. */
export function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function make(kind: PeriodKind, startDate: string, endDate: string, key: string, tz: string): Period {
  return { kind, startDate, endDate, from: startOfLocalDate(startDate, tz), to: startOfLocalDate(endDate, tz), key };
}

/** The month "YYYY-MM" as a period. */
export function monthPeriod(month: string, tz: string): Period {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${pad(mo + 1)}-01`;
  return make("month", `${y}-${pad(mo)}-01`, next, `${y}-${pad(mo)}`, tz);
}

/** The quarter "YYYY-Qn" as a period. */
export function quarterPeriod(quarter: string, tz: string): Period {
  const m = QUARTER.exec(quarter);
  if (!m) throw new RangeError(`not a quarter: ${quarter}`);
  const y = Number(m[1]);
  const q = Number(m[2]);
  const startMonth = (q - 1) * 3 + 1;
  const next = q === 4 ? `${y + 1}-01-01` : `${y}-${pad(startMonth + 3)}-01`;
  return make("quarter", `${y}-${pad(startMonth)}-01`, next, `${y}-Q${q}`, tz);
}

/** Days between two date strings (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** An inclusive custom range of local dates. */
export function rangePeriod(first: string, last: string, tz: string): Period {
  if (!isCalendarDate(first) || !isCalendarDate(last)) throw new RangeError("not a date range");
  if (last < first) throw new RangeError("range ends before it starts");
  if (daysBetween(first, last) + 1 > MAX_RANGE_DAYS) throw new RangeError("range too long");
  return make("range", first, addDaysToDate(last, 1), `${first}..${last}`, tz);
}

/** The local month ("YYYY-MM") containing an instant. */
export function monthOf(instant: Date, tz: string): string {
  return localDate(instant, safeTimeZone(tz)).slice(0, 7);
}

/** Shift a "YYYY-MM" by whole months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${pad((idx % 12) + 1)}`;
}

/** The quarter ("YYYY-Qn") containing a month. */
export function quarterOfMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/**
 * Reads the period from URL parameters: `month=YYYY-MM`, `quarter=YYYY-Qn` or `from=YYYY-MM-DD&to=YYYY-MM-DD`
 * (inclusive). Anything missing or malformed falls back to the current local month.
 */
export function parsePeriod(params: { month?: string; quarter?: string; from?: string; to?: string }, tz: string, now: Date): Period {
  try {
    if (params.from && params.to) return rangePeriod(params.from, params.to, tz);
    if (params.quarter) return quarterPeriod(params.quarter, tz);
    if (params.month) return monthPeriod(params.month, tz);
  } catch {
    // fall through to the default
  }
  return monthPeriod(monthOf(now, tz), tz);
}

/** The period just before: the previous month or quarter, or a range of the same number of days. */
export function previousPeriod(p: Period, tz: string): Period {
  if (p.kind === "month") return monthPeriod(addMonths(p.key, -1), tz);
  if (p.kind === "quarter") {
    const [y, q] = [Number(p.key.slice(0, 4)), Number(p.key.slice(6))];
    return quarterPeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`, tz);
  }
  const days = daysBetween(p.startDate, p.endDate);
  return rangePeriod(addDaysToDate(p.startDate, -days), addDaysToDate(p.startDate, -1), tz);
}

/** URL parameters that select this period again. */
export function periodParams(p: Period): Record<string, string> {
  if (p.kind === "month") return { month: p.key };
  if (p.kind === "quarter") return { quarter: p.key };
  return { from: p.startDate, to: addDaysToDate(p.endDate, -1) };
}

/**
 * A period given as two instants [from, to) (API and benchmark callers). Its dates are the local dates of the
 * instants; the previous period is the same number of local days before.
 */
export function instantPeriod(from: Date, to: Date, tz: string): Period {
  if (!(to.getTime() > from.getTime())) throw new RangeError("period ends before it starts");
  const startDate = localDate(from, tz);
  const lastDate = localDate(new Date(to.getTime() - 1), tz);
  return { kind: "range", startDate, endDate: addDaysToDate(lastDate, 1), from, to, key: `${startDate}..${lastDate}` };
}

/** The current period of a goal (month or quarter) containing `now`. */
export function goalPeriod(kind: "month" | "quarter", now: Date, tz: string): Period {
  const month = monthOf(now, tz);
  return kind === "month" ? monthPeriod(month, tz) : quarterPeriod(quarterOfMonth(month), tz);
}
