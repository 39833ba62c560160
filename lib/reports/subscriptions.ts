import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { reportSubscriptions } from "@/db/schema";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";

/** Subscribe or unsubscribe the caller to the monthly pack. */
export async function setReportSubscription(ctx: Ctx, subscribed: boolean) {
  assertCan(ctx, "reports.subscribe");
  if (subscribed) {
    await ctx.db.insert(reportSubscriptions).values({ workspaceId: ctx.workspaceId, userId: ctx.userId, createdAt: ctx.now }).onConflictDoNothing();
  } else {
    await ctx.db.delete(reportSubscriptions).where(and(eq(reportSubscriptions.workspaceId, ctx.workspaceId), eq(reportSubscriptions.userId, ctx.userId)));
  }
  return { subscribed };
}

export async function isSubscribed(ctx: Ctx): Promise<boolean> {
  const [row] = await ctx.db
    .select({ n: sql<number>`1` })
    .from(reportSubscriptions)
    .where(and(eq(reportSubscriptions.workspaceId, ctx.workspaceId), eq(reportSubscriptions.userId, ctx.userId)));
  return !!row;
}
