import { z } from "../validation";

export const goalMetrics = ["won_value", "won_count", "new_deals", "activities_done"] as const;
export type GoalMetric = (typeof goalMetrics)[number];
export const goalPeriods = ["month", "quarter"] as const;
export type GoalPeriodKind = (typeof goalPeriods)[number];

/**
 * A goal as the settings form sends it. `userId` empty = the whole workspace. `target` is text: an amount in the
 * workspace currency for won_value (converted to minor units by the command, which knows the currency), else a
 * whole number.
 */
export const saveGoalSchema = z.object({
  userId: z
    .union([z.literal(""), z.null(), z.uuid()])
    .optional()
    .transform((v) => (v ? v : null)),
  metric: z.enum(goalMetrics),
  period: z.enum(goalPeriods),
  target: z.string().trim().min(1, "errors.required").max(24),
});
export type SaveGoalInput = z.output<typeof saveGoalSchema>;

export const goalIdSchema = z.object({ goalId: z.uuid() });
