import type { CustomFieldSettings } from "@/db/schema/custom-fields";
import { currencyDigits, formatCalendarDate, formatMoney, parseMoney } from "../format";

export const customFieldTypes = ["text", "long_text", "number", "money", "date", "single_select", "multi_select", "checkbox", "user", "url", "email", "phone"] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** What value code needs of a field definition (a DTO, safe to send to the browser). */
export type FieldDef = { key: string; label: string; type: CustomFieldType; settings: CustomFieldSettings };

/**
 * The stored shape per type (jsonb): text-like types a string; number a number; money integer minor units of the
 * field's currency; date "YYYY-MM-DD"; single_select an option id; multi_select option ids; checkbox a boolean;
 * user a user id. Absent key = empty.
 */
export type CustomValue = string | number | boolean | string[];

type Parsed = { ok: true; value: CustomValue | null } | { ok: false; error: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9\s().-]{2,30}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEmptyRaw(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "") || (Array.isArray(raw) && raw.length === 0);
}

function optionId(settings: CustomFieldSettings, raw: string): string | undefined {
  const options = settings.options ?? [];
  const text = raw.trim();
  // ids from forms and the API; labels (any case) from spreadsheets and people
  return options.find((o) => o.id === text)?.id ?? options.find((o) => o.label.toLowerCase() === text.toLowerCase())?.id;
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Turns what a form, a spreadsheet or the API sent for one field into the stored value, or an i18n error key.
 * Empty input clears the field (null). User ids are only checked for shape here; membership is the caller's
 * (it needs the database).
 */
export function parseCustomValue(field: FieldDef, input: unknown): Parsed {
  // a form's checkbox posts a hidden "false" then "true" when ticked: the last value wins for single-valued types
  const raw = Array.isArray(input) && field.type !== "multi_select" ? input.at(-1) : input;
  if (field.type === "checkbox") {
    if (raw === undefined || raw === null || raw === "") return { ok: true, value: null };
    if (raw === true || raw === "true" || raw === "on" || raw === "1" || raw === 1) return { ok: true, value: true };
    if (raw === false || raw === "false" || raw === "off" || raw === "0" || raw === 0) return { ok: true, value: false };
    return { ok: false, error: "errors.invalidBoolean" };
  }
  if (isEmptyRaw(raw)) return { ok: true, value: null };
  if (field.type === "multi_select") {
    const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[;,]/) : null;
    if (!list) return { ok: false, error: "errors.invalidOption" };
    const ids: string[] = [];
    for (const item of list) {
      if (typeof item !== "string" || item.trim() === "") continue;
      const id = optionId(field.settings, item);
      if (!id) return { ok: false, error: "errors.invalidOption" };
      if (!ids.includes(id)) ids.push(id);
    }
    return { ok: true, value: ids.length ? ids : null };
  }
  if (field.type === "number") {
    if (typeof raw === "number") return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, error: "errors.invalidNumber" };
    const text = String(raw).trim().replace(/(\d),(?=\d{3}\b)/g, "$1");
    if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, error: "errors.invalidNumber" };
    const n = Number(text);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: "errors.invalidNumber" };
  }
  if (typeof raw !== "string" && typeof raw !== "number") return { ok: false, error: "errors.invalid" };
  const text = String(raw).trim();
  switch (field.type) {
    case "text":
      return text.length > 500 ? { ok: false, error: "errors.tooBig" } : { ok: true, value: text };
    case "long_text":
      return text.length > 10_000 ? { ok: false, error: "errors.tooBig" } : { ok: true, value: String(raw) };
    case "money": {
      const minor = parseMoney(text, field.settings.currency ?? "USD");
      return minor === null ? { ok: false, error: "errors.invalidAmount" } : { ok: true, value: minor };
    }
    case "date":
      return isRealDate(text) ? { ok: true, value: text } : { ok: false, error: "errors.invalidDate" };
    case "single_select": {
      const id = optionId(field.settings, text);
      return id ? { ok: true, value: id } : { ok: false, error: "errors.invalidOption" };
    }
    case "user":
      return UUID.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false, error: "errors.ownerNotMember" };
    case "url": {
      try {
        const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
        if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, error: "errors.invalidUrl" };
        return { ok: true, value: url.toString() };
      } catch {
        return { ok: false, error: "errors.invalidUrl" };
      }
    }
    case "email":
      return EMAIL.test(text) && text.length <= 254 ? { ok: true, value: text.toLowerCase() } : { ok: false, error: "errors.invalidEmail" };
    case "phone":
      return PHONE.test(text) ? { ok: true, value: text } : { ok: false, error: "errors.invalidPhone" };
  }
}

/**
 * Validates many fields at once. `raw` maps field keys to input; keys of unknown or archived fields are errors.
 * Returns the values to store (null = clear) and field errors keyed "custom.<key>" for forms.
 */
export function parseCustomValues(fields: FieldDef[], raw: Record<string, unknown>): { values: Record<string, CustomValue | null>; fieldErrors: Record<string, string[]> } {
  const values: Record<string, CustomValue | null> = {};
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, input] of Object.entries(raw)) {
    const field = fields.find((f) => f.key === key);
    if (!field) {
      fieldErrors[`custom.${key}`] = ["errors.unknownField"];
      continue;
    }
    const parsed = parseCustomValue(field, input);
    if (parsed.ok) values[key] = parsed.value;
    else fieldErrors[`custom.${key}`] = [parsed.error];
  }
  return { values, fieldErrors };
}

/** Merges parsed values into a record's stored custom object (null removes the key). */
export function mergeCustom(current: Record<string, unknown>, changes: Record<string, CustomValue | null>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** A stored value as the plain text an input shows (money in major units, selects as ids). */
export function customValueToInput(field: FieldDef, value: unknown): string | string[] {
  if (value === undefined || value === null) return field.type === "multi_select" ? [] : "";
  if (field.type === "money" && typeof value === "number") {
    const digits = currencyDigits(field.settings.currency ?? "USD");
    return digits === 0 ? String(value) : (value / 10 ** digits).toFixed(digits);
  }
  if (field.type === "multi_select") return Array.isArray(value) ? value.map(String) : [];
  if (field.type === "checkbox") return value === true ? "true" : "false";
  return String(value);
}

/** A stored value for display (cards, tables, the deal page, exports). `userName` resolves user ids. */
export function formatCustomValue(field: FieldDef, value: unknown, locale: string, userName: (id: string) => string | undefined = () => undefined): string {
  if (value === undefined || value === null) return "";
  const label = (id: unknown) => field.settings.options?.find((o) => o.id === id)?.label ?? "—";
  switch (field.type) {
    case "money":
      return typeof value === "number" ? formatMoney(value, field.settings.currency ?? "USD", locale) : "";
    case "number":
      return typeof value === "number" ? new Intl.NumberFormat(locale).format(value) : "";
    case "date":
      return typeof value === "string" ? formatCalendarDate(value, locale) : "";
    case "single_select":
      return label(value);
    case "multi_select":
      return Array.isArray(value) ? value.map(label).join(", ") : "";
    case "checkbox":
      return value === true ? "✓" : value === false ? "✗" : "";
    case "user":
      return userName(String(value)) ?? "—";
    default:
      return String(value);
  }
}

/**
 * Whether the stored values of one type survive a change to another unchanged in meaning. Returns the converter
 * for one value (null = refuse the change). Values that the new type would refuse make the change unsafe too
 * (checked by the command over every stored value).
 */
export function typeConversion(from: CustomFieldType, to: CustomFieldType): ((value: unknown) => unknown) | null {
  if (from === to) return (v) => v;
  const textual: CustomFieldType[] = ["text", "long_text", "url", "email", "phone"];
  if (textual.includes(from) && textual.includes(to)) return (v) => v;
  if (from === "number" && (to === "text" || to === "long_text")) return (v) => String(v);
  if (from === "date" && (to === "text" || to === "long_text")) return (v) => v;
  if (from === "single_select" && to === "multi_select") return (v) => [v];
  return null;
}
