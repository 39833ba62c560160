import fs from "node:fs";
import path from "node:path";
import { runChild } from "../lib/child";
import { row, type Row } from "../lib/results";

type Result = { ms: number; rows: number; peakRssMb: number; baselineRssMb: number };
type Target = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };

/**
 * Import of an XLSX of 50,000 deal rows (quick: 5,000) through the app's import (staging, check and run jobs),
 * each in a child process whose peak RSS is read, vs the floor: exceljs parse + bulk INSERTs of the same rows.
 */
export async function importScenario(target: Target, tmp: string, o: { quick: boolean; label: string; log: (m: string) => void }): Promise<Row[]> {
  // Above INLINE_ROW_LIMIT (2,000) in both modes, so the quick run takes the background path the 50,000 rows take.
  const n = o.quick ? 2_500 : 50_000;
  const file = path.join(tmp, `import-${n}.xlsx`);
  try {
    if (!fs.existsSync(file)) await runChild<Result>("import.ts", ["make", file, String(n)]);
    const fresh = (name: string): Target => (target.kind === "pglite" ? { kind: "pglite", dir: `${target.dir}-${name}` } : target);
    const measure = async (mode: "import" | "floor") => {
      const where = JSON.stringify(fresh(mode));
      const prepared = await runChild<object>("import.ts", ["prepare", where]);
      return runChild<Result>("import.ts", [mode, file, where, JSON.stringify(prepared)]);
    };
    const app = await measure("import");
    const floor = await measure("floor");
    o.log(`[import] ${n} rows (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MB XLSX): app ${(app.ms / 1000).toFixed(1)} s, peak RSS ${app.peakRssMb.toFixed(0)} MB (${app.baselineRssMb.toFixed(0)} MB before the import); floor ${(floor.ms / 1000).toFixed(1)} s, peak RSS ${floor.peakRssMb.toFixed(0)} MB`);
    const ratio = app.ms / floor.ms;
    return [
      row({ name: `import ${n.toLocaleString("en-US")}-row XLSX: time${o.label}`, median_ms: app.ms, floor_ms: floor.ms, ratio, target_ratio: 2, met: ratio <= 2 && app.rows === n, peak_rss_mb: app.peakRssMb }),
      row({
        name: `import ${n.toLocaleString("en-US")}-row XLSX: peak RSS ${app.peakRssMb.toFixed(0)} MB, ${app.baselineRssMb.toFixed(0)} MB before it (limit 512 MB)${o.label}`,
        ratio: app.peakRssMb / 512,
        target_ratio: 1,
        target_text: "≤ 512 MB",
        met: app.peakRssMb <= 512,
        peak_rss_mb: app.peakRssMb,
      }),
    ];
  } catch (error) {
    o.log(`[import] failed: ${error instanceof Error ? error.message : String(error)}`);
    return [row({ name: `import ${n.toLocaleString("en-US")}-row XLSX: FAILED${o.label}`, met: false })];
  }
}
