/** Two-letter initials for an avatar ("Ann Lee" → "AL", "王芳" → "王芳"). */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "?";
  if (parts.length === 1) return Array.from(parts[0]!).slice(0, 2).join("").toUpperCase();
  return (Array.from(parts[0]!)[0]! + Array.from(parts[parts.length - 1]!)[0]!).toUpperCase();
}

// Intl formatters are slow to build (tens of µs: locale negotiation) and a board formats ~100 amounts per render,
// so they are kept per (locale, currency, notation). The keys are few (locales × currencies in use); the caches
// are emptied past a bound so odd input cannot grow them.
const MAX_CACHED = 500;
const digitsCache = new Map<string, number>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Decimal places of a currency's minor unit (USD 2, JPY 0, KWD 3), from Intl. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    if (digitsCache.size >= MAX_CACHED) digitsCache.clear();
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Formats integer minor units as money for a locale (12345, "USD", "en" → "$123.45"). */
export function formatMoney(minor: number, currency: string, locale: string, opts: { compact?: boolean } = {}): string {
  const digits = currencyDigits(currency);
  const key = `${locale}|${currency}|${opts.compact ? "c" : "s"}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      notation: opts.compact ? "compact" : "standard",
      maximumFractionDigits: opts.compact ? 1 : digits,
      minimumFractionDigits: opts.compact ? 0 : digits,
    });
    if (moneyFormats.size >= MAX_CACHED) moneyFormats.clear();
    moneyFormats.set(key, format);
  }
  return format.format(minor / 10 ** digits);
}

/**
 * Parses a money amount typed by a user ("1,234.5", "1234,50" is refused) into integer minor units.
 * Returns null when the text is not a number or has more decimals than the currency allows.
 */
export function parseMoney(text: string, currency: string): number | null {
  const cleaned = text.trim().replace(/[\s_]/g, "");
  if (cleaned === "") return 0;
  const digits = currencyDigits(currency);
  // Commas are thousands separators only (groups of three), so "1234,50" cannot silently become 123450.00.
  const match = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return null;
  const [, sign, grouped, frac = ""] = match;
  const whole = grouped!.replaceAll(",", "");
  if (frac.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) return null;
  return sign ? -minor : minor;
}

/** Minor units → the plain decimal string an input shows (123456, "USD" → "1234.56"). */
export function minorToInput(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, "0")}`;
}

/** A calendar date ("2027-02-09", no time of day) as the app shows dates ("Feb 9, 2027" in en). */
export function formatCalendarDate(isoDate: string, locale: string): string {
  return dateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${isoDate}T00:00:00Z`));
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An Intl.DateTimeFormat for (locale, options), kept for the process: building one takes 0.1–0.2 ms (its pattern
 * is resolved from the locale's data), formatting with it ~1 µs. Options with the same keys in another order are
 * another entry; callers pass literal options, so the entries are few.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    if (dateTimeFormats.size >= MAX_CACHED) dateTimeFormats.clear();
    dateTimeFormats.set(key, format);
  }
  return format;
}
