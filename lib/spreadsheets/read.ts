import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { cellText, stripNeutralisation } from "./cells";
import { checkZip, MAX_UNCOMPRESSED_BYTES, zipEntries } from "./zip-guard";

/** Limits of one uploaded file. 50,000 rows of a full deals sheet are ~15 MB as CSV, less as XLSX. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_ROWS = 100_000;
export const MAX_COLUMNS = 200;
export const MAX_HEADER_CHARS = 200;
export const MAX_CELL_CHARS = 32_767; // Excel's own limit for one cell

/** Why a file cannot be read at all; the code is an i18n key under imports.fileErrors. */
export type SpreadsheetErrorCode =
  | "empty"
  | "tooBig"
  | "wrongType"
  | "legacyXls"
  | "notUtf8"
  | "corrupt"
  | "noHeader"
  | "noRows"
  | "tooManyRows"
  | "tooManyColumns"
  | "cellTooLong"
  | "zipBomb";

export class SpreadsheetError extends Error {
  constructor(
    readonly code: SpreadsheetErrorCode,
    readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(`spreadsheet: ${code}`, options);
    this.name = "SpreadsheetError";
  }
}

export type SheetRow = { /** The row's number as the spreadsheet program shows it (header = 1). */ line: number; cells: string[] };
export type OpenedSheet = { type: "csv" | "xlsx"; /** CSV only: the delimiter found. */ delimiter?: string; headers: string[]; rows: AsyncGenerator<SheetRow> };

const startsWith = (bytes: Uint8Array, ...sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** What the first bytes say the file is, whatever its name claims. */
export function sniff(bytes: Uint8Array): "xlsx" | "xls" | "text" | "binary" {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return "xlsx";
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) return "xls";
  if (
    startsWith(bytes, 0x25, 0x50, 0x44, 0x46) || // %PDF
    startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) || // PNG
    startsWith(bytes, 0xff, 0xd8, 0xff) || // JPEG
    startsWith(bytes, 0x47, 0x49, 0x46, 0x38) || // GIF
    startsWith(bytes, 0x1f, 0x8b) || // gzip
    startsWith(bytes, 0x52, 0x61, 0x72, 0x21) || // RAR
    startsWith(bytes, 0x37, 0x7a, 0xbc, 0xaf) // 7z
  ) {
    return "binary";
  }
  return "text";
}

/**
 * Decodes a text file: UTF-8 with or without BOM, or UTF-16 with its BOM (Excel's "Unicode text"). Anything
 * else (a legacy code page, or bytes that are not text at all) is refused with a reason the user can act on.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (startsWith(bytes, 0xff, 0xfe)) text = new TextDecoder("utf-16le").decode(bytes.subarray(2));
  else if (startsWith(bytes, 0xfe, 0xff)) text = new TextDecoder("utf-16be").decode(bytes.subarray(2));
  else {
    const body = startsWith(bytes, 0xef, 0xbb, 0xbf) ? bytes.subarray(3) : bytes;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      throw new SpreadsheetError(looksBinary(body) ? "wrongType" : "notUtf8");
    }
  }
  if (looksBinary(text)) throw new SpreadsheetError("wrongType");
  return text;
}

/** NUL bytes or a noticeable share of control characters: not a text file, whatever the decoder accepted. */
function looksBinary(content: Uint8Array | string): boolean {
  const sample = typeof content === "string" ? content.slice(0, 65_536) : content.subarray(0, 65_536);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = typeof sample === "string" ? sample.charCodeAt(i) : sample[i]!;
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return sample.length > 0 && control / sample.length > 0.01;
}

function checkCells(cells: string[], line: number): string[] {
  if (cells.length > MAX_COLUMNS) throw new SpreadsheetError("tooManyColumns", { max: MAX_COLUMNS });
  for (const c of cells) if (c.length > MAX_CELL_CHARS) throw new SpreadsheetError("cellTooLong", { line, max: MAX_CELL_CHARS });
  return cells.map(stripNeutralisation);
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");

/**
 * Wraps raw records into header + data rows: the first non-blank row is the header (every cell short, at
 * least one named), blank rows are skipped, at most MAX_ROWS data rows, at least one.
 */
async function withHeader(type: "csv" | "xlsx", records: AsyncGenerator<SheetRow>, delimiter?: string): Promise<OpenedSheet> {
  let first: IteratorResult<SheetRow>;
  do first = await records.next();
  while (!first.done && isBlank(first.value.cells));
  if (first.done) throw new SpreadsheetError("empty");
  const headers = checkCells(first.value.cells, first.value.line).map((h) => h.trim());
  if (headers.some((h) => h.length > MAX_HEADER_CHARS) || headers.every((h) => h === "")) throw new SpreadsheetError("noHeader");
  const headerLine = first.value.line;
  // The first data row is read now, so "no rows" is reported at upload rather than as an empty import.
  let next: IteratorResult<SheetRow>;
  do next = await records.next();
  while (!next.done && isBlank(next.value.cells));
  if (next.done) throw new SpreadsheetError("noRows");
  const firstRow = next.value;
  async function* rows(): AsyncGenerator<SheetRow> {
    let count = 0;
    for (let row: SheetRow | undefined = firstRow; row; ) {
      if (!isBlank(row.cells) && row.line > headerLine) {
        if (++count > MAX_ROWS) throw new SpreadsheetError("tooManyRows", { max: MAX_ROWS });
        yield { line: row.line, cells: checkCells(row.cells, row.line) };
      }
      const r = await records.next();
      row = r.done ? undefined : r.value;
    }
  }
  return { type, delimiter, headers, rows: rows() };
}

async function* csvRecords(text: string, delimiter: string): AsyncGenerator<SheetRow> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter }) as NodeJS.ReadWriteStream;
  const chunkSize = 1 << 20;
  const chunks = function* () {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  };
  Readable.from(chunks()).pipe(parser);
  let line = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    line++;
    yield { line, cells: record.map((c) => (typeof c === "string" ? c : String(c ?? ""))) };
  }
}

/** The parts of exceljs' streaming WorkbookReader used here (exceljs 4.4; they are not in its typings). */
type WorkbookReaderParts = {
  model?: { sheets?: { rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Iterable<{ value: AsyncIterable<ExcelJS.Row> }>;
};

/**
 * The rows of the workbook's first sheet (first in the workbook's own order, as a spreadsheet program shows it),
 * through exceljs' streaming worksheet reader. exceljs' WorkbookReader is not used to walk the archive: it reads
 * it in one streaming pass and, on Node ≥ 18, intermittently loses a part that arrives while it is busy
 * (exceljs#3064) — the workbook part (then it throws "Cannot read properties of undefined (reading 'sheets')",
 * which was issue #12's "corrupt" on a file we had just written) or the styles (then dates come out as serial
 * numbers, silently). Here the parts are opened through the archive's central directory, one at a time, in the
 * order the sheet needs them: relationships, workbook, shared strings, styles, then the sheet, streamed.
 */
async function* xlsxRecords(bytes: Uint8Array): AsyncGenerator<SheetRow> {
  const parts = zipEntries(bytes);
  const open = (name: string) => parts.get(name)?.();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: "cache",
    styles: "cache", // needed to tell date cells from numbers
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  }) as unknown as WorkbookReaderParts;
  const rels = open("xl/_rels/workbook.xml.rels");
  const workbook = open("xl/workbook.xml");
  if (!rels || !workbook) throw new Error("no workbook part or relationships in the archive");
  await reader._parseRels(rels);
  await reader._parseWorkbook(workbook);
  const sharedStrings = open("xl/sharedStrings.xml");
  if (sharedStrings) {
    const parsing = reader._parseSharedStrings(sharedStrings); // fills the cache; yields nothing in "cache" mode
    while (!(await parsing.next()).done);
  }
  const styles = open("xl/styles.xml");
  if (styles) await reader._parseStyles(styles);
  const first = reader.model?.sheets?.[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  const path = target?.startsWith("/") ? target.slice(1) : target && `xl/${target}`;
  const sheetXml = path ? open(path) : undefined;
  if (!path || !sheetXml) throw new Error(`first sheet not found (${target ?? "no sheet"})`);
  for (const { value: sheet } of reader._parseWorksheet(sheetXml, /sheet(\d+)\.xml$/.exec(path)?.[1] ?? "1")) {
    for await (const row of sheet) {
      const values = Array.isArray(row.values) ? row.values : [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { line: row.number, cells };
    }
  }
}

/**
 * A file we cannot read as a spreadsheet: the user is told it is damaged (SpreadsheetError "corrupt"); the
 * reason stays on the error as its `cause` and goes to the server log (it may be our bug, as #12 was).
 */
function corrupt(error: unknown): SpreadsheetError {
  if (error instanceof SpreadsheetError) return error;
  console.warn(`[spreadsheets] unreadable XLSX: ${describe(error)}`);
  return new SpreadsheetError("corrupt", {}, { cause: error });
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

/** Rows of an XLSX; any failure other than a SpreadsheetError of ours surfaces as "corrupt", with its cause. */
async function* guardedXlsxRecords(bytes: Uint8Array): AsyncGenerator<SheetRow> {
  try {
    yield* xlsxRecords(bytes);
  } catch (error) {
    throw corrupt(error);
  }
}

/**
 * Opens an uploaded spreadsheet by its content (never its name): XLSX through exceljs' streaming reader, text
 * through papaparse with the delimiter detected (comma, semicolon, tab, pipe). Rows come one at a time, so the
 * caller can store them in batches; errors in the file surface as SpreadsheetError, at open or while reading.
 */
export async function openSpreadsheet(bytes: Uint8Array): Promise<OpenedSheet> {
  if (bytes.byteLength === 0) throw new SpreadsheetError("empty");
  if (bytes.byteLength > MAX_FILE_BYTES) throw new SpreadsheetError("tooBig", { maxMb: MAX_FILE_BYTES / 1024 / 1024 });
  const kind = sniff(bytes);
  if (kind === "xls") throw new SpreadsheetError("legacyXls");
  if (kind === "binary") throw new SpreadsheetError("wrongType");
  if (kind === "xlsx") {
    const zip = await checkZip(bytes);
    if (!zip.ok) throw new SpreadsheetError(zip.reason === "notZip" || zip.reason === "method" ? "corrupt" : "zipBomb", { maxMb: MAX_UNCOMPRESSED_BYTES / 1024 / 1024 });
    try {
      return await withHeader("xlsx", guardedXlsxRecords(bytes));
    } catch (error) {
      throw corrupt(error);
    }
  }
  const text = decodeText(bytes);
  if (text.trim() === "") throw new SpreadsheetError("empty");
  // Detected once on the first lines (comma when there is a single column), then used for the whole file.
  const delimiter = Papa.parse(text.slice(0, 65_536), { delimiter: "", preview: 20, skipEmptyLines: true }).meta.delimiter || ",";
  return withHeader("csv", csvRecords(text, delimiter), delimiter);
}
