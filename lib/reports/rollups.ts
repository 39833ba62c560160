import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { deals, reportIdleDeals } from "@/db/schema";
import type { Ctx } from "../context";
import { limitedToOwnDeals } from "../deals/scope";
import type { Period } from "./period";
import { num, query, ts, type ReportFilters } from "./scope";

/**
 * Reads of the review's rollups (db/schema/report-rollups.ts; docs/decisions.md 42). The rows are written by
 * database triggers (migration 0020) in the transaction of every write to deal_events, deals and activities, so
 * there is nothing to call here on a write; `checkReviewRollups` compares them with the raw tables and
 * `rebuildReviewRollups` recomputes them (e.g. after restoring a dump taken without triggers).
 */

/**
 * Completed stays that ended in the period, per stage: count, average and median days (docs/metrics.md, time in
 * stage). The deal of each stay must be in the report's scope (reportDeals over "deals", one primary-key probe
 * per stay), so filters, visibility and soft deletion are those of the deal now, as for every other figure.
 */
export async function completedStays(ctx: Ctx, dealScope: SQL, period: Period) {
  return query<Record<string, unknown>>(
    ctx,
    sql`select x.stage_id, count(*) as n, avg(x.days) as avg_days, percentile_cont(0.5) within group (order by x.days) as median_days
      from (
        select s.stage_id, extract(epoch from s.ended_at - s.began_at) / 86400 as days
        from report_stage_stays s
        cross join lateral (select 1 from ${deals} where "deals"."id" = s.deal_id and ${dealScope} limit 1) d_in
        where s.workspace_id = ${ctx.workspaceId} and s.ended_at >= ${ts(period.from)}::timestamptz and s.ended_at < ${ts(period.to)}::timestamptz
      ) x
      group by x.stage_id`,
  );
}

/**
 * Open deals in the report's scope with no open activity. The rollup holds only open, not deleted deals, with
 * their pipeline and owner: the same scope as reportDeals (workspace, own deals for a limited rep, pipeline, owner).
 */
export async function idleDealCount(ctx: Ctx, f: ReportFilters): Promise<number> {
  const where = and(
    eq(reportIdleDeals.workspaceId, ctx.workspaceId),
    limitedToOwnDeals(ctx) ? eq(reportIdleDeals.ownerId, ctx.userId) : undefined,
    f.pipelineId ? eq(reportIdleDeals.pipelineId, f.pipelineId) : undefined,
    f.ownerId ? eq(reportIdleDeals.ownerId, f.ownerId) : undefined,
  );
  const [row] = await ctx.db.select({ n: sql<number>`count(*)` }).from(reportIdleDeals).where(where);
  return num(row?.n);
}

// The rollups' definitions, as the triggers compute them (migration 0020), for the check and the rebuild.
const expectedStays = (workspaceId: string | null) => sql`
  select e.id as event_id, e.workspace_id, e.deal_id, case when e.type = 'stage_changed' then e.from_stage_id else e.to_stage_id end as stage_id,
         b.began_at, e.occurred_at as ended_at
  from deal_events e
  cross join lateral (
    select p.occurred_at as began_at from deal_events p
    where p.workspace_id = e.workspace_id and p.deal_id = e.deal_id and p.type in ('created', 'stage_changed', 'reopened')
      and (p.occurred_at, p.id) < (e.occurred_at, e.id)
    order by p.occurred_at desc, p.id desc limit 1) b
  where e.type in ('stage_changed', 'won', 'lost')
    and case when e.type = 'stage_changed' then e.from_stage_id else e.to_stage_id end is not null
    ${workspaceId ? sql`and e.workspace_id = ${workspaceId}` : sql``}`;
const expectedIdle = (workspaceId: string | null) => sql`
  select d.id as deal_id, d.workspace_id, d.pipeline_id, d.owner_id from deals d
  where d.status = 'open' and d.deleted_at is null
    and not exists (select 1 from activities a where a.workspace_id = d.workspace_id and a.deal_id = d.id and a.done_at is null)
    ${workspaceId ? sql`and d.workspace_id = ${workspaceId}` : sql``}`;

/**
 * Rows that differ between each rollup and its definition over the raw tables (missing, extra or changed), for
 * one workspace or all. Zero and zero when the triggers did their job.
 */
export async function checkReviewRollups(db: Ctx["db"], workspaceId: string | null = null): Promise<{ stays: number; idleDeals: number }> {
  const ws = (alias: string) => (workspaceId ? sql`where ${sql.raw(alias)}.workspace_id = ${workspaceId}` : sql``);
  const [row] = await query<Record<string, unknown>>(
    { db },
    sql`select
      (select count(*) from ((select event_id, workspace_id, deal_id, stage_id, began_at, ended_at from report_stage_stays s ${ws("s")}
                              except all ${expectedStays(workspaceId)})
                             union all
                             (${expectedStays(workspaceId)} except all
                              select event_id, workspace_id, deal_id, stage_id, began_at, ended_at from report_stage_stays s ${ws("s")})) x) as stays,
      (select count(*) from ((select deal_id, workspace_id, pipeline_id, owner_id from report_idle_deals i ${ws("i")} except all ${expectedIdle(workspaceId)})
                             union all
                             (${expectedIdle(workspaceId)} except all select deal_id, workspace_id, pipeline_id, owner_id from report_idle_deals i ${ws("i")})) y) as idle`,
  );
  return { stays: num(row!.stays), idleDeals: num(row!.idle) };
}

/** Recomputes both rollups (one workspace or all) from the raw tables, in one transaction. */
export async function rebuildReviewRollups(db: Ctx["db"], workspaceId: string | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from report_stage_stays ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`);
    await tx.execute(sql`insert into report_stage_stays (event_id, workspace_id, deal_id, stage_id, began_at, ended_at) ${expectedStays(workspaceId)}`);
    await tx.execute(sql`delete from report_idle_deals ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`);
    await tx.execute(sql`insert into report_idle_deals (deal_id, workspace_id, pipeline_id, owner_id) ${expectedIdle(workspaceId)}`);
  });
}
