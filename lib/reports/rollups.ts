import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { deals, reportIdleDeals, stages } from "@/db/schema";
import type { Ctx } from "../context";
import { limitedToOwnDeals } from "../deals/scope";
import type { Period } from "./period";
import { num, query, ts, type ReportFilters } from "./scope";

export { bulkLoadWithoutRollupTriggers, checkReviewRollups, rebuildReviewRollups } from "./rollups-maintenance";

/**
 * Reads of the review's rollups (db/schema/report-rollups.ts; docs/decisions.md 43). The rows are written by
 * database triggers (migration 0020) in the transaction of every write to deal_events, deals and activities, so
 * there is nothing to call here on a write. The check, the rebuild and the bulk-load helper live in
 * rollups-maintenance.ts (no `server-only`: the benchmark's generator and CLIs use them) and are re-exported here.
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

/**
 * Open deals of one pipeline's stages for a report without an owner filter that sees every deal: per stage the
 * count, value (workspace currency) and average age from report_open_stage_days; the stuck count as the days
 * entirely before the stage's rotting cutoff plus the deals of the cutoff's own day; the median age as the middle
 * one or two deals (in stage-entry order) of the day the running count reaches the middle, read from the open-deals
 * index from that day backwards. Same figures as the per-deal aggregate in stageFigures (the average differs only in
 * numeric rounding past the 15th digit: it divides one sum instead of averaging per-deal quotients).
 */
export async function openStageFigures(ctx: Ctx, pipelineId: string) {
  const now = sql`${ts(ctx.now)}::timestamptz`;
  const openIn = sql`"deals"."workspace_id" = ${ctx.workspaceId} and "deals"."deleted_at" is null and "deals"."status" = 'open'
    and "deals"."pipeline_id" = ${pipelineId} and "deals"."stage_id" = s.id`;
  return query<Record<string, unknown>>(
    ctx,
    sql`with b as (
        select r.stage_id, r.entered_on, sum(r.deals)::bigint as n, coalesce(sum(r.value) filter (where r.currency = ${ctx.workspace.currency}), 0) as v, sum(r.entered_epoch) as ep
        from report_open_stage_days r
        where r.workspace_id = ${ctx.workspaceId} and r.pipeline_id = ${pipelineId} and r.deals > 0
        group by r.stage_id, r.entered_on),
      c as (select b.stage_id, b.entered_on, b.n, (sum(b.n) over (partition by b.stage_id order by b.entered_on desc))::bigint as cum from b),
      t as (select b.stage_id, sum(b.n)::bigint as n, sum(b.v) as v, sum(b.ep) as ep from b group by b.stage_id)
      select s.id as stage_id, coalesce(t.n, 0) as n, coalesce(t.v, 0) as v,
        (t.n * extract(epoch from ${now}) - t.ep) / t.n / 86400 as avg_age,
        case when t.n is null then 0 when s.rotting_days is null then 0 else st.stuck end as stuck,
        case when t.n is null then null when t.n % 2 = 1 then m.mid[1] else m.mid[1] + 0.5::float8 * (m.mid[2] - m.mid[1]) end as median_age
      from ${stages} s
      left join t on t.stage_id = s.id
      left join lateral (
        select c.entered_on, c.cum - c.n as before from c where c.stage_id = s.id and c.cum > (t.n - 1) / 2 order by c.entered_on desc limit 1) md on true
      left join lateral (
        select array_agg(y.age order by y.age) as mid from (
          select (extract(epoch from ${now} - "deals"."stage_entered_at") / 86400)::float8 as age from ${deals}
          where ${openIn} and t.n > 0 and "deals"."stage_entered_at" < ((md.entered_on + 1)::timestamp at time zone 'UTC')
          order by "deals"."stage_entered_at" desc offset greatest((t.n - 1) / 2 - md.before, 0) limit 2 - t.n % 2) y) m on true
      left join lateral (
        select cut, (cut at time zone 'UTC')::date as cut_day from (select ${now} - make_interval(days => s.rotting_days) as cut) z) cu on true
      left join lateral (
        select (select coalesce(sum(b.n), 0) from b where b.stage_id = s.id and b.entered_on < cu.cut_day)
             + (select count(*) from ${deals} where ${openIn} and "deals"."stage_entered_at" >= (cu.cut_day::timestamp at time zone 'UTC') and "deals"."stage_entered_at" < cu.cut) as stuck
        ) st on s.rotting_days is not null and t.n > 0
      where s.workspace_id = ${ctx.workspaceId} and s.pipeline_id = ${pipelineId}`,
  );
}

/** Open deals in a report's scope (the openDeals KPI) from report_open_stage_days: workspace, and pipeline when set. */
export async function openDealCount(ctx: Ctx, pipelineId: string | null): Promise<number> {
  const [row] = await query<Record<string, unknown>>(
    ctx,
    sql`select coalesce(sum(r.deals), 0) as n from report_open_stage_days r
      where r.workspace_id = ${ctx.workspaceId} ${pipelineId ? sql`and r.pipeline_id = ${pipelineId}` : sql``}`,
  );
  return num(row!.n);
}

/**
 * CLV inputs (docs/metrics.md) for each period end, over every won deal of the workspace in its currency, from
 * report_won_deals: for the end `to` and the year before it [ys, to) — won value and deals in the year; customers
 * with a win in the year (their last win before `to` is in it); customers (rank-1 rows before `to`); repeat
 * customers (rank-2 rows before `to`); and the sum of repeat customers' spans in years, (last win before `to` −
 * first win) / 31557600 per customer — the same numbers, summed the same way, as grouping the won deals by contact.
 * Only for a report of the whole workspace (no pipeline or owner filter, a member who sees every deal).
 */
export async function clvInputsForWorkspace(ctx: Ctx, ends: Date[]) {
  const latestEnd = new Date(Math.max(...ends.map((x) => x.getTime())));
  const columns = ends.map((end, i) => {
    const to = sql`${ts(end)}::timestamptz`;
    const ys = sql`${ts(new Date(end.getTime() - 365.25 * 86_400_000))}::timestamptz`;
    const k = sql.raw(String(i));
    const lastBefore = sql`r.closed_at < ${to} and (r.next_closed_at is null or r.next_closed_at >= ${to})`;
    return sql`coalesce(sum(r.value) filter (where r.closed_at >= ${ys} and r.closed_at < ${to}), 0) as year_value${k},
      count(*) filter (where r.closed_at >= ${ys} and r.closed_at < ${to}) as year_deals${k},
      count(*) filter (where r.closed_at >= ${ys} and ${lastBefore}) as year_customers${k},
      count(*) filter (where r.rank = 1 and r.closed_at < ${to}) as customers${k},
      count(*) filter (where r.rank = 2 and r.closed_at < ${to}) as repeat_customers${k},
      coalesce(sum(extract(epoch from r.closed_at - r.first_closed_at) / 31557600) filter (where r.rank >= 2 and ${lastBefore}), 0) as repeat_span${k}`;
  });
  const [row] = await query<Record<string, unknown>>(
    ctx,
    sql`select ${sql.join(columns, sql`, `)} from report_won_deals r
      where r.workspace_id = ${ctx.workspaceId} and r.currency = ${ctx.workspace.currency} and r.closed_at < ${ts(latestEnd)}::timestamptz`,
  );
  return row!;
}

/**
 * May a report read the per-stage open-deal rollup instead of the deals? Only when its scope is all open deals of
 * the workspace (or one pipeline): no owner filter and a member who sees every deal. (The CLV rollup also needs no
 * pipeline filter: a customer's first and last wins are over the whole workspace.)
 */
export function rollupReadable(ctx: Ctx, f: ReportFilters): boolean {
  return !f.ownerId && !limitedToOwnDeals(ctx);
}
