import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";

/**
 * Limits on what an uploaded XLSX (a ZIP archive) may expand to. A real workbook of 100,000 rows stays well
 * under them; a "zip bomb" (a few kilobytes that inflate to gigabytes) does not.
 */
export const MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 5_000;
/** Deflate rarely beats ~20:1 on spreadsheet XML; a bomb compresses thousands to one. */
export const MAX_ENTRY_RATIO = 400;

export type ZipVerdict = { ok: true; entries: number; uncompressed: number } | { ok: false; reason: "notZip" | "tooManyEntries" | "tooLarge" | "ratio" | "zip64" | "method" };

type Entry = { name: string; method: number; compressedSize: number; uncompressedSize: number; localOffset: number };

/** The central directory's entries (null when the archive's end record or directory cannot be found). */
function centralDirectory(bytes: Buffer): Entry[] | "zip64" | null {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 65,535 bytes).
  const from = Math.max(0, bytes.length - 65_557);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) return "zip64";
  const entries: Entry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== 0x02014b50) return null;
    const entry = {
      name: bytes.toString("utf8", p + 46, Math.min(bytes.length, p + 46 + bytes.readUInt16LE(p + 28))),
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      uncompressedSize: bytes.readUInt32LE(p + 24),
      localOffset: bytes.readUInt32LE(p + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localOffset === 0xffffffff) return "zip64";
    entries.push(entry);
    p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return entries;
}

/** The compressed bytes of an entry, found through its local header (null when there is none at its offset). */
function entryData(bytes: Buffer, e: Entry): Buffer | null {
  const p = e.localOffset;
  if (p + 30 > bytes.length || bytes.readUInt32LE(p) !== 0x04034b50) return null;
  const start = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
  return bytes.subarray(start, start + e.compressedSize);
}

/**
 * The entries of an archive that passed checkZip, by name, each opened on demand as a stream of its inflated
 * content (nothing is inflated before it is read). Reading through the central directory, rather than in one
 * pass over the local headers, lets a reader take the parts in the order it needs them.
 */
export function zipEntries(input: Uint8Array): Map<string, () => Readable> {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const entries = centralDirectory(bytes);
  const opened = new Map<string, () => Readable>();
  if (!Array.isArray(entries)) return opened;
  for (const e of entries) {
    const data = entryData(bytes, e);
    if (!data || (e.method !== 0 && e.method !== 8)) continue;
    opened.set(e.name, () => (e.method === 0 ? Readable.from([data]) : Readable.from([data]).pipe(createInflateRaw())));
  }
  return opened;
}

/** Inflates `data`, counting output bytes, and stops as soon as they pass `budget`. Resolves the count. */
function inflatedSize(data: Buffer, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let total = 0;
    inflate.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) {
        inflate.destroy();
        resolve(total);
      }
    });
    inflate.on("end", () => resolve(total));
    inflate.on("error", reject);
    inflate.end(data);
  });
}

/**
 * Checks an XLSX before it is parsed: the declared sizes and ratios in the central directory, then the real
 * sizes, by inflating every entry and counting (headers can lie; the count cannot), with a running budget.
 * Nothing is kept: this only measures.
 */
export async function checkZip(input: Uint8Array, limits = { maxBytes: MAX_UNCOMPRESSED_BYTES, maxEntries: MAX_ZIP_ENTRIES, maxRatio: MAX_ENTRY_RATIO }): Promise<ZipVerdict> {
  const { maxBytes, maxEntries, maxRatio } = limits;
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const entries = centralDirectory(bytes);
  if (entries === "zip64") return { ok: false, reason: "zip64" };
  if (!entries) return { ok: false, reason: "notZip" };
  if (entries.length > maxEntries) return { ok: false, reason: "tooManyEntries" };
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    if (e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > maxRatio && e.uncompressedSize > 1024 * 1024) return { ok: false, reason: "ratio" };
  }
  if (declared > maxBytes) return { ok: false, reason: "tooLarge" };
  let total = 0;
  for (const e of entries) {
    const data = entryData(bytes, e);
    if (!data) return { ok: false, reason: "notZip" };
    if (e.method === 0) total += data.length;
    else if (e.method === 8) {
      const size = await inflatedSize(data, maxBytes - total).catch(() => -1);
      if (size < 0) return { ok: false, reason: "notZip" };
      total += size;
      if (e.compressedSize > 0 && size / e.compressedSize > maxRatio && size > 1024 * 1024) return { ok: false, reason: "ratio" };
    } else return { ok: false, reason: "method" };
    if (total > maxBytes) return { ok: false, reason: "tooLarge" };
  }
  return { ok: true, entries: entries.length, uncompressed: total };
}
