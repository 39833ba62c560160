import { once } from "node:events";
import { PassThrough, Readable, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { neutraliseFormula } from "./cells";

/**
 * Writing sheets as CSV (UTF-8 with BOM, so Excel reads accents and Chinese correctly; CRLF line ends) or
 * XLSX (exceljs' streaming writer: rows go out as they come, nothing holds the whole sheet).
 *
 * Formula injection: CSV text that starts with = + - @ tab or CR gets a leading apostrophe. XLSX text cells are
 * written as string cells in the Text number format ("@"), which no spreadsheet program evaluates, even
 * after the cell is edited; their text is left as it is.
 */

/**
 * text: any string · decimal: a plain decimal string ("1234.50", written as a number in XLSX) · integer ·
 * date: a Date whose UTC fields hold the calendar date · datetime: a Date whose UTC fields hold the wall time.
 */
export type ColumnType = "text" | "decimal" | "integer" | "date" | "datetime";
export type Column = { header: string; type: ColumnType; width?: number };
export type CellValue = string | number | Date | null | undefined;

export const CSV_BOM = "\uFEFF";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function csvCell(value: CellValue, type: ColumnType): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const date = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    return type === "date" ? date : `${date} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  }
  if (typeof value === "number") return String(value);
  return type === "text" ? neutraliseFormula(value) : value;
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/** Writes one CSV table (header + rows) to `out`. Does not end `out`. */
export async function writeCsv(out: Writable, columns: Column[], rows: AsyncIterable<CellValue[]> | Iterable<CellValue[]>): Promise<void> {
  const unparse = (batch: string[][]) => Papa.unparse(batch, { newline: "\r\n", quotes: false }) + "\r\n";
  await write(out, CSV_BOM + unparse([columns.map((c) => neutraliseFormula(c.header))]));
  let batch: string[][] = [];
  for await (const row of rows) {
    batch.push(columns.map((c, i) => csvCell(row[i], c.type)));
    if (batch.length >= 500) {
      await write(out, unparse(batch));
      batch = [];
    }
  }
  if (batch.length) await write(out, unparse(batch));
}

export type SheetSpec = {
  name: string;
  columns: Column[];
  rows: AsyncIterable<CellValue[]> | Iterable<CellValue[]>;
  /** Extra formatting for a sheet of prose (the template's instructions): wrap text, bold first column. */
  prose?: boolean;
};

const numFmt: Record<ColumnType, string> = {
  text: "@",
  decimal: "#,##0.00",
  integer: "0",
  date: "yyyy-mm-dd",
  datetime: "yyyy-mm-dd hh:mm:ss",
};

function decimalFormat(text: string): string {
  const decimals = text.split(".")[1]?.length ?? 0;
  return decimals === 0 ? "#,##0" : `#,##0.${"0".repeat(decimals)}`;
}

/** Writes an XLSX workbook with the given sheets to `out`, streaming rows; ends `out`. */
export async function writeXlsx(out: Writable, sheets: SheetSpec[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "Pipewise";
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = spec.columns.map((c, i) => ({
      header: c.header,
      key: `c${i}`,
      width: c.width ?? (c.type === "text" ? 22 : c.type === "datetime" ? 20 : 14),
      style: { numFmt: numFmt[c.type], ...(spec.prose ? { alignment: { wrapText: true, vertical: "top" as const } } : {}) },
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    for await (const values of spec.rows) {
      const row = sheet.addRow(
        spec.columns.map((c, i) => {
          const v = values[i];
          if (v === null || v === undefined || v === "") return null;
          if (c.type === "decimal" && typeof v === "string") return Number(v);
          return v;
        }),
      );
      spec.columns.forEach((c, i) => {
        const v = values[i];
        if (c.type === "decimal" && typeof v === "string" && v !== "") row.getCell(i + 1).numFmt = decimalFormat(v);
      });
      if (spec.prose) row.getCell(1).font = { bold: true };
      row.commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}

/**
 * A web ReadableStream fed by `produce` writing into a Node stream, for a streamed HTTP response. A failure
 * while producing aborts the download (the browser shows it failed) instead of delivering a truncated file.
 */
export function streamFrom(produce: (out: Writable) => Promise<void>): ReadableStream<Uint8Array> {
  const pass = new PassThrough();
  produce(pass)
    .then(() => {
      if (!pass.writableEnded) pass.end();
    })
    .catch((error: unknown) => pass.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(pass) as ReadableStream<Uint8Array>;
}

/** Collects a produced file in memory (tests, small files). */
export async function collect(produce: (out: Writable) => Promise<void>): Promise<Buffer> {
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on("data", (c: Buffer) => chunks.push(c));
  const done = once(pass, "end");
  await produce(pass);
  if (!pass.writableEnded) pass.end();
  await done;
  return Buffer.concat(chunks);
}
