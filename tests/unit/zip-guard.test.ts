import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { openSpreadsheet, SpreadsheetError } from "@/lib/spreadsheets/read";
import { checkZip } from "@/lib/spreadsheets/zip-guard";

/** A ZIP archive built by hand, so a test can make its headers lie about the sizes. */
function zip(files: { name: string; data: Buffer; declaredSize?: number; method?: 0 | 8 }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const method = f.method ?? 8;
    const body = method === 8 ? deflateRawSync(f.data) : f.data;
    const name = Buffer.from(f.name);
    const size = f.declaredSize ?? f.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const MB = 1024 * 1024;

/** A real workbook of `rows` deals, as Excel-compatible writers make it. */
async function workbook(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("Deals");
  sheet.addRow(["Title", "Value", "Stage", "Close date"]);
  for (let i = 0; i < rows; i++) sheet.addRow([`Deal ${i}`, i * 10.5, i % 2 ? "Demo" : "Lead in", new Date(Date.UTC(2026, i % 12, 1))]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const small = { maxBytes: 8 * MB, maxEntries: 50, maxRatio: 400 };

describe("XLSX zip-bomb guard", () => {
  it("passes real workbooks", async () => {
    expect(await checkZip(await workbook(10))).toMatchObject({ ok: true });
    const big = await checkZip(await workbook(20_000));
    expect(big).toMatchObject({ ok: true });
    expect(big.ok && big.uncompressed).toBeGreaterThan(MB);
  });

  it("refuses an entry that inflates far beyond its size, even when its headers lie", async () => {
    const zeros = Buffer.alloc(20 * MB);
    expect(await checkZip(zip([{ name: "xl/worksheets/sheet1.xml", data: zeros }]), { ...small, maxBytes: 100 * MB })).toEqual({ ok: false, reason: "ratio" });
    // Declared as 1 KB: only inflating tells.
    expect(await checkZip(zip([{ name: "xl/worksheets/sheet1.xml", data: zeros, declaredSize: 1024 }]), { ...small, maxBytes: 100 * MB })).toEqual({ ok: false, reason: "ratio" });
  });

  it("refuses archives whose total expands past the budget, or with too many entries", async () => {
    const text = Buffer.from(Array.from({ length: 600_000 }, (_, i) => `<c r="A${i}"><v>${(i * 7919) % 100_003}</v></c>`).join(""));
    const parts = [0, 1, 2].map((i) => ({ name: `xl/worksheets/sheet${i}.xml`, data: text }));
    expect(text.length).toBeGreaterThan(3 * MB);
    expect(await checkZip(zip(parts), small)).toEqual({ ok: false, reason: "tooLarge" });
    expect(await checkZip(zip(parts.map((p) => ({ ...p, declaredSize: 10 }))), small)).toEqual({ ok: false, reason: "tooLarge" });
    expect(await checkZip(zip(Array.from({ length: 51 }, (_, i) => ({ name: `f${i}`, data: Buffer.from("x") }))), small)).toEqual({ ok: false, reason: "tooManyEntries" });
  });

  it("makes openSpreadsheet refuse a bomb with a clear error, and truncated archives as corrupt", async () => {
    const bomb = zip([{ name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(40 * MB), declaredSize: 100 }]);
    await expect(openSpreadsheet(bomb)).rejects.toSatisfy((e: unknown) => e instanceof SpreadsheetError && e.code === "zipBomb");
    const real = await workbook(200);
    await expect(openSpreadsheet(real.subarray(0, Math.floor(real.length / 2)))).rejects.toSatisfy((e: unknown) => e instanceof SpreadsheetError && e.code === "corrupt");
  });
});
