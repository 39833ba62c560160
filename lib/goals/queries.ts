import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { contacts, deals, goals, stages, users } from "@/db/schema";
import type { Ctx } from "../context";
import { limitedToOwnDeals } from "../deals/scope";
import { countActivitiesDone } from "../reports/review";
import { dealsFillingGap, goalGap, progressShare, type GoalGap } from "../reports/math";
import { goalPeriod, type Period } from "../reports/period";
import { num, query, reportDeals, ts } from "../reports/scope";
import type { GoalMetric, GoalPeriodKind } from "./schema";

export type GoalRow = { id: string; userId: string | null; userName: string | null; metric: GoalMetric; period: GoalPeriodKind; target: number };

/**
 * Goals the member may see: all of them, or — for a rep limited to their own deals — only their own (a
 * workspace goal's progress would otherwise show just their slice of it).
 */
export async function listGoals(ctx: Ctx): Promise<GoalRow[]> {
  return ctx.db
    .select({ id: goals.id, userId: goals.userId, userName: users.name, metric: goals.metric, period: goals.period, target: goals.target })
    .from(goals)
    .leftJoin(users, eq(users.id, goals.userId))
    .where(and(eq(goals.workspaceId, ctx.workspaceId), limitedToOwnDeals(ctx) ? eq(goals.userId, ctx.userId) : undefined))
    .orderBy(sql`${goals.userId} is not null`, asc(users.name), asc(goals.metric), asc(goals.period));
}

/** What a goal's metric stands at in a period, for the whole workspace (ownerId null) or one member. */
export async function goalAchieved(ctx: Ctx, metric: GoalMetric, ownerId: string | null, period: Period): Promise<number> {
  if (metric === "activities_done") return countActivitiesDone(ctx, { ownerId }, period);
  const scope = reportDeals(ctx, { ownerId });
  const from = ts(period.from);
  const to = ts(period.to);
  const where =
    metric === "new_deals"
      ? sql`"deals"."created_at" >= ${from}::timestamptz and "deals"."created_at" < ${to}::timestamptz`
      : sql`"deals"."status" = 'won' and "deals"."closed_at" >= ${from}::timestamptz and "deals"."closed_at" < ${to}::timestamptz${metric === "won_value" ? sql` and "deals"."currency" = ${ctx.workspace.currency}` : sql``}`;
  const [row] = await query<Record<string, unknown>>(
    ctx,
    sql`select ${metric === "won_value" ? sql`coalesce(sum("deals"."value"), 0)` : sql`count(*)`} as v from ${deals} where ${scope} and ${where}`,
  );
  return num(row!.v);
}

export type GoalCandidate = {
  id: string;
  title: string;
  value: number;
  currency: string;
  probability: number;
  score: number | null;
  expectedCloseDate: string | null;
  ownerName: string | null;
  /**
   * Taken in order, the deals expected to close within the goal's period (overdue ones included) that would close
   * the gap. A deal expected after the period, or without a date, does not count towards this period's goal.
   */
  fillsGap: boolean;
  /** Expected to close within the goal's period (before its end; overdue ones are). */
  inPeriod: boolean;
};

export type GoalProgress = GoalRow & { periodInfo: Period; achieved: number; share: number; gap: GoalGap; candidates: GoalCandidate[] };

/** How many likely deals a goal lists. */
export const GOAL_CANDIDATES = 5;

/**
 * The open deals most likely to fill a won-value / won-count gap: those expected to close within the goal's
 * period first, then by stage probability, the contact's score and the soonest expected close date.
 */
async function candidates(ctx: Ctx, g: GoalRow, gap: GoalGap, period: Period): Promise<GoalCandidate[]> {
  if (g.metric !== "won_value" && g.metric !== "won_count") return [];
  if (gap.state === "reached") return [];
  const list = await ctx.db
    .select({
      id: deals.id,
      title: deals.title,
      value: deals.value,
      currency: deals.currency,
      probability: stages.probability,
      score: contacts.score,
      expectedCloseDate: deals.expectedCloseDate,
      ownerName: users.name,
    })
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    .where(
      and(
        reportDeals(ctx, { ownerId: g.userId }),
        eq(deals.status, "open"),
        g.metric === "won_value" ? eq(deals.currency, ctx.workspace.currency) : undefined,
      ),
    )
    .orderBy(
      // expected to close within the goal's period first (overdue ones included), then the rest
      sql`case when ${deals.expectedCloseDate} < ${period.endDate}::date then 0 else 1 end`,
      sql`${stages.probability} desc`,
      sql`${contacts.score} desc nulls last`,
      sql`${deals.expectedCloseDate} asc nulls last`,
      sql`${deals.value} desc`,
      asc(deals.id),
    )
    .limit(GOAL_CANDIDATES);
  const within = (d: (typeof list)[number]) => d.expectedCloseDate !== null && d.expectedCloseDate < period.endDate;
  const fills = dealsFillingGap(list.filter(within), gap, g.metric);
  return list.map((d) => ({ ...d, fillsGap: fills.has(d.id), inPeriod: within(d) }));
}

/**
 * Progress of every goal the member can see in its current period (month or quarter containing ctx.now, in
 * the workspace's time zone): achieved, share, the gap, and the open deals most likely to fill it.
 */
export async function goalProgress(ctx: Ctx): Promise<GoalProgress[]> {
  const list = await listGoals(ctx);
  const out: GoalProgress[] = [];
  for (const g of list) {
    const periodInfo = goalPeriod(g.period, ctx.now, ctx.workspace.timeZone);
    const achieved = await goalAchieved(ctx, g.metric, g.userId, periodInfo);
    const gap = goalGap(achieved, g.target);
    out.push({ ...g, periodInfo, achieved, share: progressShare(achieved, g.target), gap, candidates: await candidates(ctx, g, gap, periodInfo) });
  }
  return out;
}
