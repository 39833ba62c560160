// Bench only (404 unless PIPEWISE_BENCH=1; bearer PIPEWISE_BENCH_SECRET): the server process's memory. With
// `?gc=1` on a server started with --expose-gc, two full collections run first, so `heapUsed` is the memory the
// server still holds on to (what a leak grows), not garbage waiting for the next collection; `resources` counts
// the process's active handles and requests by type (sockets, timers, immediates…). No other input.
import { benchGuard } from "../_lib/guard";

export const dynamic = "force-dynamic";

const MB = 1024 * 1024;
const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

export async function POST(request: Request): Promise<Response> {
  const refused = benchGuard(request);
  if (refused) return refused;
  const gc = (globalThis as { gc?: () => void }).gc;
  const collected = new URL(request.url).searchParams.get("gc") === "1" && typeof gc === "function";
  if (collected) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  return Response.json({ collected, rssMb: round(m.rss), heapUsedMb: round(m.heapUsed), heapTotalMb: round(m.heapTotal), externalMb: round(m.external), arrayBuffersMb: round(m.arrayBuffers), resources });
}
