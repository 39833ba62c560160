import type { KpiKey } from "./review";

/**
 * The URL filters each report figure opens its list with (pure: pages build links from them and the drill-down
 * tests parse them exactly as the lists do). A deals link goes to /deals (lib/deals/schema.ts dealFiltersSchema),
 * an activities link to /activities' completed list (lib/activities/schema.ts activityFiltersSchema). Every
 * filter means the same rows as the figure's definition in docs/metrics.md.
 */
export type DrillParams = Record<string, string | null | undefined>;
export type DrillTarget = { list: "deals" | "activities"; params: DrillParams };
/** The report's period as instants [from, to). */
export type DrillPeriod = { from: Date; to: Date };
/** The report's pipeline and owner filters (owner null for a rep limited to own deals: their scope already is). */
export type DrillScope = { pipelineId: string | null; owner: string | null };

const range = (p: DrillPeriod) => ({ from: p.from.toISOString(), to: p.to.toISOString() });
const deals = (params: DrillParams): DrillTarget => ({ list: "deals", params });

/** The deals (or activities) behind a KPI of the review; `now` tells a period that is over from one that is not. */
export function kpiTarget(key: KpiKey, period: DrillPeriod, scope: DrillScope, currency: string, now = new Date()): DrillTarget {
  const { from, to } = range(period);
  const s = { pipelineId: scope.pipelineId, owner: scope.owner };
  switch (key) {
    case "wonRevenue":
    case "averageDealSize":
      return deals({ status: "won", closedFrom: from, closedTo: to, currency, ...s });
    case "dealsWon":
    case "salesCycleDays":
      return deals({ status: "won", closedFrom: from, closedTo: to, ...s });
    case "winRate":
      return deals({ status: "all", closedFrom: from, closedTo: to, ...s });
    case "salesVelocity":
      // the open deals at the period's end: now for a period not over yet
      return period.to.getTime() > now.getTime() ? deals({ status: "open", ...s }) : deals({ status: "all", openAt: to, ...s });
    case "leadConversion":
      // the won deals of the contacts created in the period (the converted leads)
      return deals({ status: "won", contactCreatedFrom: from, contactCreatedTo: to, ...s });
    case "customerLifetimeValue":
      return deals({ status: "won", closedTo: to, currency, ...s });
    case "newDeals":
      return deals({ status: "all", createdFrom: from, createdTo: to, ...s });
    case "activitiesCompleted":
      return completedActivities(period, scope, {});
  }
}

/** Activities completed in the period; the owner filter is the assignee ("all": everyone the caller may see). */
export function completedActivities(period: DrillPeriod, scope: DrillScope, row: { assigneeId?: string | null; type?: string | null; customTypeId?: string | null }): DrillTarget {
  const { from, to } = range(period);
  const assignee = "assigneeId" in row ? (row.assigneeId ?? "none") : (scope.owner ?? "all");
  const type = row.type === "custom" ? row.customTypeId : row.type;
  return { list: "activities", params: { doneFrom: from, doneTo: to, assignee, type, pipeline: scope.pipelineId } };
}

/** Stage figures: the stage scope is the report's owner plus the pipeline whose stages are shown. */
export const stageTargets = {
  entered: (stageId: string, period: DrillPeriod, scope: DrillScope) => deals({ status: "all", enteredStage: stageId, enteredFrom: range(period).from, enteredTo: range(period).to, ...scope }),
  /** Of those, the deals that went on (won, or into a later stage): the funnel's "converted". */
  converted: (stageId: string, period: DrillPeriod, scope: DrillScope) => deals({ status: "all", enteredStage: stageId, enteredFrom: range(period).from, enteredTo: range(period).to, advanced: "1", ...scope }),
  /** Completed stays ending in the period: the deals that left the stage then (a deal may leave twice: one row). */
  left: (stageId: string, period: DrillPeriod, scope: DrillScope) => deals({ status: "all", leftStage: stageId, leftFrom: range(period).from, leftTo: range(period).to, ...scope }),
  open: (stageId: string, scope: DrillScope, currency?: string) => deals({ status: "open", stage: stageId, currency, ...scope }),
  stuck: (stageId: string, scope: DrillScope) => deals({ status: "open", stage: stageId, stuck: "1", ...scope }),
};

/** Won or lost in the period, by owner / source / lost reason (null groups: no owner, no source). */
export function closedTarget(status: "won" | "lost", period: DrillPeriod, scope: DrillScope, group: { owner?: string | null; source?: string | null; lostReason?: string }, currency?: string): DrillTarget {
  const { from, to } = range(period);
  const g: DrillParams = {};
  if ("owner" in group) g.owner = group.owner ?? "none";
  if ("source" in group) Object.assign(g, group.source ? { source: group.source } : { noSource: "1" });
  if (group.lostReason) g.lostReason = group.lostReason;
  return deals({ status, closedFrom: from, closedTo: to, ...scope, ...g, currency });
}

/** Open deals in scope with no open activity. */
export const noNextTarget = (scope: DrillScope) => deals({ status: "open", noNext: "1", ...scope });

/** Strategy comparison: the cohort (created in the period) of a source or first-touch channel, all or won. */
export function strategyTarget(kind: "source" | "channel", key: string | null, status: "all" | "won", period: DrillPeriod, scope: DrillScope): DrillTarget | null {
  const { from, to } = range(period);
  const cohort = { createdFrom: from, createdTo: to, ...scope };
  if (kind === "source") return deals({ status, ...(key ? { source: key } : { noSource: "1" }), ...cohort });
  // a custom type's key is its id; "custom" alone is a type deleted since (nothing to filter by)
  if (key === "custom") return null;
  return deals({ status, firstTouch: key ?? "none", ...cohort });
}

/** A sequence's won deals: enrolled in the period, the enrolled deal or the contact's deal won after enrolling. */
export function sequenceWonTarget(sequenceId: string, period: DrillPeriod, scope: DrillScope): DrillTarget {
  const { from, to } = range(period);
  return deals({ status: "won", sequence: sequenceId, enrolledFrom: from, enrolledTo: to, ...scope });
}

/** The list URL of a target. */
export function drillHref(slug: string, target: DrillTarget): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(target.params)) if (v) q.set(k, v);
  return `/w/${slug}/${target.list}?${q.toString()}`;
}

/** Forecast figures: open deals in scope (the forecast's owner and pipeline filters). */
export const forecastTargets = {
  /** A month of expected close (YYYY-MM), workspace currency (the cells count and sum only that currency). */
  month: (month: string, monthEnd: string, scope: DrillScope, currency: string, group: { owner?: string | null; pipelineId?: string } = {}) =>
    deals({ status: "open", closeFrom: `${month}-01`, closeTo: monthEnd, currency, ...scope, ...("owner" in group ? { owner: group.owner ?? "none" } : {}), ...(group.pipelineId ? { pipelineId: group.pipelineId } : {}) }),
  /** Expected to close before today (local date), any currency. */
  overdue: (yesterday: string, scope: DrillScope) => deals({ status: "open", closeTo: yesterday, ...scope }),
  undated: (scope: DrillScope) => deals({ status: "open", noClose: "1", ...scope }),
  /** Open deals pushed back at least `times` times (1: every slipped deal; SLIPPAGE_FLAG: the flagged ones). */
  slipped: (times: number, scope: DrillScope) => deals({ status: "open", slipped: String(times), ...scope }),
};

const GOAL_KPI = { won_value: "wonRevenue", won_count: "dealsWon", new_deals: "newDeals", activities_done: "activitiesCompleted" } as const satisfies Record<string, KpiKey>;

/** What a goal has achieved in its period (lib/goals goalAchieved): the member's (or everyone's) deals or activities. */
export function goalTarget(metric: keyof typeof GOAL_KPI, period: DrillPeriod, userId: string | null, currency: string): DrillTarget {
  return kpiTarget(GOAL_KPI[metric], period, { pipelineId: null, owner: userId }, currency);
}
