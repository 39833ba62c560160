import { excelDateText } from "./dates";

/**
 * A cell that starts with = + - @ (or a tab / carriage return, which some spreadsheet programs skip before
 * reading a formula) could run as a formula when the file is opened ("CSV injection"). Exports write such
 * text with a leading apostrophe, which spreadsheet programs read as "this is text".
 */
const formulaStart = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** True when a text cell would need neutralising (used for XLSX text cells and by tests). */
export function looksLikeFormula(text: string): boolean {
  return formulaStart.test(text);
}

/** Undoes neutraliseFormula on import, so a file exported by Pipewise imports its original text. */
export function stripNeutralisation(text: string): string {
  return text.length > 1 && text[0] === "'" && formulaStart.test(text.slice(1)) ? text.slice(1) : text;
}

type RichText = { richText: { text: string }[] };
type Hyperlink = { text?: unknown; hyperlink: string };
type Formula = { formula?: string; sharedFormula?: string; result?: unknown };

/**
 * The text of one XLSX cell value as exceljs reads it: numbers as written (1234.5), dates as
 * "YYYY-MM-DD[ HH:mm:ss]" (their wall time), rich text and hyperlinks as their text, formulas as their last
 * computed result (never the formula itself), errors as blank.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : excelDateText(value);
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray((value as RichText).richText)) return (value as RichText).richText.map((r) => r.text ?? "").join("");
    if ("hyperlink" in value) return cellText((value as Hyperlink).text ?? (value as Hyperlink).hyperlink);
    if ("formula" in value || "sharedFormula" in value || "result" in value) return cellText((value as Formula).result);
    if ("error" in value) return "";
  }
  return "";
}

/** A header reduced to what identifies it: lower case, letters and digits of any script only ("Deal - Title" → "dealtitle"). */
export function headerKey(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}
