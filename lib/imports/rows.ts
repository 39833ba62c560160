import type { RowError } from "@/db/schema";
import { currencySchema, dealFieldsSchema } from "../deals/schema";
import { contactFieldsSchema, lifecycles, type Lifecycle } from "../contacts/schema";
import { companyFieldsSchema } from "../companies/schema";
import { currencyDigits, parseMoney } from "../format";
import { parseDateText, parsedToDate, parsedToInstant, type DateOrder } from "../spreadsheets/dates";
import { z } from "../validation";
import enContacts from "../i18n/messages/en/contacts.json";
import zhContacts from "../i18n/messages/zh-CN/contacts.json";

/**
 * One spreadsheet row → the typed values of a deal, contact or company, or the reasons it is refused (in
 * plain words: i18n keys with parameters). Pure: the same zod field rules as the forms (lib/deals,
 * lib/contacts, lib/companies), money through parseMoney, dates read in the workspace's time zone.
 * References (stage, owner, company, contact) are only read here; resolving them is the engine's job.
 */

export type ParseOptions = { timeZone: string; currency: string; dateOrder: DateOrder; now: Date };
/** A refused row may still carry what could be read of it, so its references can be checked (and reported) too. */
export type RowResult<T> = { ok: true; data: T } | { ok: false; errors: RowError[]; data?: T };
/** Mapped cells of one row: field → trimmed text ("" when blank or unmapped). */
export type FieldCells = Record<string, string>;

const err = (field: string | null, key: string, params?: RowError["params"]): RowError => (params ? { field, key, params } : { field, key });

/** Cells of a row keyed by the field each column is mapped to. */
export function cellsByField(mapping: (string | null)[], cells: string[]): FieldCells {
  const out: FieldCells = {};
  mapping.forEach((field, i) => {
    if (field) out[field] = (cells[i] ?? "").trim();
  });
  return out;
}

/** Zod issues of a form schema as row errors (their messages are already i18n keys). */
function zodErrors(error: z.ZodError, fieldOf: (path: string) => string): RowError[] {
  return error.issues.map((issue) => err(fieldOf(String(issue.path[0] ?? "")), issue.message.startsWith("errors.") ? issue.message : "errors.invalid"));
}

const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));

/** "$1,200.50" → "1,200.50", "1200 EUR" → "1200": currency symbols and codes around an amount are dropped. */
export function cleanAmount(text: string): string {
  return text
    .replace(/^[^\d\-.]+/, (prefix) => (prefix.includes("-") ? "-" : ""))
    .replace(/[^\d.]+$/, "")
    .trim();
}

/** A cell with no digit at all ("not-a-number", "N/A") is no amount, however it is cleaned. */
const hasDigit = (text: string) => /\d/.test(text);

/**
 * A money amount as typed in a sheet ("$1,200.50", "1200.5 USD", "¥3000") → minor units (blank = 0), refusing
 * negatives. A cell with no digit at all ("not-a-number", "N/A") is not an amount and says so, quoting the cell; a
 * number we cannot read ("1.234,50", more decimals than the currency has) gets the forms' hint on how to write it.
 */
export function parseAmount(text: string, currency: string): { ok: true; minor: number } | { ok: false; key: string; params?: RowError["params"] } {
  if (text.trim() === "") return { ok: true, minor: 0 };
  if (!hasDigit(text)) return { ok: false, key: "imports.rowErrors.notAnAmount", params: { value: text.trim().slice(0, 40) } };
  const cleaned = cleanAmount(text);
  const minor = cleaned === "" ? null : parseMoney(cleaned, currency);
  if (minor === null) return { ok: false, key: "errors.invalidAmount" };
  if (minor < 0) return { ok: false, key: "imports.rowErrors.negativeValue" };
  return { ok: true, minor };
}

export function parseCurrency(text: string, fallback: string): string | null {
  if (!text) return fallback;
  const parsed = currencySchema.safeParse(text);
  return parsed.success && knownCurrencies.has(parsed.data) ? parsed.data : null;
}

const statusWords: Record<string, "open" | "won" | "lost"> = {
  open: "open",
  opened: "open",
  active: "open",
  "in progress": "open",
  进行中: "open",
  打开: "open",
  跟进中: "open",
  won: "won",
  win: "won",
  "closed won": "won",
  赢单: "won",
  成交: "won",
  已成交: "won",
  lost: "lost",
  lose: "lost",
  "closed lost": "lost",
  输单: "lost",
  丢单: "lost",
  失败: "lost",
};

const lifecycleWords = new Map<string, Lifecycle>();
for (const l of lifecycles) {
  lifecycleWords.set(l, l);
  lifecycleWords.set(enContacts.lifecycle[l].toLowerCase(), l);
  lifecycleWords.set(zhContacts.lifecycle[l], l);
}
lifecycleWords.set("subscriber", "lead").set("opportunity", "qualified").set("sql", "qualified").set("mql", "lead");

function readDate(text: string, field: string, kind: "instant" | "date", opts: ParseOptions, errors: RowError[]): Date | string | null {
  if (!text) return null;
  const parsed = parseDateText(text, opts.dateOrder);
  if (!parsed.ok) {
    errors.push(err(field, parsed.reason === "ambiguous" ? "imports.rowErrors.ambiguousDate" : "imports.rowErrors.invalidDate", { value: text.slice(0, 40) }));
    return null;
  }
  return kind === "instant" ? parsedToInstant(parsed, opts.timeZone) : parsedToDate(parsed, opts.timeZone);
}

function instant(text: string, field: string, opts: ParseOptions, errors: RowError[]): Date | null {
  const d = readDate(text, field, "instant", opts, errors) as Date | null;
  // History cannot be in the future: one day of slack for time-zone confusion.
  if (d && d.getTime() > opts.now.getTime() + 86_400_000) {
    errors.push(err(field, "imports.rowErrors.futureDate", { value: text.slice(0, 40) }));
    return null;
  }
  return d;
}

const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("errors.invalidEmail"));
function email(text: string, field: string, errors: RowError[]): string | null {
  if (!text) return null;
  const parsed = emailSchema.safeParse(text);
  if (!parsed.success) {
    errors.push(err(field, "errors.invalidEmail"));
    return null;
  }
  return parsed.data;
}

function limited(text: string, field: string, max: number, errors: RowError[]): string | null {
  if (!text) return null;
  if (text.length > max) {
    errors.push(err(field, "imports.rowErrors.tooLong", { max }));
    return null;
  }
  return text;
}

/** "Ann Lee" → Ann / Lee; "王芳" stays a first name. */
export function splitName(full: string): { firstName: string; lastName: string } {
  const [first = "", ...rest] = full.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(" ") };
}

export type StageRef = { pipeline: string | null; stage: string };
export type HistoryEntry = StageRef & { at: Date };

/** "Pipeline › Stage" names a stage of another pipeline; a plain name is a stage of the deal's pipeline. */
export const PIPELINE_STAGE_SEPARATOR = " › ";
export function parseStageRef(text: string): StageRef {
  const at = text.indexOf(PIPELINE_STAGE_SEPARATOR.trim());
  if (at > 0) return { pipeline: text.slice(0, at).trim() || null, stage: text.slice(at + 1).trim() };
  return { pipeline: null, stage: text.trim() };
}

const historyLine = /^(\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)\s+(.+)$/;

/**
 * The "Stage history" cell: one "<date> <stage>" entry per line (or separated by ";"), oldest first, e.g.
 * "2025-01-03 09:00:00 Lead in\n2025-01-20 14:10:00 Qualified". Dates are ISO (year first).
 */
export function parseStageHistory(text: string, opts: ParseOptions, errors: RowError[]): HistoryEntry[] | null {
  if (!text) return null;
  const entries: HistoryEntry[] = [];
  for (const raw of text.split(/[\n;]+/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = historyLine.exec(line);
    const parsed = m ? parseDateText(m[1]!, "ymd") : null;
    if (!m || !parsed?.ok) {
      errors.push(err("stageHistory", "imports.rowErrors.stageHistoryLine", { value: line.slice(0, 60) }));
      return null;
    }
    const at = parsedToInstant(parsed, opts.timeZone);
    if (at.getTime() > opts.now.getTime() + 86_400_000) {
      errors.push(err("stageHistory", "imports.rowErrors.futureDate", { value: m[1]! }));
      return null;
    }
    const ref = parseStageRef(m[2]!);
    if (ref.stage.length > 80 || (ref.pipeline?.length ?? 0) > 80) {
      errors.push(err("stageHistory", "imports.rowErrors.tooLong", { max: 80 }));
      return null;
    }
    const previous = entries.at(-1);
    if (previous && previous.at.getTime() > at.getTime()) {
      errors.push(err("stageHistory", "imports.rowErrors.stageHistoryOrder"));
      return null;
    }
    entries.push({ ...ref, at });
  }
  return entries.length ? entries : null;
}

export type DealRowData = {
  title: string;
  value: number;
  currency: string;
  pipeline: string | null;
  stage: string | null;
  status: "open" | "won" | "lost";
  ownerEmail: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  company: string | null;
  source: string | null;
  expectedCloseDate: string | null;
  createdAt: Date | null;
  closedAt: Date | null;
  lostReason: string | null;
  notes: string | null;
  history: HistoryEntry[] | null;
};

const dealTextSchema = dealFieldsSchema.pick({ title: true, source: true, notes: true });

export function parseDealRow(f: FieldCells, opts: ParseOptions): RowResult<DealRowData> {
  const errors: RowError[] = [];
  const text = dealTextSchema.safeParse({ title: f.title ?? "", source: f.source || null, notes: f.notes || null });
  if (!text.success) errors.push(...zodErrors(text.error, (p) => p));
  const currency = parseCurrency((f.currency ?? "").toUpperCase(), opts.currency);
  if (!currency) errors.push(err("currency", "errors.invalidCurrency"));
  let value = 0;
  if (currency) {
    const amount = parseAmount(f.value ?? "", currency);
    if (amount.ok) value = amount.minor;
    else errors.push(err("value", amount.key, amount.params ?? (amount.key === "errors.invalidAmount" ? { digits: currencyDigits(currency) } : undefined)));
  }
  const statusText = (f.status ?? "").toLowerCase();
  const status = statusText ? statusWords[statusText] : "open";
  if (!status) errors.push(err("status", "imports.rowErrors.invalidStatus", { value: (f.status ?? "").slice(0, 40) }));
  const createdAt = instant(f.createdAt ?? "", "createdAt", opts, errors);
  const closedAt = instant(f.closedAt ?? "", "closedAt", opts, errors);
  const expectedCloseDate = readDate(f.expectedCloseDate ?? "", "expectedCloseDate", "date", opts, errors) as string | null;
  if (closedAt && status === "open") errors.push(err("closedAt", "imports.rowErrors.closedDateNeedsStatus"));
  if (closedAt && createdAt && closedAt < createdAt) errors.push(err("closedAt", "imports.rowErrors.closedBeforeCreated"));
  const history = parseStageHistory(f.stageHistory ?? "", opts, errors);
  const stage = f.stage ? parseStageRef(f.stage).stage : null;
  if (history) {
    const last = history.at(-1)!;
    if (stage && last.stage.toLowerCase() !== stage.toLowerCase()) errors.push(err("stageHistory", "imports.rowErrors.stageHistoryEnd", { stage }));
    if (createdAt && history[0]!.at < createdAt) errors.push(err("stageHistory", "imports.rowErrors.stageHistoryBeforeCreated"));
    if (closedAt && last.at > closedAt) errors.push(err("stageHistory", "imports.rowErrors.stageHistoryAfterClosed"));
  }
  const data: DealRowData = {
    title: text.success ? text.data.title : "",
    value,
    currency: currency ?? opts.currency,
    pipeline: limited(f.pipeline ?? "", "pipeline", 80, errors),
    stage: stage ?? history?.at(-1)?.stage ?? null,
    status: status ?? "open",
    ownerEmail: email(f.ownerEmail ?? "", "ownerEmail", errors),
    contactName: limited(f.contactName ?? "", "contactName", 240, errors),
    contactEmail: email(f.contactEmail ?? "", "contactEmail", errors),
    contactPhone: limited(f.contactPhone ?? "", "contactPhone", 50, errors),
    company: limited(f.company ?? "", "company", 200, errors),
    source: text.success ? text.data.source : null,
    expectedCloseDate,
    createdAt,
    closedAt,
    lostReason: status === "lost" ? limited(f.lostReason ?? "", "lostReason", 200, errors) : null,
    notes: text.success ? text.data.notes : null,
    history,
  };
  if (data.stage && data.stage.length > 80) {
    errors.push(err("stage", "imports.rowErrors.tooLong", { max: 80 }));
    data.stage = null;
  }
  return errors.length ? { ok: false, errors, data } : { ok: true, data };
}

export type ContactRowData = {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  company: string | null;
  ownerEmail: string | null;
  lifecycle: Lifecycle | null;
  source: string | null;
  timeZone: string | null;
  createdAt: Date | null;
  /** Which fields the sheet gave a value for: an update changes only those. */
  present: Set<string>;
};

const contactSchema = contactFieldsSchema.pick({ firstName: true, lastName: true, email: true, phone: true, title: true, source: true, timeZone: true });
const contactFieldOf: Record<string, string> = { title: "jobTitle" };

export function parseContactRow(f: FieldCells, opts: ParseOptions): RowResult<ContactRowData> {
  const errors: RowError[] = [];
  const split = f.fullName ? splitName(f.fullName) : { firstName: "", lastName: "" };
  const firstName = f.firstName || split.firstName;
  const lastName = f.firstName ? (f.lastName ?? "") : f.lastName || split.lastName;
  const parsed = contactSchema.safeParse({
    firstName,
    lastName: lastName || null,
    email: f.email || null,
    phone: f.phone || null,
    title: f.jobTitle || null,
    source: f.source || null,
    timeZone: f.timeZone || null,
  });
  if (!parsed.success) errors.push(...zodErrors(parsed.error, (p) => (p === "firstName" && !f.firstName && f.fullName ? "fullName" : (contactFieldOf[p] ?? p))));
  let lifecycle: Lifecycle | null = null;
  if (f.lifecycle) {
    lifecycle = lifecycleWords.get(f.lifecycle.toLowerCase()) ?? null;
    if (!lifecycle) errors.push(err("lifecycle", "imports.rowErrors.invalidLifecycle", { value: f.lifecycle.slice(0, 40) }));
  }
  const createdAt = instant(f.createdAt ?? "", "createdAt", opts, errors);
  const ownerEmail = email(f.ownerEmail ?? "", "ownerEmail", errors);
  const company = limited(f.company ?? "", "company", 200, errors);
  if (errors.length || !parsed.success) return { ok: false, errors };
  const present = new Set<string>();
  for (const [field, value] of Object.entries(f)) if (value) present.add(field === "fullName" ? "firstName" : field);
  if (f.fullName && !f.firstName) present.add("lastName");
  return {
    ok: true,
    data: { ...parsed.data, lastName: parsed.data.lastName ?? "", company, ownerEmail, lifecycle, createdAt, present },
  };
}

export type CompanyRowData = {
  name: string;
  domain: string | null;
  phone: string | null;
  address: string | null;
  ownerEmail: string | null;
  createdAt: Date | null;
  present: Set<string>;
};

const companySchema = companyFieldsSchema.pick({ name: true, domain: true, phone: true, address: true });

export function parseCompanyRow(f: FieldCells, opts: ParseOptions): RowResult<CompanyRowData> {
  const errors: RowError[] = [];
  const parsed = companySchema.safeParse({ name: f.name ?? "", domain: f.domain || null, phone: f.phone || null, address: f.address || null });
  if (!parsed.success) errors.push(...zodErrors(parsed.error, (p) => p));
  const createdAt = instant(f.createdAt ?? "", "createdAt", opts, errors);
  const ownerEmail = email(f.ownerEmail ?? "", "ownerEmail", errors);
  if (errors.length || !parsed.success) return { ok: false, errors };
  const present = new Set(Object.entries(f).filter(([, v]) => v).map(([k]) => k));
  return { ok: true, data: { ...parsed.data, ownerEmail, createdAt, present } };
}

const booleanWords: Record<string, string> = { yes: "true", y: "true", no: "false", n: "false", 是: "true", 否: "false", "✓": "true", "✗": "false" };

/**
 * A custom field's cell as the custom-field parser (lib/custom-fields/values.ts, the forms' rules) expects it:
 * dates read like the other dates of the sheet, amounts without currency symbols, yes/no as true/false, several
 * options separated by ";" or ",". Option labels, numbers and text pass as they are.
 */
export function customCellInput(type: string, text: string, opts: ParseOptions): string | { error: string } {
  if (type === "date") {
    const parsed = parseDateText(text, opts.dateOrder);
    if (!parsed.ok) return { error: parsed.reason === "ambiguous" ? "imports.rowErrors.ambiguousDate" : "imports.rowErrors.invalidDate" };
    return parsedToDate(parsed, opts.timeZone);
  }
  // Without a digit, cleanAmount would leave "" and the field would silently stay empty.
  if (type === "money") return hasDigit(text) ? cleanAmount(text) : { error: "imports.rowErrors.notAnAmount" };
  if (type === "checkbox") return booleanWords[text.toLowerCase()] ?? text.toLowerCase();
  return text;
}
