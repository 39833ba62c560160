"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { retryJob } from "@/lib/jobs/commands";
import { addScoringRule, deleteScoringRule, saveScoringSettings } from "@/lib/scoring/commands";
import { scoringRuleIdSchema, scoringRuleSchema, scoringSettingsSchema } from "@/lib/scoring/schema";
import { cancelWorkflowRun, deleteWorkflow, duplicateWorkflow, saveWorkflow, setWorkflowEnabled } from "@/lib/workflows/commands";
import { saveWorkflowSchema, setWorkflowEnabledSchema, workflowIdSchema } from "@/lib/workflows/schema";
import { z } from "@/lib/validation";

const refresh = (slug: string) => revalidatePath(`/w/${slug}/automations`, "layout");

/** The builder's save: `{ workflowId?, name, enabled, trigger, conditions, actions }` (objects, not FormData). */
export const saveWorkflowAction = workspaceAction("automations.manage", saveWorkflowSchema, async (ctx, input) => {
  const workflow = await saveWorkflow(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: workflow.id };
});

export const setWorkflowEnabledAction = workspaceAction("automations.manage", setWorkflowEnabledSchema, async (ctx, input) => {
  await setWorkflowEnabled(ctx, input.workflowId, input.enabled);
  refresh(ctx.workspace.slug);
});

/** `name` is the copy's name in the user's language ("Follow-up (copy)"), composed by the page. */
export const duplicateWorkflowAction = workspaceAction(
  "automations.manage",
  workflowIdSchema.extend({ name: z.string().trim().min(1).max(120).optional() }),
  async (ctx, input) => {
    const copy = await duplicateWorkflow(ctx, input.workflowId, input.name);
    refresh(ctx.workspace.slug);
    return { id: copy.id };
  },
);

export const deleteWorkflowAction = workspaceAction("automations.manage", workflowIdSchema, async (ctx, input) => {
  await deleteWorkflow(ctx, input.workflowId);
  refresh(ctx.workspace.slug);
});

/** Stops a waiting (or otherwise unfinished) run. */
export const cancelWorkflowRunAction = workspaceAction("automations.manage", z.object({ runId: z.uuid() }), async (ctx, input) => {
  await cancelWorkflowRun(ctx, input.runId);
  refresh(ctx.workspace.slug);
});

export const retryJobAction = workspaceAction("automations.manage", z.object({ jobId: z.coerce.number().int().positive() }), async (ctx, input) => {
  await retryJob(ctx, input.jobId);
  refresh(ctx.workspace.slug);
});

export const saveScoringSettingsAction = workspaceAction("automations.manage", scoringSettingsSchema, async (ctx, input) => {
  await saveScoringSettings(ctx, input);
  refresh(ctx.workspace.slug);
});

export const addScoringRuleAction = workspaceAction("automations.manage", scoringRuleSchema, async (ctx, input) => {
  const rule = await addScoringRule(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: rule.id };
});

export const deleteScoringRuleAction = workspaceAction("automations.manage", scoringRuleIdSchema, async (ctx, input) => {
  await deleteScoringRule(ctx, input.ruleId);
  refresh(ctx.workspace.slug);
});
