import { sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { num, query } from "./scope";

/**
 * Upkeep of the review's rollups (docs/decisions.md 43) outside the triggers: their definitions over the raw tables,
 * a consistency check, a rebuild, and bulk loading with the triggers off. No `server-only` marker, so the
 * benchmark's generator (plain Node) and maintenance scripts can use it; lib/reports/rollups.ts re-exports it.
 */

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

const expectedOpenDays = (workspaceId: string | null) => sql`
  select d.workspace_id, d.pipeline_id, d.stage_id, (d.stage_entered_at at time zone 'UTC')::date as entered_on, d.currency,
         count(*)::int as deals, sum(d.value)::bigint as value, sum(extract(epoch from d.stage_entered_at)) as entered_epoch
  from deals d where d.status = 'open' and d.deleted_at is null ${workspaceId ? sql`and d.workspace_id = ${workspaceId}` : sql``}
  group by 1, 2, 3, 4, 5`;
const expectedWon = (workspaceId: string | null) => sql`
  select d.id as deal_id, d.workspace_id, d.contact_id, d.currency, d.closed_at, d.value,
         (row_number() over w)::int as rank, first_value(d.closed_at) over w as first_closed_at, lead(d.closed_at) over w as next_closed_at
  from deals d
  where d.status = 'won' and d.deleted_at is null and d.closed_at is not null and d.contact_id is not null
    ${workspaceId ? sql`and d.workspace_id = ${workspaceId}` : sql``}
  window w as (partition by d.workspace_id, d.contact_id, d.currency order by d.closed_at, d.id)`;
const wonRows = (workspaceId: string | null) => sql`
  select deal_id, workspace_id, contact_id, currency, closed_at, value, rank, first_closed_at, next_closed_at from report_won_deals
  ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`;
const openDaysRows = (workspaceId: string | null) => sql`
  select workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch from report_open_stage_days
  where deals <> 0 ${workspaceId ? sql`and workspace_id = ${workspaceId}` : sql``}`;

/**
 * Rows that differ between each rollup and its definition over the raw tables (missing, extra or changed), for
 * one workspace or all. Zero and zero when the triggers did their job.
 */
export async function checkReviewRollups(db: Ctx["db"], workspaceId: string | null = null): Promise<{ stays: number; idleDeals: number; openStageDays: number; wonDeals: number }> {
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
                             (${expectedIdle(workspaceId)} except all select deal_id, workspace_id, pipeline_id, owner_id from report_idle_deals i ${ws("i")})) y) as idle,
      (select count(*) from ((${openDaysRows(workspaceId)} except all ${expectedOpenDays(workspaceId)})
                             union all
                             (${expectedOpenDays(workspaceId)} except all ${openDaysRows(workspaceId)})) z) as open_days,
      (select count(*) from ((${wonRows(workspaceId)} except all ${expectedWon(workspaceId)})
                             union all
                             (${expectedWon(workspaceId)} except all ${wonRows(workspaceId)})) w) as won`,
  );
  return { stays: num(row!.stays), idleDeals: num(row!.idle), openStageDays: num(row!.open_days), wonDeals: num(row!.won) };
}

/** Recomputes the rollups (one workspace or all) from the raw tables, in one transaction. */
export async function rebuildReviewRollups(db: Ctx["db"], workspaceId: string | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from report_stage_stays ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`);
    await tx.execute(sql`insert into report_stage_stays (event_id, workspace_id, deal_id, stage_id, began_at, ended_at) ${expectedStays(workspaceId)}`);
    await tx.execute(sql`delete from report_idle_deals ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`);
    await tx.execute(sql`insert into report_idle_deals (deal_id, workspace_id, pipeline_id, owner_id) ${expectedIdle(workspaceId)}`);
    await tx.execute(sql`delete from report_open_stage_days ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`);
    await tx.execute(
      sql`insert into report_open_stage_days (workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch) ${expectedOpenDays(workspaceId)}`,
    );
    await tx.execute(sql`delete from report_won_deals ${workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``}`);
    await tx.execute(
      sql`insert into report_won_deals (deal_id, workspace_id, contact_id, currency, closed_at, value, rank, first_closed_at, next_closed_at) ${expectedWon(workspaceId)}`,
    );
  });
}

/**
 * Runs a bulk load (the benchmark's generator) with the rollup triggers off, then rebuilds the rollups once from
 * the loaded rows and turns the triggers back on. Row-by-row upkeep of a few hundred thousand generated rows costs
 * minutes on PGlite; one set-based rebuild costs seconds. Not for concurrent use: writes by others while the
 * triggers are off would be missed until the rebuild (which runs before this returns).
 */
export async function bulkLoadWithoutRollupTriggers<T>(db: Ctx["db"], load: () => Promise<T>): Promise<T> {
  const triggers = await query<{ name: string; table: string }>(
    { db },
    sql`select t.tgname as name, c.relname as "table" from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and t.tgname like 'report\\_%' and c.relname in ('deals', 'deal_events', 'activities')`,
  );
  const toggle = async (on: boolean) => {
    for (const t of triggers) await db.execute(sql`alter table ${sql.identifier(t.table)} ${sql.raw(on ? "enable" : "disable")} trigger ${sql.identifier(t.name)}`);
  };
  await toggle(false);
  try {
    const result = await load();
    await rebuildReviewRollups(db);
    return result;
  } finally {
    await toggle(true);
  }
}
