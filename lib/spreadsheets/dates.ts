import { TZDate } from "@date-fns/tz";

/**
 * Dates in spreadsheets: what people type (2025-03-14, 14/03/2025, 3/14/2025 9:30, Excel serial numbers,
 * ISO instants) read in the workspace's time zone, and what exports write (wall time in that zone), so a deal
 * created "2025-03-01" lands in March in every report. Pure: no clock, no I/O.
 */

/** How to read a date whose year comes last (03/04/2025): day first, month first, or refuse as ambiguous. */
export type DateOrder = "ymd" | "dmy" | "mdy";

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number };

export type ParsedDate =
  | { ok: true; wall: WallTime; /** Set when the text named its own offset (Z, +08:00): an exact instant. */ instant: Date | null }
  | { ok: false; reason: "invalid" | "ambiguous" };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function validWall(w: WallTime): boolean {
  if (w.year < 1900 || w.year > 2200 || w.month < 1 || w.month > 12 || w.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day <= daysInMonth && w.hour < 24 && w.minute < 60 && w.second < 60;
}

const timePart = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?`;
const zonePart = String.raw`\s*(Z|[+-]\d{2}(?::?\d{2})?)?`;
const yearFirst = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${timePart}${zonePart}$`);
const yearLast = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})${timePart}${zonePart}$`);
const compact = /^(\d{4})(\d{2})(\d{2})$/;
/** Excel's serial day numbers (1900 date system), for date columns not formatted as dates. */
const serial = /^\d{1,7}(?:\.\d+)?$/;

function time(m: RegExpExecArray, from: number): Pick<WallTime, "hour" | "minute" | "second" | "ms"> | null {
  let hour = Number(m[from] ?? 0);
  const minute = Number(m[from + 1] ?? 0);
  const second = Number(m[from + 2] ?? 0);
  const ms = m[from + 3] ? Number(m[from + 3]!.slice(0, 3).padEnd(3, "0")) : 0;
  const ampm = m[from + 4]?.toLowerCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === "am" && hour === 12) hour = 0;
    if (ampm === "pm" && hour < 12) hour += 12;
  }
  return { hour, minute, second, ms };
}

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone) return null;
  if (zone === "Z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

function finish(wall: WallTime, zone: string | undefined): ParsedDate {
  if (!validWall(wall)) return { ok: false, reason: "invalid" };
  const offset = offsetMinutes(zone);
  const instant =
    offset === null
      ? null
      : new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms) - offset * 60_000);
  return { ok: true, wall, instant };
}

/** Reads a date (with optional time and offset) as typed in a cell. Blank text is the caller's business. */
export function parseDateText(raw: string, order: DateOrder): ParsedDate {
  const text = raw.trim();
  let m = yearFirst.exec(text);
  if (m) {
    const t = time(m, 4);
    if (!t) return { ok: false, reason: "invalid" };
    return finish({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), ...t }, m[9]);
  }
  m = yearLast.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const t = time(m, 4);
    if (!t) return { ok: false, reason: "invalid" };
    // A day above 12 settles the order by itself; otherwise the chosen format decides.
    const dayFirst = a > 12 ? true : b > 12 ? false : order === "ymd" ? null : order === "dmy";
    if (dayFirst === null) return { ok: false, reason: "ambiguous" };
    return finish({ year: Number(m[3]), month: dayFirst ? b : a, day: dayFirst ? a : b, ...t }, m[9]);
  }
  m = compact.exec(text);
  if (m) return finish({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0, ms: 0 }, undefined);
  if (serial.test(text)) {
    const days = Number(text);
    // Serial 25569 is 1970-01-01 (Excel counts a 29 Feb 1900 that never was, which this offset absorbs).
    // Small numbers are more likely a typo or a bare year than a date from before 1927: refused.
    if (days >= 10_000 && days < 2_958_466) {
      const ms = Math.round((days - 25_569) * 86_400_000);
      const d = new Date(ms);
      return finish(
        { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), ms: 0 },
        undefined,
      );
    }
  }
  return { ok: false, reason: "invalid" };
}

/** The instant a wall time means in `timeZone` (a time skipped by a DST change moves forward, as clocks do). */
export function wallToInstant(wall: WallTime, timeZone: string): Date {
  const d = new TZDate(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms, timeZone);
  return new Date(d.getTime());
}

/** The wall time of an instant in `timeZone`. */
export function instantToWall(instant: Date, timeZone: string): WallTime {
  const d = new TZDate(instant.getTime(), timeZone);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), ms: d.getMilliseconds() };
}

/** A parsed date as an instant: its own offset if it had one, else read in the workspace's time zone. */
export function parsedToInstant(parsed: Extract<ParsedDate, { ok: true }>, timeZone: string): Date {
  return parsed.instant ?? wallToInstant(parsed.wall, timeZone);
}

/** A parsed date as a calendar date (YYYY-MM-DD) in the workspace's time zone. */
export function parsedToDate(parsed: Extract<ParsedDate, { ok: true }>, timeZone: string): string {
  const wall = parsed.instant ? instantToWall(parsed.instant, timeZone) : parsed.wall;
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** "2025-03-14 09:30:05": the wall time of an instant in `timeZone`, as exports write it. */
export function formatDateTime(instant: Date, timeZone: string): string {
  const w = instantToWall(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * The wall time of an instant in `timeZone` carried in a Date's UTC fields: how an XLSX date cell (which has no
 * time zone) shows the workspace's local time.
 */
export function wallDate(instant: Date, timeZone: string): Date {
  const w = instantToWall(instant, timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
}

/** A Date read from an XLSX date cell (wall time in its UTC fields) as text the date parser reads back. */
export function excelDateText(d: Date): string {
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return date;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * Guesses how a column's year-last dates are written from sample values: a first number above 12 means day
 * first, a second above 12 month first; no year-last dates (or no clue) → "ymd" unless `fallback` says otherwise.
 */
export function guessDateOrder(samples: string[], fallback: DateOrder = "ymd"): DateOrder {
  let sawYearLast = false;
  for (const s of samples) {
    const m = yearLast.exec(s.trim());
    if (!m) continue;
    sawYearLast = true;
    if (Number(m[1]) > 12) return "dmy";
    if (Number(m[2]) > 12) return "mdy";
  }
  return sawYearLast ? fallback : "ymd";
}
