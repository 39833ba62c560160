/** One row of bench/results.json (the shape issue #11 asks for; null where a figure does not apply). */
export type ScenarioResult = {
  name: string;
  median_ms: number | null;
  p99_ms: number | null;
  floor_ms: number | null;
  ratio: number | null;
  target_ratio: number | null;
  met: boolean | null;
  peak_rss_mb: number | null;
};

/** What the printed table shows beside the JSON row: p95 and how the target reads. */
export type Row = ScenarioResult & { p95_ms: number | null; target_text: string };

const round = (value: number | null, digits = 2) => (value === null || !Number.isFinite(value) ? null : Number(value.toFixed(digits)));

export function row(r: Partial<Row> & { name: string }): Row {
  return {
    name: r.name,
    median_ms: round(r.median_ms ?? null),
    p95_ms: round(r.p95_ms ?? null),
    p99_ms: round(r.p99_ms ?? null),
    floor_ms: round(r.floor_ms ?? null),
    ratio: round(r.ratio ?? null),
    target_ratio: r.target_ratio ?? null,
    met: r.met ?? null,
    peak_rss_mb: round(r.peak_rss_mb ?? null, 0),
    target_text: r.target_text ?? (r.target_ratio != null ? `≤ ${r.target_ratio}×` : "—"),
  };
}

export function toJson(r: Row): ScenarioResult {
  return { name: r.name, median_ms: r.median_ms, p99_ms: r.p99_ms, floor_ms: r.floor_ms, ratio: r.ratio, target_ratio: r.target_ratio, met: r.met, peak_rss_mb: r.peak_rss_mb };
}

/** The one table the run prints. */
export function formatTable(rows: Row[]): string {
  const head = ["scenario", "median", "p95", "p99", "floor", "ratio", "target", "met", "peak RSS"];
  const ms = (v: number | null) => (v === null ? "—" : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`);
  const body = rows.map((r) => [
    r.name,
    ms(r.median_ms),
    ms(r.p95_ms),
    ms(r.p99_ms),
    ms(r.floor_ms),
    r.ratio === null ? "—" : `${r.ratio.toFixed(2)}×`,
    r.target_text,
    r.met === null ? "—" : r.met ? "yes" : "NO",
    r.peak_rss_mb === null ? "—" : `${r.peak_rss_mb} MB`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...body.map(line)].join("\n");
}
