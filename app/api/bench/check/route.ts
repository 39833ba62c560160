// Bench only (404 unless PIPEWISE_BENCH=1; bearer PIPEWISE_BENCH_SECRET): the consistency check after the move
// benchmark — deals (in the workspaces whose slug starts with "bench-") whose stage differs from the stage of
// their last history event that names one. Fixed SQL, no input.
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rows } from "@/db/migrate";
import { benchGuard } from "../_lib/guard";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const refused = benchGuard(request);
  if (refused) return refused;
  const db = await getDb();
  const [result] = rows<{ deals: number; mismatched: number; moved_events: number }>(
    await db.execute(sql`
      select count(*)::int as deals,
        (count(*) filter (where last.to_stage_id is distinct from d.stage_id))::int as mismatched,
        (select count(*)::int from deal_events e join workspaces w on w.id = e.workspace_id where w.slug like 'bench-%' and e.type = 'stage_changed') as moved_events
      from deals d
      join workspaces w on w.id = d.workspace_id and w.slug like 'bench-%'
      left join lateral (
        select e.to_stage_id from deal_events e
        where e.workspace_id = d.workspace_id and e.deal_id = d.id and e.to_stage_id is not null
        order by e.occurred_at desc, e.id desc limit 1
      ) last on true
      where d.deleted_at is null`),
  );
  return Response.json(result);
}
