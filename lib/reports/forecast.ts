import "server-only";
import { sql } from "drizzle-orm";
import { dealEvents, deals, forecastSnapshots, pipelines, stages, users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { localDate, safeTimeZone } from "../activities/time";
import { addMonths, monthOf } from "./period";
import { num, query, reportDeals, toReportDealRow, ts, type ReportFilters } from "./scope";

/** Months the forecast looks ahead (the current local month and the five after it). */
export const FORECAST_MONTHS = 6;
/** A deal whose expected close date was pushed back this many times is flagged. */
export const SLIPPAGE_FLAG = 3;

export type ForecastCell = { month: string; deals: number; unweighted: number; weighted: number };

/**
 * The forecast (docs/metrics.md): open deals by expected close month for the next six local months, unweighted
 * and weighted (value × stage probability), in total, by owner and by pipeline; deals past their expected close
 * date; deals without one; and close-date slippage (how often each deal's date was pushed back, from
 * `close_date_changed` events). Money in the workspace currency; other currencies are counted and reported.
 */
export async function forecast(ctx: Ctx, f: ReportFilters, listLimit = 20) {
  const tz = safeTimeZone(ctx.workspace.timeZone);
  const first = monthOf(ctx.now, tz);
  const months = Array.from({ length: FORECAST_MONTHS }, (_, i) => addMonths(first, i));
  const start = `${first}-01`;
  const end = `${addMonths(first, FORECAST_MONTHS)}-01`;
  const today = localDate(ctx.now, tz);
  const base = ctx.workspace.currency;
  const scope = reportDeals(ctx, f);
  const open = sql`${scope} and "deals"."status" = 'open'`;
  const inWindow = sql`"deals"."expected_close_date" >= ${start}::date and "deals"."expected_close_date" < ${end}::date`;
  const grouped = await query<Record<string, unknown>>(
    ctx,
    sql`select to_char("deals"."expected_close_date", 'YYYY-MM') as month, "deals"."owner_id" as owner_id, max(u.name) as owner_name,
        "deals"."pipeline_id" as pipeline_id, max(p.name) as pipeline_name,
        count(*) filter (where "deals"."currency" = ${base}) as n,
        coalesce(sum("deals"."value") filter (where "deals"."currency" = ${base}), 0) as unweighted,
        coalesce(sum("deals"."value" * s.probability / 100.0) filter (where "deals"."currency" = ${base}), 0) as weighted,
        count(*) filter (where "deals"."currency" <> ${base}) as other
      from ${deals} join ${stages} s on s.id = "deals"."stage_id" join ${pipelines} p on p.id = "deals"."pipeline_id"
        left join ${users} u on u.id = "deals"."owner_id"
      where ${open} and ${inWindow}
      group by 1, "deals"."owner_id", "deals"."pipeline_id"`,
  );
  const cell = (month: string): ForecastCell => ({ month, deals: 0, unweighted: 0, weighted: 0 });
  const add = (c: ForecastCell, r: Record<string, unknown>) => {
    c.deals += num(r.n);
    c.unweighted += num(r.unweighted);
    c.weighted += num(r.weighted);
  };
  const totals = months.map(cell);
  const byOwner = new Map<string, { id: string | null; name: string | null; months: ForecastCell[] }>();
  const byPipeline = new Map<string, { id: string; name: string; months: ForecastCell[] }>();
  let otherCurrencyDeals = 0;
  for (const r of grouped) {
    const i = months.indexOf(String(r.month));
    if (i < 0) continue;
    otherCurrencyDeals += num(r.other);
    add(totals[i]!, r);
    const ownerKey = String(r.owner_id ?? "");
    if (!byOwner.has(ownerKey)) byOwner.set(ownerKey, { id: (r.owner_id as string | null) ?? null, name: (r.owner_name as string | null) ?? null, months: months.map(cell) });
    add(byOwner.get(ownerKey)!.months[i]!, r);
    const pid = String(r.pipeline_id);
    if (!byPipeline.has(pid)) byPipeline.set(pid, { id: pid, name: String(r.pipeline_name), months: months.map(cell) });
    add(byPipeline.get(pid)!.months[i]!, r);
  }
  const roundCells = (list: ForecastCell[]) => list.forEach((c) => (c.weighted = Math.round(c.weighted)));
  roundCells(totals);
  byOwner.forEach((o) => roundCells(o.months));
  byPipeline.forEach((p) => roundCells(p.months));

  const [overdueSum] = await query<Record<string, unknown>>(
    ctx,
    sql`select count(*) as n, coalesce(sum("deals"."value") filter (where "deals"."currency" = ${base}), 0) as v
      from ${deals} where ${open} and "deals"."expected_close_date" < ${today}::date`,
  );
  const overdueDeals = await query<Record<string, unknown>>(
    ctx,
    sql`select "deals"."id" as id, "deals"."title" as title, "deals"."value" as value, "deals"."currency" as currency, u.name as owner_name,
        (${today}::date - "deals"."expected_close_date") as days, "deals"."expected_close_date"::text as close
      from ${deals} left join ${users} u on u.id = "deals"."owner_id"
      where ${open} and "deals"."expected_close_date" < ${today}::date
      order by "deals"."expected_close_date" asc, "deals"."id" limit ${listLimit}`,
  );
  const [undated] = await query<Record<string, unknown>>(ctx, sql`select count(*) as n from ${deals} where ${open} and "deals"."expected_close_date" is null`);

  // Pushed back = a close_date_changed event whose new date is later than the old one (setting a first date is not).
  const pushedBack = sql`e.type = 'close_date_changed' and (e.data->>'from') is not null and (e.data->>'to') is not null and (e.data->>'to')::date > (e.data->>'from')::date`;
  const [slipSum] = await query<Record<string, unknown>>(
    ctx,
    sql`select count(*) as deals, count(*) filter (where pushes >= ${SLIPPAGE_FLAG}) as flagged, coalesce(sum(pushes), 0) as pushes from (
        select e.deal_id, count(*) as pushes from ${dealEvents} e join ${deals} on "deals"."id" = e.deal_id
        where e.workspace_id = ${ctx.workspaceId} and ${pushedBack} and ${open}
        group by e.deal_id) x`,
  );
  const slipped = await query<Record<string, unknown>>(
    ctx,
    sql`select "deals"."id" as id, "deals"."title" as title, "deals"."value" as value, "deals"."currency" as currency, max(u.name) as owner_name,
        count(*) as pushes, "deals"."expected_close_date"::text as close, min(e.data->>'from') as first_date
      from ${dealEvents} e join ${deals} on "deals"."id" = e.deal_id left join ${users} u on u.id = "deals"."owner_id"
      where e.workspace_id = ${ctx.workspaceId} and ${pushedBack} and ${open}
      group by "deals"."id"
      order by count(*) desc, "deals"."expected_close_date" asc nulls last, "deals"."id" limit ${listLimit}`,
  );
  return {
    currency: base,
    today,
    months,
    totals,
    byOwner: [...byOwner.values()].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "")),
    byPipeline: [...byPipeline.values()].sort((a, b) => a.name.localeCompare(b.name)),
    otherCurrencyDeals,
    undatedDeals: num(undated!.n),
    overdue: { count: num(overdueSum!.n), value: num(overdueSum!.v), deals: overdueDeals.map((r) => ({ ...toReportDealRow(r), daysOverdue: num(r.days) })) },
    slippage: {
      dealsPushed: num(slipSum!.deals),
      flagged: num(slipSum!.flagged),
      pushes: num(slipSum!.pushes),
      deals: slipped.map((r) => ({ ...toReportDealRow(r), pushes: num(r.pushes), firstDate: (r.first_date as string | null) ?? null, flagged: num(r.pushes) >= SLIPPAGE_FLAG })),
    },
  };
}

export type Forecast = Awaited<ReturnType<typeof forecast>>;

/**
 * Keeps the forecast as it stands at the start of the workspace's local month: open deals (every deal of the
 * workspace, not one member's view) by target month (this month and the next five), pipeline, owner and
 * currency. Written once per workspace and month: a second run finds the month's rows and adds nothing.
 * Returns the number of rows written.
 */
export async function takeForecastSnapshot(db: Db, workspace: { id: string; timeZone: string }, now: Date): Promise<number> {
  const taken = `${monthOf(now, workspace.timeZone)}-01`;
  const inserted = await db.execute(sql`
    insert into ${forecastSnapshots} (workspace_id, taken_month, target_month, pipeline_id, owner_id, currency, deal_count, unweighted, weighted, taken_at)
    select d.workspace_id, ${taken}::date, date_trunc('month', d.expected_close_date)::date, d.pipeline_id, d.owner_id, d.currency,
           count(*), sum(d.value), round(sum(d.value * s.probability) / 100.0), ${ts(now)}::timestamptz
    from ${deals} d join ${stages} s on s.id = d.stage_id
    where d.workspace_id = ${workspace.id} and d.deleted_at is null and d.status = 'open'
      and d.expected_close_date >= ${taken}::date and d.expected_close_date < (${taken}::date + interval '${sql.raw(String(FORECAST_MONTHS))} months')
      and not exists (select 1 from ${forecastSnapshots} f where f.workspace_id = ${workspace.id} and f.taken_month = ${taken}::date)
    group by d.workspace_id, date_trunc('month', d.expected_close_date), d.pipeline_id, d.owner_id, d.currency
    on conflict do nothing
    returning id`);
  return rowCount(inserted);
}

function rowCount(result: unknown): number {
  const r = result as { rows?: unknown[]; length?: number; affectedRows?: number; count?: number };
  if (Array.isArray(r)) return r.length;
  if (Array.isArray(r.rows)) return r.rows.length;
  return r.affectedRows ?? r.count ?? 0;
}
