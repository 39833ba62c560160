import { z } from "../validation";
import { eventTypes } from "../events/types";

/** Events a scoring rule can listen to (not the score's own threshold event). */
export const scoringEventTypes = eventTypes.filter((t) => t !== "contact.score_crossed");

const optionalInt = (min: number, max: number) =>
  z
    .union([z.literal(""), z.null(), z.coerce.number().int().min(min).max(max)])
    .optional()
    .transform((v) => (v === "" || v === undefined || v === null ? null : v));

export const scoringSettingsSchema = z.object({
  weeklyDecay: z.coerce.number().int().min(0).max(1000),
  cap: optionalInt(1, 100_000),
  hotThreshold: optionalInt(1, 100_000),
});
export type ScoringSettingsInput = z.output<typeof scoringSettingsSchema>;

export const scoringRuleSchema = z.object({
  eventType: z.enum(scoringEventTypes as [string, ...string[]]),
  stageId: z
    .union([z.literal(""), z.null(), z.uuid()])
    .optional()
    .transform((v) => (v ? v : null)),
  /** Activity events only: the activity's type (built-in key or the workspace's own type id). */
  activityType: z
    .union([z.literal(""), z.null(), z.string().trim().max(40)])
    .optional()
    .transform((v) => (v ? v : null)),
  points: z.coerce
    .number()
    .int()
    .min(-1000)
    .max(1000)
    .refine((v) => v !== 0, "errors.pointsNotZero"),
});
export type ScoringRuleInput = z.output<typeof scoringRuleSchema>;

export const scoringRuleIdSchema = z.object({ ruleId: z.uuid() });
