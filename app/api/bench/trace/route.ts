// Bench only (404 unless PIPEWISE_BENCH=1; bearer PIPEWISE_BENCH_SECRET): statement tracing of this server's
// database client. POST {"op":"start"} opens a capture; {"op":"stop","name":…} closes it, keeps the statements
// for /api/bench/replay and returns them; {"op":"count"} returns the running statement count. See _lib/trace.ts.
import { z } from "zod";
import { benchGuard } from "../_lib/guard";
import { installTrace, startCapture, statementCount, stopCapture } from "../_lib/trace";

export const dynamic = "force-dynamic";

const bodySchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("start") }),
  z.object({ op: z.literal("stop"), name: z.string().min(1).max(100) }),
  z.object({ op: z.literal("count") }),
]);

export async function POST(request: Request): Promise<Response> {
  const refused = benchGuard(request);
  if (refused) return refused;
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "invalid body" }, { status: 400 });
  const driver = await installTrace();
  const body = parsed.data;
  if (body.op === "start") {
    startCapture();
    return Response.json({ driver });
  }
  if (body.op === "stop") return Response.json({ driver, statements: stopCapture(body.name) });
  return Response.json({ driver, count: statementCount() });
}
