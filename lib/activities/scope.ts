import { and, eq, sql, type SQL } from "drizzle-orm";
import { activities, deals } from "@/db/schema";
import type { Ctx } from "../context";
import { limitedToOwnDeals } from "../deals/scope";

type ScopeCtx = Pick<Ctx, "workspaceId" | "userId" | "role" | "workspace">;

/**
 * The WHERE clause every activity read and write starts from: this workspace; not on a deleted deal (they go and
 * come back with their deal); and, when the workspace limits reps to their own deals, only what is assigned to
 * the caller or sits on a deal the caller owns. Use it in every query that returns, counts or changes activities.
 */
export function visibleActivities(ctx: ScopeCtx): SQL {
  return and(
    eq(activities.workspaceId, ctx.workspaceId),
    sql`(${activities.dealId} is null or exists (select 1 from ${deals} where ${deals.id} = ${activities.dealId} and ${deals.deletedAt} is null))`,
    limitedToOwnDeals(ctx)
      ? sql`(${activities.assigneeId} = ${ctx.userId} or exists (select 1 from ${deals} where ${deals.id} = ${activities.dealId} and ${deals.ownerId} = ${ctx.userId}))`
      : undefined,
  )!;
}

/** May the caller look at other members' activities (the assignee filter)? Everyone but a rep limited to own deals. */
export function canSeeTeamActivities(ctx: Pick<Ctx, "role" | "workspace">): boolean {
  return !limitedToOwnDeals(ctx);
}
