// Bench only (404 unless PIPEWISE_BENCH=1; bearer PIPEWISE_BENCH_SECRET): the floor of a scenario. Replays a
// capture taken by /api/bench/trace (by name: no SQL is accepted from the request) `repeat` times, bare through
// the same database client, and returns each run's time in ms.
import { z } from "zod";
import { benchGuard } from "../_lib/guard";
import { installTrace, replay } from "../_lib/trace";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ name: z.string().min(1).max(100), repeat: z.number().int().min(1).max(10_000) });

export async function POST(request: Request): Promise<Response> {
  const refused = benchGuard(request);
  if (refused) return refused;
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "invalid body" }, { status: 400 });
  await installTrace();
  try {
    return Response.json({ times: await replay(parsed.data.name, parsed.data.repeat) });
  } catch (error) {
    return Response.json({ error: String(error) }, { status: 404 });
  }
}
