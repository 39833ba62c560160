import "server-only";
import { sql } from "drizzle-orm";
import { activities, activityTypes, deals } from "@/db/schema";
import type { Ctx } from "../context";
import { limitedToOwnDeals } from "../deals/scope";
import { getSequenceStats } from "../sequences/stats";
import { ratio } from "./math";
import type { Period } from "./period";
import { num, numOrNull, query, reportDeals, ts, type ReportFilters } from "./scope";

/**
 * Strategy comparison (docs/metrics.md): which lead sources, first-touch channels and sequences bring deals
 * that close. Sources and channels use the cohort of deals created in the period (conversion = won ÷ created,
 * win rate = won ÷ closed, both as they stand now); sequences use enrollments made in the period and the deals
 * of the enrolled contact closed after enrolment (lib/sequences/stats.ts counts the wins). Every row carries its
 * counts so a 1-of-1 rate is visibly a 1-of-1.
 */
export type StrategyRow = {
  key: string | null;
  label: string | null;
  /** Deals in the cohort (sources, channels) or contacts enrolled (sequences). */
  count: number;
  won: number;
  lost: number;
  conversion: number | null;
  winRate: number | null;
  averageDealSize: number | null;
  cycleDays: number | null;
};

/** Below this many deals (or enrollments) a rate is marked as a small sample. */
export const SMALL_SAMPLE = 10;

function toRow(r: Record<string, unknown>, countKey = "n"): StrategyRow {
  const count = num(r[countKey]);
  const won = num(r.won);
  const lost = num(r.lost);
  return {
    key: (r.key as string | null) ?? null,
    label: (r.label as string | null) ?? (r.key as string | null) ?? null,
    count,
    won,
    lost,
    conversion: ratio(won, count),
    winRate: ratio(won, won + lost),
    averageDealSize: ratio(num(r.won_value), num(r.won_base)),
    cycleDays: numOrNull(r.cycle),
  };
}

/** Ranked by conversion (no rate last), then by count. */
function rank(list: StrategyRow[]): StrategyRow[] {
  return [...list].sort((a, b) => (b.conversion ?? -1) - (a.conversion ?? -1) || b.count - a.count || String(a.label).localeCompare(String(b.label)));
}

const outcome = (base: string) => sql`
  count(*) filter (where "deals"."status" = 'won') as won,
  count(*) filter (where "deals"."status" = 'lost') as lost,
  coalesce(sum("deals"."value") filter (where "deals"."status" = 'won' and "deals"."currency" = ${base}), 0) as won_value,
  count(*) filter (where "deals"."status" = 'won' and "deals"."currency" = ${base}) as won_base,
  avg(extract(epoch from "deals"."closed_at" - "deals"."created_at") / 86400) filter (where "deals"."status" = 'won') as cycle`;

export async function strategyComparison(ctx: Ctx, f: ReportFilters, period: Period) {
  const base = ctx.workspace.currency;
  const cohort = sql`${reportDeals(ctx, f)} and "deals"."created_at" >= ${ts(period.from)}::timestamptz and "deals"."created_at" < ${ts(period.to)}::timestamptz`;
  const sources = await query<Record<string, unknown>>(
    ctx,
    sql`select "deals"."source" as key, count(*) as n, ${outcome(base)} from ${deals} where ${cohort} group by "deals"."source"`,
  );
  // First touch: the type of the deal's first completed activity (none = no activity done yet).
  const channels = await query<Record<string, unknown>>(
    ctx,
    sql`select ft.key, max(ft.label) as label, count(*) as n, ${outcome(base)}
      from ${deals}
      left join lateral (
        select case when ${activities.type} = 'custom' and ${activities.customTypeId} is not null then ${activities.customTypeId}::text else ${activities.type}::text end as key,
               t.label as label from ${activities} left join ${activityTypes} t on t.id = ${activities.customTypeId}
        where ${activities.workspaceId} = ${ctx.workspaceId} and ${activities.dealId} = "deals"."id" and ${activities.doneAt} is not null
        order by ${activities.doneAt} asc, ${activities.id} limit 1) ft on true
      where ${cohort}
      group by ft.key, ft.label`,
  );
  let sequences: StrategyRow[] | null = null;
  // Sequence stats count the workspace's deals: shown only to members who see every deal.
  if (!limitedToOwnDeals(ctx)) {
    const stats = await getSequenceStats(ctx.db, ctx.workspaceId, { from: period.from, to: period.to });
    if (stats.length > 0) {
      const outcomes = await query<Record<string, unknown>>(
        ctx,
        // each deal once per sequence, however many of its enrollments led to it (the drill-down list counts deals)
        sql`select "deals".sequence_id as key, ${outcome(base)}
          from (
            select distinct e.sequence_id, "deals"."id", "deals"."status", "deals"."value", "deals"."currency", "deals"."closed_at", "deals"."created_at"
            from sequence_enrollments e
            join ${deals} on ("deals"."id" = e.deal_id or "deals"."contact_id" = e.contact_id) and "deals"."closed_at" > e.enrolled_at
            where e.workspace_id = ${ctx.workspaceId} and e.enrolled_at >= ${ts(period.from)}::timestamptz and e.enrolled_at < ${ts(period.to)}::timestamptz
              and ${reportDeals(ctx, f)}
          ) "deals"
          group by "deals".sequence_id`,
      );
      const names = await query<Record<string, unknown>>(ctx, sql`select id, name from sequences where workspace_id = ${ctx.workspaceId}`);
      const byId = new Map(outcomes.map((o) => [String(o.key), o]));
      sequences = stats.map((s) => {
        const o = byId.get(s.sequenceId) ?? {};
        const row = toRow({ ...o, key: s.sequenceId, label: names.find((n) => n.id === s.sequenceId)?.name ?? null, n: s.enrolled });
        // conversion = enrollments that led to a won deal (lib/sequences/stats.ts) ÷ enrolled
        return { ...row, conversion: ratio(s.dealsWon, s.enrolled) };
      });
    }
  }
  return { sources: rank(sources.map((r) => toRow(r))), channels: rank(channels.map((r) => toRow(r))), sequences: sequences ? rank(sequences) : null };
}

export type StrategyComparison = Awaited<ReturnType<typeof strategyComparison>>;
