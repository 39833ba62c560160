import "server-only";
import { and, eq } from "drizzle-orm";
import { activityTypes, scoringRules, scoringSettings, stages } from "@/db/schema";
import type { Db } from "@/db/types";
import { builtInActivityTypes } from "../activities/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { z } from "../validation";
import type { ScoringRuleInput, ScoringSettingsInput } from "./schema";

/** Weekly decay, cap and "hot" threshold of the workspace (one row, created on first save). */
export async function saveScoringSettings(ctx: Ctx, input: ScoringSettingsInput): Promise<void> {
  assertCan(ctx, "automations.manage");
  if (input.cap !== null && input.hotThreshold !== null && input.hotThreshold > input.cap) {
    throw new AppError("VALIDATION", "errors.VALIDATION", { hotThreshold: ["errors.thresholdAboveCap"] });
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(scoringSettings)
      .values({ workspaceId: ctx.workspaceId, ...input, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: scoringSettings.workspaceId, set: { ...input, updatedAt: ctx.now } });
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "scoring.settings", details: { ...input }, at: ctx.now });
  });
}

/** A built-in activity type key, or the id of one of this workspace's own types. */
async function activityTypeExists(db: Db, workspaceId: string, type: string): Promise<boolean> {
  if ((builtInActivityTypes as readonly string[]).includes(type)) return true;
  if (!z.uuid().safeParse(type).success) return false;
  const [row] = await db.select({ id: activityTypes.id }).from(activityTypes).where(and(eq(activityTypes.id, type), eq(activityTypes.workspaceId, workspaceId)));
  return !!row;
}

/** A rule: event (optionally in a stage of this workspace for deal events, of an activity type for activity events) → points. */
export async function addScoringRule(ctx: Ctx, input: ScoringRuleInput) {
  assertCan(ctx, "automations.manage");
  return ctx.db.transaction(async (tx) => {
    if (input.stageId) {
      if (!input.eventType.startsWith("deal.")) throw new AppError("VALIDATION", "errors.VALIDATION", { stageId: ["errors.invalid"] });
      const [stage] = await tx
        .select({ id: stages.id })
        .from(stages)
        .where(and(eq(stages.id, input.stageId), eq(stages.workspaceId, ctx.workspaceId)));
      if (!stage) throw new AppError("VALIDATION", "errors.VALIDATION", { stageId: ["errors.stageNotFound"] });
    }
    if (input.activityType) {
      if (!input.eventType.startsWith("activity.")) throw new AppError("VALIDATION", "errors.VALIDATION", { activityType: ["errors.invalid"] });
      if (!(await activityTypeExists(tx, ctx.workspaceId, input.activityType))) throw new AppError("VALIDATION", "errors.VALIDATION", { activityType: ["errors.NOT_FOUND"] });
    }
    const [rule] = await tx
      .insert(scoringRules)
      .values({ workspaceId: ctx.workspaceId, eventType: input.eventType, stageId: input.stageId, activityType: input.activityType, points: input.points, createdAt: ctx.now })
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "scoring.rule_added", targetType: "scoring_rule", targetId: rule!.id, details: { ...input }, at: ctx.now });
    return rule!;
  });
}

/** Removes a rule; the score changes it made stay in the history. */
export async function deleteScoringRule(ctx: Ctx, ruleId: string): Promise<void> {
  assertCan(ctx, "automations.manage");
  await ctx.db.transaction(async (tx) => {
    const [rule] = await tx
      .delete(scoringRules)
      .where(and(eq(scoringRules.id, ruleId), eq(scoringRules.workspaceId, ctx.workspaceId)))
      .returning();
    if (!rule) throw new AppError("NOT_FOUND");
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "scoring.rule_deleted", targetType: "scoring_rule", targetId: rule.id, details: { eventType: rule.eventType, points: rule.points }, at: ctx.now });
  });
}
