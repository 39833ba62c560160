import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { Ctx } from "@/lib/context";
import { stageUpload } from "@/lib/imports/commands";
import { getImport } from "@/lib/imports/queries";
import { writeImportTemplate } from "@/lib/imports/template";
import { openSpreadsheet, SpreadsheetError, type SpreadsheetErrorCode } from "@/lib/spreadsheets/read";
import { collect, CSV_BOM, writeCsv, writeXlsx } from "@/lib/spreadsheets/write";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture } from "../helpers/fixtures";
import { importCount, translator } from "../fixtures/spreadsheets/flow";

const utf8 = (s: string) => new TextEncoder().encode(s);

async function read(bytes: Uint8Array) {
  const sheet = await openSpreadsheet(bytes);
  const rows: { line: number; cells: string[] }[] = [];
  for await (const r of sheet.rows) rows.push(r);
  return { type: sheet.type, delimiter: sheet.delimiter, headers: sheet.headers, rows };
}

async function refusalError(bytes: Uint8Array): Promise<SpreadsheetError> {
  try {
    await read(bytes);
  } catch (error) {
    if (error instanceof SpreadsheetError) return error;
    throw error;
  }
  throw new Error("the file was accepted");
}

const refusal = async (bytes: Uint8Array): Promise<SpreadsheetErrorCode> => (await refusalError(bytes)).code;

/** A ZIP archive of the given text files, stored uncompressed (CRC-32 and sizes as a real one has them). */
function storedZip(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, "utf8");
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

describe("reading CSV", () => {
  it.each([
    [",", "comma"],
    [";", "semicolon"],
    ["\t", "tab"],
    ["|", "pipe"],
  ])("detects the %j delimiter (%s)", async (d) => {
    const file = `Name${d}Email${d}Value\nAnn${d}ann@x.test${d}1\nBob${d}bob@x.test${d}2\n`;
    const sheet = await read(utf8(file));
    expect(sheet.delimiter).toBe(d);
    expect(sheet.headers).toEqual(["Name", "Email", "Value"]);
    expect(sheet.rows.map((r) => r.cells)).toEqual([
      ["Ann", "ann@x.test", "1"],
      ["Bob", "bob@x.test", "2"],
    ]);
  });

  it("reads UTF-8 with or without BOM, UTF-16 with BOM, quoted line breaks, and skips blank lines", async () => {
    const text = 'Name;Notes\r\n"王芳";"line one\nline two"\r\n\r\n;\r\nZoë;"say ""hi"""\r\n';
    for (const bytes of [utf8(text), utf8(`\uFEFF${text}`), new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")])]) {
      const sheet = await read(bytes);
      expect(sheet.headers).toEqual(["Name", "Notes"]);
      expect(sheet.rows).toEqual([
        { line: 2, cells: ["王芳", "line one\nline two"] },
        { line: 5, cells: ["Zoë", 'say "hi"'] },
      ]);
    }
  });

  it("undoes our own formula neutralisation on the way in", async () => {
    const sheet = await read(utf8("Phone,Note\n'+1 555 0100,'=not a formula\n"));
    expect(sheet.rows[0]!.cells).toEqual(["+1 555 0100", "=not a formula"]);
  });
});

describe("refusing files that are not spreadsheets", () => {
  it.each<[string, Uint8Array, SpreadsheetErrorCode]>([
    ["an empty file", new Uint8Array(), "empty"],
    ["blank lines only", utf8("\n\n  \n"), "empty"],
    ["a header without rows", utf8("Title,Value\n\n"), "noRows"],
    ["a PDF", utf8("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "wrongType"],
    ["a PNG", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "wrongType"],
    ["an old .xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "legacyXls"],
    ["Windows-1252 text", new Uint8Array([...utf8("Name\nCaf"), 0xe9, 0x0a]), "notUtf8"],
    ["a damaged .xlsx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...randomBytes(2000)]), "corrupt"],
    ["too many columns", utf8(`${Array.from({ length: 250 }, (_, i) => `c${i}`).join(",")}\n1\n`), "tooManyColumns"],
  ])("refuses %s", async (_name, bytes, code) => {
    expect(await refusal(bytes)).toBe(code);
  });

  it("refuses 10 MB of junk quickly and clearly", async () => {
    const junk = randomBytes(10 * 1024 * 1024);
    junk[0] = 0x41; // not a known signature
    const started = performance.now();
    expect(await refusal(junk)).toBe("wrongType");
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("refuses files over the size limit before reading them", async () => {
    expect(await refusal(new Uint8Array(50 * 1024 * 1024 + 1))).toBe("tooBig");
  });
});

describe("XLSX in and out", () => {
  it("reads the first sheet, dates as dates and numbers as written", async () => {
    const bytes = await collect((out) =>
      writeXlsx(out, [
        {
          name: "Data",
          columns: [
            { header: "Title", type: "text" },
            { header: "Value", type: "decimal" },
            { header: "When", type: "datetime" },
          ],
          rows: [["Deal", "1234.50", new Date(Date.UTC(2025, 2, 14, 9, 30))]],
        },
        { name: "Other", columns: [{ header: "Ignored", type: "text" }], rows: [["x"]] },
      ]),
    );
    const sheet = await read(bytes);
    expect(sheet).toMatchObject({ type: "xlsx", headers: ["Title", "Value", "When"], rows: [{ line: 2, cells: ["Deal", "1234.5", "2025-03-14 09:30:00"] }] });
  });

  it("reads a file it wrote the same way every time, also several at once (#12: exceljs#3064 lost parts at random)", async () => {
    const bytes = await collect((out) =>
      writeXlsx(out, [
        { name: "Data", columns: [{ header: "When", type: "datetime" }], rows: [[new Date(Date.UTC(2025, 2, 14, 9, 30))]] },
        { name: "Other", columns: [{ header: "Ignored", type: "text" }], rows: [["x"]] },
      ]),
    );
    // One read in a few dozen failed ("corrupt", or the date as a serial number) with the streaming pass.
    const outcomes: string[] = [];
    for (let round = 0; round < 100; round++) {
      const reads = await Promise.all(
        Array.from({ length: 4 }, () =>
          read(bytes).then(
            (sheet) => sheet.rows.map((r) => r.cells.join("|")).join("/"),
            (error: unknown) => `${String(error)} (${String((error as Error).cause)})`,
          ),
        ),
      );
      outcomes.push(...reads);
    }
    expect(new Set(outcomes)).toEqual(new Set(["2025-03-14 09:30:00"]));
  });

  it("refuses an archive that is no workbook, or a sheet that is not XML, as damaged, keeping the reason", async () => {
    const notWorkbook = await refusalError(storedZip({ "word/document.xml": "<w:document/>" }));
    expect(notWorkbook.code).toBe("corrupt");
    expect(String(notWorkbook.cause)).toMatch(/workbook/);
    const badSheet = await refusalError(
      storedZip({
        "xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
        "xl/workbook.xml": `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        "xl/worksheets/sheet1.xml": `<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row></sheetData></worksheet>`.replace("</row>", "</row><<row"),
      }),
    );
    expect(badSheet.code).toBe("corrupt");
    expect(badSheet.cause).toBeInstanceOf(Error);
  });

  it("writes formula-looking text as inert text cells (XLSX) and with an apostrophe (CSV)", async () => {
    const evil = ['=HYPERLINK("http://evil.test","click")', "+1 555", "-2", "@SUM(A1)", "\tx"];
    const columns = [{ header: "=Header", type: "text" as const }];
    const xlsx = await collect((out) => writeXlsx(out, [{ name: "S", columns, rows: evil.map((e) => [e]) }]));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    for (const [i, e] of evil.entries()) {
      const cell = sheet.getCell(i + 2, 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(e);
      expect(cell.numFmt).toBe("@");
    }
    expect(sheet.getCell(1, 1).type).toBe(ExcelJS.ValueType.String);

    const text = (await collect(async (out) => writeCsv(out, columns, evil.map((e) => [e])))).toString("utf8");
    expect(text.startsWith(CSV_BOM)).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe("'=Header");
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(lines.slice(2, 5)).toEqual(["'+1 555", "'-2", "'@SUM(A1)"]);
    expect(lines[5]).toBe("'\tx");
  });
});

describe("the pipeline template", () => {
  it("has a deals sheet with every column (read back as the mapping guesses them) and an instructions sheet", async () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const bytes = await collect(async (out) => writeImportTemplate("deals", await translator(locale), out));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(locale === "en" ? ["Deals", "Instructions"] : ["交易", "填写说明"]);
      const headers = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
      expect(headers).toHaveLength(18);
      expect(wb.worksheets[1]!.rowCount).toBeGreaterThan(18);
    }
  });

  it("explains a custom field's options: one of them for a single option field, several for a multiple one", async () => {
    const options = [{ id: "o1", label: "Starter" }, { id: "o2", label: "Pro" }];
    const custom = [
      { key: "plan", label: "Plan", type: "single_select" as const, settings: { options } },
      { key: "modules", label: "Modules", type: "multi_select" as const, settings: { options } },
    ];
    const bytes = await collect(async (out) => writeImportTemplate("deals", await translator("en"), out, custom));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const help = (label: string) => {
      let text = "";
      wb.worksheets[1]!.eachRow((row) => {
        if (row.getCell(1).value === label) text = String(row.getCell(3).value);
      });
      return text;
    };
    expect(help("Plan")).toBe("A custom field of this workspace. One of: Starter; Pro.");
    expect(help("Modules")).toContain("Several: separate them with “;”.");
  });

  let t: TestDb;
  let ctx: Ctx;
  beforeAll(async () => {
    t = await createTestDb();
    ctx = await (await createWorkspaceFixture(t.db)).ctx("owner");
  });
  afterAll(() => t?.close());

  it("maps itself on upload, and bad files leave nothing behind", async () => {
    const bytes = await collect(async (out) => writeImportTemplate("deals", await translator("en"), out));
    // An empty template has no rows: refused like any header-only file, nothing stored.
    await expect(stageUpload(ctx, { kind: "deals", fileName: "template.xlsx", bytes })).rejects.toMatchObject({ code: "noRows" });
    await expect(stageUpload(ctx, { kind: "deals", fileName: "junk.csv", bytes: randomBytes(1024 * 1024) })).rejects.toBeInstanceOf(SpreadsheetError);
    expect(await importCount(ctx)).toBe(0);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    wb.worksheets[0]!.addRow(["Filled in", 10]);
    const filled = new Uint8Array(await wb.xlsx.writeBuffer());
    const { id } = await stageUpload(ctx, { kind: "deals", fileName: "filled.xlsx", bytes: filled });
    const imp = await getImport(ctx, id);
    expect(imp.mapping.every((m) => m !== null)).toBe(true);
    expect(imp.rowCount).toBe(1);
  });
});
