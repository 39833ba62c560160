import { TZDate } from "@date-fns/tz";
import { addMinutes, format, startOfDay } from "date-fns";

/**
 * Time-zone math for activities, pure (no I/O, no clock): every function takes the instant it reasons about.
 * Timed activities are instants (`due_at`); all-day ones are calendar dates (`due_date`) that mean the same day
 * in every time zone. "Today", "overdue" and "08:00" are always those of one user's IANA time zone.
 */

/** The hour (local) at which the morning digest goes out, and the hour after which a missed one is skipped. */
export const DIGEST_HOUR = 8;
export const DIGEST_LAST_HOUR = 12;
/** All-day activities are reminded at this local hour on their day (they have no due time to lead). */
export const ALL_DAY_REMINDER_HOUR = 8;
/** A reminder missed for longer than this (the scheduler was down) is not sent late: My day shows it as overdue. */
export const REMINDER_GRACE_MS = 24 * 3_600_000;

const zoneCache = new Map<string, boolean>();

/** The zone if the runtime knows it, else "UTC" (a user row with a typo must not stop a batch). */
export function safeTimeZone(tz: string | null | undefined): string {
  if (!tz) return "UTC";
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok ? tz : "UTC";
}

/** The local calendar date ("YYYY-MM-DD") of an instant in a zone. */
export function localDate(instant: Date, tz: string): string {
  return format(new TZDate(instant.getTime(), safeTimeZone(tz)), "yyyy-MM-dd");
}

/** The local hour (0–23) of an instant in a zone. */
export function localHour(instant: Date, tz: string): number {
  return new TZDate(instant.getTime(), safeTimeZone(tz)).getHours();
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
}

/**
 * The instant of a local wall-clock time ("2026-03-08", "08:00") in a zone. A time that does not exist (skipped
 * by a spring-forward) moves forward by the gap, as calendars do; an ambiguous one (fall-back) takes the first.
 */
export function zonedInstant(date: string, time: string, tz: string): Date {
  const [y, mo, d] = parseDate(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!t) throw new RangeError(`not a time: ${time}`);
  return new Date(new TZDate(y, mo, d, Number(t[1]), Number(t[2]), safeTimeZone(tz)).getTime());
}

/** Local midnight of a date in a zone, as an instant. */
export function startOfLocalDate(date: string, tz: string): Date {
  const [y, mo, d] = parseDate(date);
  return new Date(startOfDay(new TZDate(y, mo, d, 12, 0, safeTimeZone(tz))).getTime());
}

/** A date string shifted by whole days ("2026-03-31" + 1 → "2026-04-01"), independent of any zone. */
export function addDaysToDate(date: string, days: number): string {
  const [y, mo, d] = parseDate(date);
  return new Date(Date.UTC(y, mo, d + days)).toISOString().slice(0, 10);
}

/** The local day containing `now`: its date and [start, end) as instants (23 or 25 hours long on DST days). */
export function localDay(now: Date, tz: string) {
  const date = localDate(now, tz);
  return { date, start: startOfLocalDate(date, tz), end: startOfLocalDate(addDaysToDate(date, 1), tz) };
}

/**
 * The Monday of the week (Monday first) containing a date, as a date ("2026-03-11" → "2026-03-09"). Counted on
 * the calendar alone: the browser's or the server's own zone plays no part (at UTC+12 a UTC noon is already
 * the next day there).
 */
export function mondayOf(date: string): string {
  const [y, mo, d] = parseDate(date);
  const weekday = new Date(Date.UTC(y, mo, d)).getUTCDay(); // 0 = Sunday
  return addDaysToDate(date, -((weekday + 6) % 7));
}

/** The local week (Monday first) containing `date`: its seven dates and [start, end) as instants. */
export function localWeek(date: string, tz: string) {
  const monday = mondayOf(date);
  const days = Array.from({ length: 7 }, (_, i) => addDaysToDate(monday, i));
  return { days, start: startOfLocalDate(days[0]!, tz), end: startOfLocalDate(addDaysToDate(days[6]!, 1), tz) };
}

/** The row menu's quick reschedule choices (Pipedrive's and Salesmate's): today, tomorrow, next week. */
export const quickRescheduleChoices = ["today", "tomorrow", "nextWeek"] as const;
export type QuickReschedule = (typeof quickRescheduleChoices)[number];

/**
 * The date a quick reschedule moves an activity to, from the user's local today (`localDay(now, tz).date`, the
 * today of My day): today, tomorrow, or next week's Monday (a week ahead on a Monday, tomorrow on a Sunday).
 */
export function quickRescheduleDate(choice: QuickReschedule, today: string): string {
  if (choice === "today") return today;
  if (choice === "tomorrow") return addDaysToDate(today, 1);
  return addDaysToDate(mondayOf(today), 7);
}

/** The local wall-clock time ("HH:mm") of an instant in a zone. */
export function localTime(instant: Date, tz: string): string {
  return format(new TZDate(instant.getTime(), safeTimeZone(tz)), "HH:mm");
}

export type Due = { dueAt: Date | null; dueDate: string | null };

/**
 * Overdue: not done, and a timed activity's due time has passed, or an all-day activity's date is before the
 * user's today (an all-day task is due until the end of its day).
 */
export function isOverdue(a: Due & { doneAt: Date | null }, now: Date, tz: string): boolean {
  if (a.doneAt) return false;
  if (a.dueAt) return a.dueAt.getTime() < now.getTime();
  return a.dueDate !== null && a.dueDate < localDate(now, tz);
}

/**
 * When the bell should remind the assignee: `lead` minutes before a timed activity, or at
 * ALL_DAY_REMINDER_HOUR local time on an all-day activity's date.
 */
export function reminderAt(a: Due, leadMinutes: number, tz: string): Date {
  if (a.dueAt) return addMinutes(a.dueAt, -leadMinutes);
  return zonedInstant(a.dueDate!, `${String(ALL_DAY_REMINDER_HOUR).padStart(2, "0")}:00`, tz);
}

/** The key that makes one reminder unique: the activity and the due time it reminds of (a reschedule reminds again). */
export function reminderKey(activityId: string, a: Due): string {
  return `reminder:${activityId}:${a.dueAt ? a.dueAt.toISOString() : a.dueDate}`;
}

/**
 * A reminder is due once its time has come: for a timed activity until REMINDER_GRACE_MS past its due time, for an
 * all-day one until the end of its local day. Missed for longer (the scheduler was down), it is not sent late.
 */
export function isReminderDue(a: Due, leadMinutes: number, tz: string, now: Date): boolean {
  const at = reminderAt(a, leadMinutes, tz).getTime();
  const until = a.dueAt ? a.dueAt.getTime() + REMINDER_GRACE_MS : startOfLocalDate(addDaysToDate(a.dueDate!, 1), tz).getTime();
  return at <= now.getTime() && now.getTime() < until;
}

/**
 * The morning digest window of one user at `now`: open from DIGEST_HOUR until DIGEST_LAST_HOUR local time, for
 * that local date. Outside it, `open` is false (the digest for the day is either not due yet or too late).
 */
export function digestWindow(now: Date, tz: string): { open: boolean; localDate: string } {
  const hour = localHour(now, tz);
  return { open: hour >= DIGEST_HOUR && hour < DIGEST_LAST_HOUR, localDate: localDate(now, tz) };
}

/** The next instant the digest window opens for a zone, at or after `now` (for "next digest at …" hints). */
export function nextDigestAt(now: Date, tz: string): Date {
  const today = localDate(now, tz);
  const todayAt = zonedInstant(today, `${String(DIGEST_HOUR).padStart(2, "0")}:00`, tz);
  return todayAt.getTime() >= now.getTime() ? todayAt : zonedInstant(addDaysToDate(today, 1), `${String(DIGEST_HOUR).padStart(2, "0")}:00`, tz);
}

