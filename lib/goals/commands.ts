import "server-only";
import { and, eq } from "drizzle-orm";
import { goals, memberships } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { parseMoney } from "../format";
import type { SaveGoalInput } from "./schema";

/** The stored target: minor units of the workspace currency for won value, else a positive whole count. */
export function parseTarget(metric: SaveGoalInput["metric"], text: string, currency: string): number {
  const invalid = () => new AppError("VALIDATION", "errors.VALIDATION", { target: [metric === "won_value" ? "errors.invalidAmount" : "errors.invalidNumber"] });
  if (metric === "won_value") {
    const minor = parseMoney(text, currency);
    if (minor === null || minor <= 0) throw invalid();
    return minor;
  }
  if (!/^\d{1,9}$/.test(text.replace(/[\s,]/g, ""))) throw invalid();
  const n = Number(text.replace(/[\s,]/g, ""));
  if (n <= 0) throw invalid();
  return n;
}

/**
 * Sets a goal: one per scope (workspace or member), metric and period kind, so saving again changes the target.
 * The member must belong to this workspace (another workspace's user is "not found").
 */
export async function saveGoal(ctx: Ctx, input: SaveGoalInput) {
  assertCan(ctx, "goals.manage");
  const target = parseTarget(input.metric, input.target, ctx.workspace.currency);
  return ctx.db.transaction(async (tx) => {
    if (input.userId) {
      const [member] = await tx
        .select({ id: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, input.userId)));
      if (!member) throw new AppError("NOT_FOUND", "errors.NOT_FOUND", { userId: ["errors.NOT_FOUND"] });
    }
    const [row] = await tx
      .insert(goals)
      .values({ workspaceId: ctx.workspaceId, userId: input.userId, metric: input.metric, period: input.period, target, createdBy: ctx.userId, createdAt: ctx.now, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [goals.workspaceId, goals.userId, goals.metric, goals.period], set: { target, updatedAt: ctx.now } })
      .returning();
    return row!;
  });
}

export async function deleteGoal(ctx: Ctx, goalId: string) {
  assertCan(ctx, "goals.manage");
  const deleted = await ctx.db.delete(goals).where(and(eq(goals.id, goalId), eq(goals.workspaceId, ctx.workspaceId))).returning({ id: goals.id });
  if (deleted.length === 0) throw new AppError("NOT_FOUND");
}
