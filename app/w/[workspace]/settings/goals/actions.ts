"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { deleteGoal, saveGoal } from "@/lib/goals/commands";
import { goalIdSchema, saveGoalSchema } from "@/lib/goals/schema";

const refresh = (slug: string) => {
  revalidatePath(`/w/${slug}/settings/goals`);
  revalidatePath(`/w/${slug}/reports/goals`);
};

/** Sets a goal (saving the same scope, metric and period again changes its target). */
export const saveGoalAction = workspaceAction("goals.manage", saveGoalSchema, async (ctx, input) => {
  const goal = await saveGoal(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: goal.id };
});

export const deleteGoalAction = workspaceAction("goals.manage", goalIdSchema, async (ctx, input) => {
  await deleteGoal(ctx, input.goalId);
  refresh(ctx.workspace.slug);
});
