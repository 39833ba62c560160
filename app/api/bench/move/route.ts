// Bench only (404 unless PIPEWISE_BENCH=1; bearer PIPEWISE_BENCH_SECRET, and a signed-in member with
// deals.write like the server action): the bare route handler that moves a deal to the top of a stage with the
// same SQL as moveDealAction — session user and membership read, then one transaction that locks the deal,
// reads the target stage and the column's top position, updates the deal, records the domain event and its
// dispatch job, and appends the stage_changed history event — written by hand, without the action machinery,
// the ORM's query building or a page re-render. The move benchmark compares the action's throughput to this.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows } from "@/db/migrate";
import { authorizeRoute } from "@/lib/auth/route";
import { benchGuard } from "../_lib/guard";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ slug: z.string().min(1).max(100), dealId: z.uuid(), toStageId: z.uuid() });

export async function POST(request: Request): Promise<Response> {
  const refused = benchGuard(request);
  if (refused) return refused;
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "invalid body" }, { status: 400 });
  const { slug, dealId, toStageId } = parsed.data;
  const auth = await authorizeRoute(slug, "deals.write");
  if (!auth.ok) return auth.response;
  const { db, workspaceId, userId } = auth.ctx;
  const now = new Date().toISOString();
  const moved = await db.transaction(async (tx) => {
    const [deal] = rows<{ stage_id: string; pipeline_id: string; version: number }>(
      await tx.execute(sql`select stage_id, pipeline_id, version from deals where id = ${dealId} and workspace_id = ${workspaceId} and deleted_at is null for update`),
    );
    if (!deal) return null;
    const [stage] = rows<{ id: string; pipeline_id: string }>(await tx.execute(sql`select id, pipeline_id from stages where id = ${toStageId} and workspace_id = ${workspaceId}`));
    if (!stage) return null;
    const [top] = rows<{ p: number | null }>(await tx.execute(sql`select min(position) as p from deals where workspace_id = ${workspaceId} and stage_id = ${toStageId} and deleted_at is null`));
    const changed = deal.stage_id !== stage.id;
    await tx.execute(sql`update deals set stage_id = ${stage.id}, pipeline_id = ${stage.pipeline_id}, position = ${(top?.p ?? 1) - 1},
      version = ${deal.version + 1}, updated_at = ${now}, stage_entered_at = case when ${changed} then ${now}::timestamptz else stage_entered_at end
      where id = ${dealId}`);
    if (changed) {
      const [event] = rows<{ id: number }>(
        await tx.execute(sql`insert into domain_events (workspace_id, type, subject_type, subject_id, actor_id, data, occurred_at)
          values (${workspaceId}, 'deal.stage_changed', 'deal', ${dealId}, ${userId}, ${JSON.stringify({ pipelineId: stage.pipeline_id, stageId: stage.id, fromStageId: deal.stage_id, toStageId: stage.id, fromPipelineId: deal.pipeline_id })}::jsonb, ${now})
          returning id`),
      );
      await tx.execute(sql`insert into jobs (kind, payload, run_at, workspace_id, idempotency_key, max_attempts)
        values ('dispatch-event', ${JSON.stringify({ eventId: event!.id })}::jsonb, ${now}, ${workspaceId}, ${`event:${event!.id}`}, 5) on conflict do nothing`);
      await tx.execute(sql`insert into deal_events (workspace_id, deal_id, type, actor_id, from_stage_id, to_stage_id, data, occurred_at)
        values (${workspaceId}, ${dealId}, 'stage_changed', ${userId}, ${deal.stage_id}, ${stage.id}, '{}'::jsonb, ${now})`);
    }
    return { stageChanged: changed };
  });
  if (!moved) return Response.json({ error: "not found" }, { status: 404 });
  return Response.json({ ok: true, data: moved });
}
