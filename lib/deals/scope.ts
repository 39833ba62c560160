import { and, eq, isNull, type SQL } from "drizzle-orm";
import { deals } from "@/db/schema";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";

/** True when the workspace limits this member to the deals they own. */
export function limitedToOwnDeals(ctx: Pick<Ctx, "role" | "workspace">): boolean {
  return ctx.workspace.dealVisibility === "own" && !can(ctx.role, "deals.readAll");
}

/**
 * The WHERE clause every deal read starts from: this workspace, not soft-deleted, and — when the workspace
 * limits reps to their own deals — owned by the caller. Use it in every query that returns or counts deals
 * (board, lists, search, deal page, contact/company pages, reports, exports, API).
 */
export function visibleDeals(ctx: Pick<Ctx, "workspaceId" | "userId" | "role" | "workspace">, opts: { includeDeleted?: boolean } = {}): SQL {
  return and(
    eq(deals.workspaceId, ctx.workspaceId),
    opts.includeDeleted ? undefined : isNull(deals.deletedAt),
    limitedToOwnDeals(ctx) ? eq(deals.ownerId, ctx.userId) : undefined,
  )!;
}
