import { TZDate } from "@date-fns/tz";
import { safeTimeZone } from "../activities/time";

/**
 * When a sequence step may go out, pure (no I/O, no clock): delays, the sequence's sending window and the SMS
 * quiet hours, each in the recipient's IANA time zone, DST-safe. Every function takes the instant it reasons
 * about and returns an instant (UTC `Date`).
 */

export type SendingWindow = {
  /** ISO weekdays allowed (1 = Monday … 7 = Sunday). */
  days: number[];
  /** Local minutes of the day: sending allowed in [startMinute, endMinute). */
  startMinute: number;
  endMinute: number;
};

/** SMS go out only between 08:00 and 21:00 in the recipient's time zone, whatever the sequence's window. */
export const SMS_QUIET: { startMinute: number; endMinute: number } = { startMinute: 8 * 60, endMinute: 21 * 60 };

export type DelayUnit = "minutes" | "hours" | "business_days";

type Local = { year: number; month: number; day: number; isoWeekday: number; minute: number };

/** The wall-clock reading of an instant in a zone. */
export function localParts(instant: Date, tz: string): Local {
  const d = new TZDate(instant.getTime(), safeTimeZone(tz));
  const weekday = d.getDay();
  return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), isoWeekday: weekday === 0 ? 7 : weekday, minute: d.getHours() * 60 + d.getMinutes() };
}

/**
 * The instant of a local date and minute of the day. A time skipped by a spring-forward moves forward by the
 * gap; an ambiguous one (fall-back) is the first of the two.
 */
function localInstant(year: number, month: number, day: number, minute: number, tz: string): Date {
  if (minute >= 1440) return localInstant(year, month, day + 1, minute - 1440, tz);
  return new Date(new TZDate(year, month, day, Math.floor(minute / 60), minute % 60, safeTimeZone(tz)).getTime());
}

/** Is this instant inside the window (local weekday allowed, local minute in [start, end))? */
export function inWindow(instant: Date, window: SendingWindow, tz: string): boolean {
  const l = localParts(instant, tz);
  return window.days.includes(l.isoWeekday) && l.minute >= window.startMinute && l.minute < window.endMinute;
}

/** The window narrowed to SMS quiet hours (08:00–21:00): an SMS step uses this. */
export function smsWindow(window: SendingWindow): SendingWindow | null {
  const startMinute = Math.max(window.startMinute, SMS_QUIET.startMinute);
  const endMinute = Math.min(window.endMinute, SMS_QUIET.endMinute);
  return startMinute < endMinute ? { days: window.days, startMinute, endMinute } : null;
}

/**
 * The earliest instant at or after `from` that lies inside the window in `tz`; null if the window never opens
 * (no day allowed, or an empty range). Looks at most 8 local days ahead (a whole week plus the current day;
 * a window whose only hours fall into a DST gap that week is found the week after only if it exists then).
 */
export function nextWindowStart(from: Date, window: SendingWindow, tz: string): Date | null {
  if (window.days.length === 0 || window.startMinute >= window.endMinute) return null;
  const l = localParts(from, tz);
  for (let offset = 0; offset < 15; offset++) {
    const dayStart = localInstant(l.year, l.month, l.day + offset, 0, tz);
    const weekday = localParts(new Date(dayStart.getTime() + 12 * 3_600_000), tz).isoWeekday;
    if (!window.days.includes(weekday)) continue;
    const start = localInstant(l.year, l.month, l.day + offset, window.startMinute, tz);
    const end = localInstant(l.year, l.month, l.day + offset, window.endMinute, tz);
    if (end.getTime() <= start.getTime()) continue; // the whole window fell into a DST gap that day
    if (from.getTime() >= end.getTime()) continue;
    const candidate = from.getTime() > start.getTime() ? from : start;
    // A spring-forward inside the window can move `start` past a wall-clock reading that belongs to the window;
    // re-check the reading so the answer is always inside.
    if (inWindow(candidate, window, tz)) return candidate;
  }
  return null;
}

/**
 * The instant a step is due after the previous one: minutes and hours are elapsed time; business days are
 * Monday–Friday calendar days in `tz`, keeping the local time of day (5 business days after a Thursday 10:00
 * is the next Thursday 10:00; after a Saturday, counting starts on Monday).
 */
export function addDelay(from: Date, amount: number, unit: DelayUnit, tz: string): Date {
  if (unit === "minutes") return new Date(from.getTime() + amount * 60_000);
  if (unit === "hours") return new Date(from.getTime() + amount * 3_600_000);
  if (amount <= 0) return from;
  const l = localParts(from, tz);
  let day = l.day;
  let weekday = l.isoWeekday;
  let left = amount;
  while (left > 0) {
    day += 1;
    weekday = weekday === 7 ? 1 : weekday + 1;
    if (weekday <= 5) left -= 1;
  }
  return localInstant(l.year, l.month, day, l.minute, tz);
}

/** Local midnight of the day `instant` falls on, in tz. */
export function startOfLocalDay(instant: Date, tz: string): Date {
  const l = localParts(instant, tz);
  return localInstant(l.year, l.month, l.day, 0, tz);
}

/** Local midnight of the day after the one `instant` falls on, in tz. */
export function nextLocalDay(instant: Date, tz: string): Date {
  const l = localParts(instant, tz);
  return localInstant(l.year, l.month, l.day + 1, 0, tz);
}
