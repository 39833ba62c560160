import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { activities, activityTypes, contacts, dealEvents, deals, forecastSnapshots, memberships, pipelines, stages, users } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { visibleActivities } from "../activities/scope";
import { limitedToOwnDeals } from "../deals/scope";
import { change, customerLifetimeValue, detectBottleneck, ratio, salesVelocity, type Bottleneck } from "./math";
import { instantPeriod, previousPeriod, type Period } from "./period";
import { num, numOrNull, query, reportDeals, toReportDealRow, ts, type ReportDealDTO, type ReportFilters } from "./scope";
import { clvInputsForWorkspace, completedStays, idleDealCount, openDealCount, openStageFigures, rollupReadable } from "./rollups";
import { customerLifespanMonths } from "./settings";

/**
 * The monthly pipeline review (docs/metrics.md has each definition at SQL level). Every aggregate runs in SQL
 * over reportDeals(ctx, filters) — never loading the deals into JavaScript — so it stays fast on a million deals.
 * Money is the workspace currency only: deals in other currencies are left out of sums and averages and
 * reported in `excludedCurrencies` (docs/decisions.md 33), while counts (deals won, win rate, cycle length) include them.
 */
export type ReviewInput = ReportFilters & ({ period: Period } | { from: Date; to: Date });

export type KpiKey =
  | "wonRevenue"
  | "dealsWon"
  | "averageDealSize"
  | "winRate"
  | "salesCycleDays"
  | "salesVelocity"
  | "leadConversion"
  | "customerLifetimeValue"
  | "newDeals"
  | "activitiesCompleted";

export type Kpi = { key: KpiKey; value: number | null; previous: number | null; delta: number | null; relative: number | null };

export type PeriodFigures = {
  wonRevenue: number;
  dealsWon: number;
  /** Won deals in the workspace currency (the denominator of the average deal size). */
  dealsWonInCurrency: number;
  dealsLost: number;
  averageDealSize: number | null;
  winRate: number | null;
  salesCycleDays: number | null;
  openDeals: number;
  salesVelocity: number | null;
  contactsCreated: number;
  contactsConverted: number;
  leadConversion: number | null;
  customerLifetimeValue: number | null;
  clv: ReturnType<typeof customerLifetimeValue>;
  newDeals: number;
  activitiesCompleted: number;
  excludedCurrencies: { currency: string; dealsWon: number; wonValue: number }[];
};

/**
 * The KPIs of one period (no funnel): shared by the review, the monthly pack and the API. The review asks for
 * the current and the previous period at once (`periodFiguresFor`), so each aggregate runs once for both.
 */
export async function periodFigures(ctx: Ctx, f: ReportFilters, period: Period): Promise<PeriodFigures> {
  const [figures] = await periodFiguresFor(ctx, f, [period]);
  return figures!;
}

/**
 * periodFigures for several periods (the review's current and previous one): what depends on one period's rows is
 * read per period; what does not is read once — open deals now (then at each past period's end) and the CLV inputs
 * (every period's figures as filtered aggregates of one statement). Open deals and the CLV come from the rollups
 * (lib/reports/rollups.ts) when the report covers the whole workspace, else from the deals. Same definitions as
 * docs/metrics.md; result i is for periods[i].
 */
export async function periodFiguresFor(ctx: Ctx, f: ReportFilters, periods: Period[]): Promise<PeriodFigures[]> {
  if (periods.length === 0) return [];
  const base = ctx.workspace.currency;
  const scope = reportDeals(ctx, f);
  // Statements over one period's rows run once per period with its bounds as constants (a VALUES list of periods
  // makes the planner give up the period's index range for some of them); CLV and open deals are shared below.
  const main: Record<string, unknown>[] = [];
  const excluded: Record<string, unknown>[][] = [];
  const conv: Record<string, unknown>[] = [];
  for (const period of periods) {
    const from = ts(period.from);
    const to = ts(period.to);
    const closedIn = sql`"deals"."closed_at" >= ${from}::timestamptz and "deals"."closed_at" < ${to}::timestamptz`;
    const createdIn = sql`"deals"."created_at" >= ${from}::timestamptz and "deals"."created_at" < ${to}::timestamptz`;
    const [row] = await query<Record<string, unknown>>(
      ctx,
      sql`select
        count(*) filter (where "deals"."status" = 'won' and ${closedIn}) as won,
        count(*) filter (where "deals"."status" = 'won' and ${closedIn} and "deals"."currency" = ${base}) as won_base,
        coalesce(sum("deals"."value") filter (where "deals"."status" = 'won' and ${closedIn} and "deals"."currency" = ${base}), 0) as won_value,
        count(*) filter (where "deals"."status" = 'lost' and ${closedIn}) as lost,
        avg(extract(epoch from "deals"."closed_at" - "deals"."created_at") / 86400) filter (where "deals"."status" = 'won' and ${closedIn}) as cycle_days,
        count(*) filter (where ${createdIn}) as new_deals
      from ${deals}
      where ${scope} and ((${closedIn}) or (${createdIn}))`,
    );
    main.push(row!);
    excluded.push(
      await query<Record<string, unknown>>(
        ctx,
        sql`select "deals"."currency" as currency, count(*) as n, sum("deals"."value") as v from ${deals}
          where ${scope} and "deals"."status" = 'won' and ${closedIn} and "deals"."currency" <> ${base}
          group by "deals"."currency" order by "deals"."currency"`,
      ),
    );
    // Lead-to-customer: contacts created in the period that have a won deal (within the report's scope).
    const [c] = await query<Record<string, unknown>>(
      ctx,
      sql`select count(*) as created,
          count(*) filter (where exists (select 1 from ${deals} where "deals"."contact_id" = c.id and "deals"."status" = 'won' and ${scope})) as converted
        from ${contacts} c
        where c.workspace_id = ${ctx.workspaceId} and c.created_at >= ${from}::timestamptz and c.created_at < ${to}::timestamptz`,
    );
    conv.push(c!);
  }
  const openNow = rollupReadable(ctx, f)
    ? await openDealCount(ctx, f.pipelineId ?? null)
    : num((await query<Record<string, unknown>>(ctx, sql`select count(*) as n from ${deals} where ${scope} and "deals"."status" = 'open'`))[0]!.n);
  const openDeals = await openDealsAtEnds(ctx, scope, periods, openNow);
  // CLV inputs: customers (contacts) with won deals in the workspace currency up to each period end — for the whole
  // workspace from the report_won_deals rollup (lib/reports/rollups.ts); for a filtered scope in one pass over its
  // won deals before the latest end (per period: that period's deals only, so first_won is the global min).
  const latestEnd = new Date(Math.max(...periods.map((x) => x.to.getTime())));
  const per = periods.map((x, i) => {
    const to = sql`${ts(x.to)}::timestamptz`;
    const ys = sql`${ts(new Date(x.to.getTime() - 365.25 * 86_400_000))}::timestamptz`;
    const k = sql.raw(String(i));
    return {
      cust: sql`count(*) filter (where "deals"."closed_at" < ${to}) as n${k},
        max("deals"."closed_at") filter (where "deals"."closed_at" < ${to}) as last_won${k},
        count(*) filter (where "deals"."closed_at" >= ${ys} and "deals"."closed_at" < ${to}) as year_n${k},
        coalesce(sum("deals"."value") filter (where "deals"."closed_at" >= ${ys} and "deals"."closed_at" < ${to}), 0) as year_v${k}`,
      out: sql`coalesce(sum(year_v${k}), 0) as year_value${k}, coalesce(sum(year_n${k}), 0) as year_deals${k},
        count(*) filter (where year_n${k} > 0) as year_customers${k}, count(*) filter (where n${k} > 0) as customers${k},
        count(*) filter (where n${k} > 1) as repeat_customers${k},
        coalesce(sum(extract(epoch from last_won${k} - first_won) / 31557600) filter (where n${k} > 1), 0) as repeat_span${k}`,
    };
  });
  const clvRow = rollupReadable(ctx, f) && !f.pipelineId
    ? await clvInputsForWorkspace(ctx, periods.map((x) => x.to))
    : (await query<Record<string, unknown>>(
    ctx,
    sql`with cust as (
        select "deals"."contact_id" as contact_id, min("deals"."closed_at") as first_won, ${sql.join(per.map((x) => x.cust), sql`, `)}
        from ${deals}
        where ${scope} and "deals"."status" = 'won' and "deals"."currency" = ${base} and "deals"."contact_id" is not null
          and "deals"."closed_at" < ${ts(latestEnd)}::timestamptz
        group by "deals"."contact_id")
      select ${sql.join(per.map((x) => x.out), sql`, `)} from cust`,
  ))[0]!;
  const activitiesDone: number[] = [];
  for (const period of periods) activitiesDone.push(await countActivitiesDone(ctx, f, period));
  const lifespanMonths = await customerLifespanMonths(ctx);

  return periods.map((_, i): PeriodFigures => {
    const m = main[i]!;
    const c = conv[i]!;
    const dealsWon = num(m.won);
    const dealsWonInCurrency = num(m.won_base);
    const dealsLost = num(m.lost);
    const wonRevenue = num(m.won_value);
    const averageDealSize = ratio(wonRevenue, dealsWonInCurrency);
    const winRate = ratio(dealsWon, dealsWon + dealsLost);
    const salesCycleDays = numOrNull(m.cycle_days);
    const clv = customerLifetimeValue({
      yearValue: num(clvRow![`year_value${i}`]),
      yearDeals: num(clvRow![`year_deals${i}`]),
      yearCustomers: num(clvRow![`year_customers${i}`]),
      customers: num(clvRow![`customers${i}`]),
      repeatCustomers: num(clvRow![`repeat_customers${i}`]),
      repeatSpanYears: num(clvRow![`repeat_span${i}`]),
      oneTimeLifespanYears: lifespanMonths / 12,
    });
    return {
      wonRevenue,
      dealsWon,
      dealsWonInCurrency,
      dealsLost,
      averageDealSize,
      winRate,
      salesCycleDays,
      openDeals: openDeals[i]!,
      salesVelocity: salesVelocity(openDeals[i]!, averageDealSize, winRate, salesCycleDays),
      contactsCreated: num(c.created),
      contactsConverted: num(c.converted),
      leadConversion: ratio(num(c.converted), num(c.created)),
      customerLifetimeValue: clv.value,
      clv,
      newDeals: num(m.new_deals),
      activitiesCompleted: activitiesDone[i]!,
      excludedCurrencies: excluded[i]!.map((r) => ({ currency: String(r.currency), dealsWon: num(r.n), wonValue: num(r.v) })),
    };
  });
}

/**
 * The open deals in scope at each period's end (docs/metrics.md): a deal created before the end and not closed by
 * then — still open, or won/lost at or after the end. For a period not over yet that is the open deals now; for one
 * that is over, now's count less the open deals created since its end, plus the deals closed since its end that
 * were created before it: one statement over the deals created or closed since the earliest such end (indexed).
 */
async function openDealsAtEnds(ctx: Ctx, scope: SQL, periods: Period[], openNow: number): Promise<number[]> {
  const over = periods.map((x) => x.to.getTime() <= ctx.now.getTime());
  if (!over.some(Boolean)) return periods.map(() => openNow);
  const since = new Date(Math.min(...periods.filter((_, i) => over[i]).map((x) => x.to.getTime())));
  const columns = periods.flatMap((x, i) => {
    if (!over[i]) return [];
    const end = sql`${ts(x.to)}::timestamptz`;
    const k = sql.raw(String(i));
    return [
      sql`count(*) filter (where "deals"."status" = 'open' and "deals"."created_at" >= ${end}) as created_since${k},
        count(*) filter (where "deals"."status" in ('won', 'lost') and "deals"."closed_at" >= ${end} and "deals"."created_at" < ${end}) as closed_since${k}`,
    ];
  });
  const [row] = await query<Record<string, unknown>>(
    ctx,
    sql`select ${sql.join(columns, sql`, `)} from ${deals}
      where ${scope} and ("deals"."created_at" >= ${ts(since)}::timestamptz or "deals"."closed_at" >= ${ts(since)}::timestamptz)`,
  );
  return periods.map((_, i) => (over[i] ? openNow - num(row![`created_since${i}`]) + num(row![`closed_since${i}`]) : openNow));
}

/** Activities completed in the period that the member can see; owner = assignee, pipeline = the activity's deal's. */
export async function countActivitiesDone(ctx: Ctx, f: ReportFilters, period: Period): Promise<number> {
  const [row] = await query<Record<string, unknown>>(
    ctx,
    sql`select count(*) as n from ${activities}
        where ${visibleActivities(ctx)} and ${activities.doneAt} >= ${ts(period.from)}::timestamptz and ${activities.doneAt} < ${ts(period.to)}::timestamptz
        ${f.ownerId ? sql`and ${activities.assigneeId} = ${f.ownerId}` : sql``}
        ${f.pipelineId ? sql`and exists (select 1 from ${deals} where "deals"."id" = ${activities.dealId} and "deals"."pipeline_id" = ${f.pipelineId})` : sql``}`,
  );
  return num(row!.n);
}

const KPI_KEYS: KpiKey[] = ["wonRevenue", "dealsWon", "averageDealSize", "winRate", "salesCycleDays", "salesVelocity", "leadConversion", "customerLifetimeValue", "newDeals", "activitiesCompleted"];

export function kpis(current: PeriodFigures, previous: PeriodFigures): Kpi[] {
  return KPI_KEYS.map((key) => {
    const value = current[key];
    const prev = previous[key];
    return { key, value, previous: prev, ...change(value, prev) };
  });
}

export type FunnelStage = {
  stageId: string;
  name: string;
  position: number;
  probability: number;
  rottingDays: number | null;
  /** Deals that entered the stage in the period (created in it or moved into it). */
  entered: number;
  /** Of those, how many later entered a later stage or were won. */
  converted: number;
  conversion: number | null;
  /** Completed stays that ended in the period (left by a move, or closed won/lost). */
  stays: number;
  averageDays: number | null;
  medianDays: number | null;
  /** Open deals in the stage now, and their age in it. */
  openDeals: number;
  openValue: number;
  averageAgeDays: number | null;
  medianAgeDays: number | null;
  stuckDeals: number;
};

/** Funnel, time in stage and open-deal age of one pipeline's stages. */
export async function stageFigures(ctx: Ctx, f: ReportFilters & { pipelineId: string }, period: Period, bottleneckLimit = 10) {
  const stageRows = await ctx.db
    .select({ id: stages.id, name: stages.name, position: stages.position, probability: stages.probability, rottingDays: stages.rottingDays })
    .from(stages)
    .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId))
    .where(and(eq(stages.workspaceId, ctx.workspaceId), eq(stages.pipelineId, f.pipelineId)))
    .orderBy(asc(stages.position));
  if (stageRows.length === 0) throw new AppError("NOT_FOUND");
  const scope = reportDeals(ctx, f);
  const from = ts(period.from);
  const to = ts(period.to);
  const now = ts(ctx.now);

  // Deals are matched to the period's events one by one (a lateral primary-key probe per event), never by
  // scanning the whole deals table: the events of one period are few next to the workspace's deals.
  const inScope = (deal: SQL) => sql`cross join lateral (select 1 from ${deals} where "deals"."id" = ${deal} and ${scope} limit 1) d_in`;
  const entries = await query<Record<string, unknown>>(
    ctx,
    sql`with entries as (
        select e.deal_id, e.to_stage_id as stage_id, min(e.occurred_at) as entered_at
        from ${dealEvents} e ${inScope(sql`e.deal_id`)}
        where e.workspace_id = ${ctx.workspaceId} and e.type in ('created', 'stage_changed') and e.to_stage_id is not null
          and e.occurred_at >= ${from}::timestamptz and e.occurred_at < ${to}::timestamptz
        group by e.deal_id, e.to_stage_id)
      select en.stage_id, count(*) as entered,
        count(*) filter (where exists (
          select 1 from ${dealEvents} x left join ${stages} xs on xs.id = x.to_stage_id
          where x.workspace_id = ${ctx.workspaceId} and x.deal_id = en.deal_id and x.occurred_at >= en.entered_at
            and (x.type = 'won' or (x.type = 'stage_changed' and xs.position > s.position)))) as converted
      from entries en join ${stages} s on s.id = en.stage_id
      group by en.stage_id`,
  );
  const stays = await completedStays(ctx, scope, period);
  // Open deals per stage: from the report_open_stage_days rollup when the report sees every deal of the pipeline
  // (no owner filter, not limited to own deals; lib/reports/rollups.ts). Otherwise per stage from the open-deals
  // index in stage-entry order: the median age is the middle one or two rows of that order (offset), not a sort of
  // every open deal — the same value as percentile_cont(0.5), which interpolates the two middle float8 values as
  // lo + 0.5 × (hi − lo).
  const openIn = sql`${scope} and "deals"."status" = 'open' and "deals"."pipeline_id" = ${f.pipelineId} and "deals"."stage_id" = s.id`;
  const age = sql`extract(epoch from ${now}::timestamptz - "deals"."stage_entered_at") / 86400`;
  const open = rollupReadable(ctx, f)
    ? await openStageFigures(ctx, f.pipelineId)
    : await query<Record<string, unknown>>(
    ctx,
    sql`select s.id as stage_id, o.n, o.v, o.avg_age, o.stuck,
        case when o.n = 0 then null when o.n % 2 = 1 then m.mid[1] else m.mid[1] + 0.5::float8 * (m.mid[2] - m.mid[1]) end as median_age
      from ${stages} s
      cross join lateral (
        select count(*) as n, coalesce(sum("deals"."value") filter (where "deals"."currency" = ${ctx.workspace.currency}), 0) as v,
          avg(${age}) as avg_age,
          count(*) filter (where s.rotting_days is not null and "deals"."stage_entered_at" < ${now}::timestamptz - make_interval(days => s.rotting_days)) as stuck
        from ${deals} where ${openIn}) o
      cross join lateral (
        select array_agg(y.age order by y.age) as mid from (
          select (${age})::float8 as age from ${deals} where ${openIn}
          order by "deals"."stage_entered_at" desc offset greatest((o.n - 1) / 2, 0) limit 2 - o.n % 2) y) m
      where s.workspace_id = ${ctx.workspaceId} and s.pipeline_id = ${f.pipelineId}`,
  );
  const byStage = <T extends Record<string, unknown>>(list: T[]) => new Map(list.map((r) => [String(r.stage_id), r]));
  const e = byStage(entries);
  const st = byStage(stays);
  const o = byStage(open);
  const funnel: FunnelStage[] = stageRows.map((s) => {
    const en = e.get(s.id);
    const sy = st.get(s.id);
    const op = o.get(s.id);
    const entered = num(en?.entered);
    const converted = num(en?.converted);
    return {
      stageId: s.id,
      name: s.name,
      position: s.position,
      probability: s.probability,
      rottingDays: s.rottingDays,
      entered,
      converted,
      conversion: ratio(converted, entered),
      stays: num(sy?.n),
      averageDays: numOrNull(sy?.avg_days),
      medianDays: numOrNull(sy?.median_days),
      openDeals: num(op?.n),
      openValue: num(op?.v),
      averageAgeDays: numOrNull(op?.avg_age),
      medianAgeDays: numOrNull(op?.median_age),
      stuckDeals: num(op?.stuck),
    };
  });
  const bottleneck = detectBottleneck(
    funnel.map((s) => ({ stageId: s.stageId, name: s.name, openDeals: s.openDeals, averageDays: s.averageDays ?? s.averageAgeDays, exitRate: s.conversion })),
  );
  const stuck = bottleneck ? await bottleneckDeals(ctx, f, bottleneck, bottleneckLimit) : [];
  return { funnel, bottleneck, stuck };
}

/** The bottleneck's stuck deals: open, over the stage's rotting days (or, without rotting days, the longest waiting). */
async function bottleneckDeals(ctx: Ctx, f: ReportFilters, b: Bottleneck, limit: number): Promise<ReportDealDTO[]> {
  const list = await query<Record<string, unknown>>(
    ctx,
    sql`select "deals"."id" as id, "deals"."title" as title, "deals"."value" as value, "deals"."currency" as currency, u.name as owner_name,
        extract(epoch from ${ts(ctx.now)}::timestamptz - "deals"."stage_entered_at") / 86400 as days, "deals"."expected_close_date"::text as close
      from ${deals} join ${stages} s on s.id = "deals"."stage_id" left join ${users} u on u.id = "deals"."owner_id"
      where ${reportDeals(ctx, f)} and "deals"."status" = 'open' and "deals"."stage_id" = ${b.stageId}
        and (s.rotting_days is null or "deals"."stage_entered_at" < ${ts(ctx.now)}::timestamptz - make_interval(days => s.rotting_days))
      order by "deals"."stage_entered_at" asc limit ${limit}`,
  );
  return list.map(toReportDealRow);
}

export type Breakdown = { key: string | null; label: string | null; count: number; value: number };

/** Won and lost deals of the period by lost reason, owner and source (value in the workspace currency). */
export async function wonLostBreakdowns(ctx: Ctx, f: ReportFilters, period: Period) {
  const scope = reportDeals(ctx, f);
  const closedIn = sql`"deals"."closed_at" >= ${ts(period.from)}::timestamptz and "deals"."closed_at" < ${ts(period.to)}::timestamptz`;
  const by = async (column: "lost_reason" | "owner_id" | "source", status: "won" | "lost") => {
    const list = await query<Record<string, unknown>>(
      ctx,
      sql`select "deals".${sql.raw(column)}::text as key, ${column === "owner_id" ? sql`max(u.name)` : sql`null`} as label, count(*) as n,
          coalesce(sum("deals"."value") filter (where "deals"."currency" = ${ctx.workspace.currency}), 0) as v
        from ${deals} left join ${users} u on u.id = "deals"."owner_id"
        where ${scope} and "deals"."status" = ${status} and ${closedIn}
        group by "deals".${sql.raw(column)} order by count(*) desc, 1 limit 50`,
    );
    return list.map((r): Breakdown => ({ key: (r.key as string | null) ?? null, label: (r.label as string | null) ?? (r.key as string | null) ?? null, count: num(r.n), value: num(r.v) }));
  };
  const [lostByReason, wonByOwner, lostByOwner, wonBySource, lostBySource] = await Promise.all([
    by("lost_reason", "lost"),
    by("owner_id", "won"),
    by("owner_id", "lost"),
    by("source", "won"),
    by("source", "lost"),
  ]);
  return { lostByReason, wonByOwner, lostByOwner, wonBySource, lostBySource };
}

/** Activities completed in the period by assignee and type, and open deals with no next activity. */
export async function activityFigures(ctx: Ctx, f: ReportFilters, period: Period, listLimit = 10) {
  const byRepType = await query<Record<string, unknown>>(
    ctx,
    sql`select ${activities.assigneeId} as assignee_id, max(u.name) as assignee_name, ${activities.type}::text as type, ${activities.customTypeId} as custom_type_id, max(t.label) as custom_label, count(*) as n
      from ${activities} left join ${users} u on u.id = ${activities.assigneeId} left join ${activityTypes} t on t.id = ${activities.customTypeId}
      where ${visibleActivities(ctx)} and ${activities.doneAt} >= ${ts(period.from)}::timestamptz and ${activities.doneAt} < ${ts(period.to)}::timestamptz
        ${f.ownerId ? sql`and ${activities.assigneeId} = ${f.ownerId}` : sql``}
        ${f.pipelineId ? sql`and exists (select 1 from ${deals} where "deals"."id" = ${activities.dealId} and "deals"."pipeline_id" = ${f.pipelineId})` : sql``}
      group by ${activities.assigneeId}, ${activities.type}, ${activities.customTypeId}
      order by 2 nulls last, 3`,
  );
  const noNext = sql`not exists (select 1 from ${activities} a where a.workspace_id = ${ctx.workspaceId} and a.deal_id = "deals"."id" and a.done_at is null)`;
  const noNextCount = await idleDealCount(ctx, f);
  const noNextDeals = await query<Record<string, unknown>>(
    ctx,
    sql`select "deals"."id" as id, "deals"."title" as title, "deals"."value" as value, "deals"."currency" as currency, u.name as owner_name,
        extract(epoch from ${ts(ctx.now)}::timestamptz - "deals"."stage_entered_at") / 86400 as days, "deals"."expected_close_date"::text as close
      from ${deals} left join ${users} u on u.id = "deals"."owner_id"
      where ${reportDeals(ctx, f)} and "deals"."status" = 'open' and ${noNext}
      order by "deals"."value" desc, "deals"."id" limit ${listLimit}`,
  );
  return {
    byRepType: byRepType.map((r) => ({
      assigneeId: (r.assignee_id as string | null) ?? null,
      assigneeName: (r.assignee_name as string | null) ?? null,
      type: String(r.type),
      customTypeId: (r.custom_type_id as string | null) ?? null,
      customLabel: (r.custom_label as string | null) ?? null,
      count: num(r.n),
    })),
    noNextActivity: { count: noNextCount, deals: noNextDeals.map(toReportDealRow) },
  };
}

/**
 * Forecast accuracy for a month: what the snapshot taken at its start forecast for it (weighted and unweighted,
 * workspace currency) against what was won in it. Null when no snapshot was taken for that month.
 */
export async function forecastAccuracy(ctx: Ctx, f: ReportFilters, period: Period, wonRevenue: number) {
  if (period.kind !== "month") return null;
  // snapshots are workspace-wide; a rep limited to own deals compares only their own rows
  const ownerId = limitedToOwnDeals(ctx) ? ctx.userId : f.ownerId;
  const [row] = await query<Record<string, unknown>>(
    ctx,
    sql`select count(*) as rows, coalesce(sum(${forecastSnapshots.weighted}), 0) as weighted, coalesce(sum(${forecastSnapshots.unweighted}), 0) as unweighted,
        coalesce(sum(${forecastSnapshots.dealCount}), 0) as deals, min(${forecastSnapshots.takenAt}) as taken_at
      from ${forecastSnapshots}
      where ${forecastSnapshots.workspaceId} = ${ctx.workspaceId} and ${forecastSnapshots.takenMonth} = ${period.startDate}
        and ${forecastSnapshots.targetMonth} = ${period.startDate} and ${forecastSnapshots.currency} = ${ctx.workspace.currency}
        ${f.pipelineId ? sql`and ${forecastSnapshots.pipelineId} = ${f.pipelineId}` : sql``}
        ${ownerId ? sql`and ${forecastSnapshots.ownerId} = ${ownerId}` : sql``}`,
  );
  const [any] = await query<Record<string, unknown>>(
    ctx,
    sql`select min(${forecastSnapshots.takenAt}) as taken_at from ${forecastSnapshots} where ${forecastSnapshots.workspaceId} = ${ctx.workspaceId} and ${forecastSnapshots.takenMonth} = ${period.startDate}`,
  );
  if (!any?.taken_at) return null;
  const weighted = num(row!.weighted);
  const unweighted = num(row!.unweighted);
  return {
    takenAt: new Date(String(any.taken_at)),
    forecastDeals: num(row!.deals),
    weighted,
    unweighted,
    won: wonRevenue,
    /** Won ÷ weighted forecast (1 = spot on). */
    accuracy: ratio(wonRevenue, weighted),
  };
}

/** Pipelines a review can pick from (active first). */
export async function reviewPipelines(ctx: Ctx) {
  return ctx.db
    .select({ id: pipelines.id, name: pipelines.name, archived: sql<boolean>`${pipelines.archivedAt} is not null` })
    .from(pipelines)
    .where(eq(pipelines.workspaceId, ctx.workspaceId))
    .orderBy(sql`${pipelines.archivedAt} is not null`, asc(pipelines.position), asc(pipelines.createdAt));
}

/**
 * What every section of one review shares: the period and the one before it, the filters (pipeline checked to be
 * this workspace's), and the pipeline of the stage sections — the chosen one, else the first active pipeline.
 */
export type ReviewScope = {
  period: Period;
  previousPeriod: Period;
  filters: ReportFilters;
  stagePipelineId: string | null;
};

/** Resolves a review's input into its ReviewScope; NOT_FOUND for a pipeline that is not this workspace's. */
export async function resolveReview(ctx: Ctx, input: ReviewInput): Promise<ReviewScope> {
  const period = "period" in input ? input.period : instantPeriod(input.from, input.to, ctx.workspace.timeZone);
  const pipelineList = await reviewPipelines(ctx);
  if (input.pipelineId && !pipelineList.some((p) => p.id === input.pipelineId)) throw new AppError("NOT_FOUND");
  return {
    period,
    previousPeriod: previousPeriod(period, ctx.workspace.timeZone),
    filters: { pipelineId: input.pipelineId ?? null, ownerId: input.ownerId ?? null },
    stagePipelineId: input.pipelineId ?? pipelineList.find((p) => !p.archived)?.id ?? null,
  };
}

/**
 * The review's sections, each loadable on its own (a page can stream them in separate <Suspense> boundaries) and
 * composed by pipelineReview for the export, the API and the monthly pack — the same functions, so the same figures.
 * The funnel/bottleneck and time-in-stage sections come from one stageFigures call per scope.
 */
export async function loadReviewKpis(ctx: Ctx, scope: ReviewScope) {
  const [current, previous] = await periodFiguresFor(ctx, scope.filters, [scope.period, scope.previousPeriod]);
  const accuracy = await forecastAccuracy(ctx, scope.filters, scope.period, current!.wonRevenue);
  return { current: current!, previous: previous!, kpis: kpis(current!, previous!), accuracy };
}

// One stageFigures load per ReviewScope (a scope is made per review by resolveReview), shared by the two stage sections.
const stageFiguresOfScope = new WeakMap<ReviewScope, ReturnType<typeof stageFigures>>();

function sharedStageFigures(ctx: Ctx, scope: ReviewScope) {
  const pipelineId = scope.stagePipelineId;
  if (!pipelineId) return Promise.resolve(null);
  let figures = stageFiguresOfScope.get(scope);
  if (!figures) {
    figures = stageFigures(ctx, { ...scope.filters, pipelineId }, scope.period);
    stageFiguresOfScope.set(scope, figures);
    // a failed load is not kept: the next caller tries again
    figures.catch(() => stageFiguresOfScope.delete(scope));
  }
  return figures;
}

/** Funnel (entered, converted per stage), the bottleneck and its stuck deals; null without a pipeline. */
export async function loadReviewFunnel(ctx: Ctx, scope: ReviewScope) {
  return sharedStageFigures(ctx, scope);
}

/** Time in stage (completed stays) and open-deal age per stage; null without a pipeline. */
export async function loadReviewTimeInStage(ctx: Ctx, scope: ReviewScope) {
  const figures = await sharedStageFigures(ctx, scope);
  if (!figures) return null;
  return figures.funnel.map((s) => ({
    stageId: s.stageId,
    name: s.name,
    stays: s.stays,
    averageDays: s.averageDays,
    medianDays: s.medianDays,
    openDeals: s.openDeals,
    averageAgeDays: s.averageAgeDays,
    medianAgeDays: s.medianAgeDays,
    stuckDeals: s.stuckDeals,
    rottingDays: s.rottingDays,
  }));
}

/** Won and lost deals of the period by lost reason, owner and source. */
export async function loadReviewWonLost(ctx: Ctx, scope: ReviewScope) {
  return wonLostBreakdowns(ctx, scope.filters, scope.period);
}

/** Activities completed by rep and type; open deals with no next activity. */
export async function loadReviewActivity(ctx: Ctx, scope: ReviewScope) {
  return activityFigures(ctx, scope.filters, scope.period);
}

/**
 * The whole monthly pipeline review for a period and optional pipeline / owner: the sections above, composed.
 * The stage sections need one pipeline: the chosen one, else the workspace's first active pipeline.
 */
export async function pipelineReview(ctx: Ctx, input: ReviewInput) {
  const scope = await resolveReview(ctx, input);
  const [kpiSection, stagesPart, wonLost, activity] = await Promise.all([
    loadReviewKpis(ctx, scope),
    loadReviewFunnel(ctx, scope),
    loadReviewWonLost(ctx, scope),
    loadReviewActivity(ctx, scope),
  ]);
  return {
    period: scope.period,
    previousPeriod: scope.previousPeriod,
    filters: scope.filters,
    currency: ctx.workspace.currency,
    current: kpiSection.current,
    previous: kpiSection.previous,
    kpis: kpiSection.kpis,
    stagePipelineId: scope.stagePipelineId,
    stages: stagesPart,
    wonLost,
    activity,
    accuracy: kpiSection.accuracy,
  };
}

export type PipelineReview = Awaited<ReturnType<typeof pipelineReview>>;

/** Members a review can filter by owner (not just people with deals). */
export async function reviewOwners(ctx: Ctx) {
  return ctx.db
    .select({ id: users.id, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, ctx.workspaceId))
    .orderBy(asc(users.name));
}
