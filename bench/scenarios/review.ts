import type { Dataset } from "../generate";
import { runChild } from "../lib/child";
import { row, type Row } from "../lib/results";
import { median, summarize } from "../lib/stats";

type Target = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };
type Result = { times: number[]; floor: number[]; cpuMs: number; floorCpuMs: number; statements: number; won: number | null; peakRssMb: number };

/**
 * Monthly pipeline review (lib/reports pipelineReview) over the big workspace: its time vs the same statements
 * replayed bare (the aggregate SQL it needs). Run in a child on the generated database once the server is gone.
 */
export async function reviewScenario(target: Target, data: Dataset, o: { quick: boolean; label: string; log: (m: string) => void }): Promise<Row[]> {
  const scale = `${data.counts.big_deals!.toLocaleString("en-US")} deals / ${data.counts.big_deal_events!.toLocaleString("en-US")} events`;
  try {
    const r = await runChild<Result>("review.ts", [JSON.stringify(target), data.ownerId, String(o.quick ? 10 : 30)]);
    const s = summarize(r.times);
    const floor = median(r.floor)!;
    o.log(
      `[review] ${scale}: p50 ${s.median!.toFixed(1)} ms, floor ${floor.toFixed(1)} ms, ${r.statements} statements, ${r.won} deals won in the month; ` +
        `CPU of the measuring process per review ${r.cpuMs.toFixed(1)} ms, per floor replay ${r.floorCpuMs.toFixed(1)} ms (on PGlite the database's own work; with PostgreSQL only the client's)`,
    );
    return [
      row({
        name: `monthly pipeline review, ${scale}: server time (limit 100 ms)${o.label}`,
        median_ms: s.median,
        p95_ms: s.p95,
        p99_ms: s.p99,
        floor_ms: floor,
        ratio: s.median! / floor,
        target_text: "≤ 100 ms",
        met: s.median! <= 100,
        peak_rss_mb: r.peakRssMb,
      }),
    ];
  } catch (error) {
    o.log(`[review] failed: ${error instanceof Error ? error.message : String(error)}`);
    return [row({ name: `monthly pipeline review, ${scale}: FAILED${o.label}`, met: false })];
  }
}
