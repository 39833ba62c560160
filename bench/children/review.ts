/**
 * Child process of the monthly pipeline review benchmark: reopens the generated database (after the server has
 * released it), calls lib/reports' pipelineReview for October 2026 of the `bench-big` workspace, and compares its
 * time with the floor — the statements it sent (captured by the same tracing wrapper the bench routes use)
 * replayed bare through the same driver. argv: <target json> <ownerId> <runs>. Prints one JSON line.
 */
import { authorizeMember } from "@/lib/auth/membership";
import { monthPeriod } from "@/lib/reports/period";
import { pipelineReview } from "@/lib/reports/review";
import { replayOn, startCapture, stopCapture, wrapClient } from "@/app/api/bench/_lib/trace";
import { openBenchDb } from "../lib/db";

async function main() {
  const [targetJson, ownerId, runsText] = process.argv.slice(2);
  const target = JSON.parse(targetJson!) as Parameters<typeof openBenchDb>[0];
  const runs = Number(runsText);
  const bench = await openBenchDb(target);
  try {
    const client = (bench.db as unknown as { $client: unknown }).$client;
    wrapClient(bench.kind, client);
    const ctx = await authorizeMember(bench.db, ownerId!, "bench-big", "reports.read", new Date("2026-11-02T09:00:00Z"));
    const input = { period: monthPeriod("2026-10", ctx.workspace.timeZone) };
    for (let i = 0; i < 2; i++) await pipelineReview(ctx, input);
    startCapture();
    const review = await pipelineReview(ctx, input);
    const statements = stopCapture("review");
    const times: number[] = [];
    // CPU time of this process as well as wall time: on PGlite the database runs in this process, so on a busy
    // shared machine the CPU figures show the work itself when wall times are inflated by waiting for a core.
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const cpuBefore = cpu();
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await pipelineReview(ctx, input);
      times.push(performance.now() - started);
    }
    const cpuMs = (cpu() - cpuBefore) / runs;
    const floorCpuBefore = cpu();
    const floor = await replayOn(bench.kind, client, statements, runs);
    const floorCpuMs = (cpu() - floorCpuBefore) / runs;
    const won = (review.current as { dealsWon?: number }).dealsWon ?? null;
    process.stdout.write(`${JSON.stringify({ times, floor, cpuMs, floorCpuMs, statements: statements.length, won, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  } finally {
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
