import { z } from "../validation";
import { quickRescheduleChoices } from "./time";

export const builtInActivityTypes = ["call", "email", "meeting", "task", "deadline", "sms"] as const;
export type BuiltInActivityType = (typeof builtInActivityTypes)[number];
export type ActivityOrigin = "manual" | "workflow" | "sequence";

/** Lead times the profile offers for in-app reminders (minutes before the due time). */
export const reminderLeadChoices = [0, 5, 10, 15, 30, 60, 120, 1440] as const;

const optionalId = z
  .union([z.literal(""), z.null(), z.uuid()])
  .optional()
  .transform((v) => (v ? v : null));
const isoDate = z.iso.date("errors.invalidDate");
/** "HH:mm"; blank = an all-day activity. */
const optionalTime = z
  .union([z.literal(""), z.null(), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "errors.invalidTime")])
  .optional()
  .transform((v) => (v ? v : null));
const optionalDuration = z
  .union([z.literal(""), z.null(), z.coerce.number().int().min(1).max(1440)])
  .optional()
  .transform((v) => (v === "" || v === null || v === undefined ? null : v));

/**
 * The type as the forms send it: a built-in key ("call") or the id of one of the workspace's own types.
 * Resolved to { type, customTypeId } by the command, which checks the id belongs to the workspace.
 */
export const activityTypeInput = z.union([z.enum(builtInActivityTypes), z.uuid()], { error: "errors.invalid" });

export const activityFieldsSchema = z.object({
  type: activityTypeInput,
  subject: z.string().trim().min(1).max(200),
  notes: z
    .union([z.null(), z.string().trim().max(10_000)])
    .optional()
    .transform((v) => (v ? v : null)),
  /** The due date in the user's time zone. */
  dueDate: isoDate,
  dueTime: optionalTime,
  durationMinutes: optionalDuration,
  assigneeId: optionalId,
  dealId: optionalId,
  contactId: optionalId,
});

export const createActivitySchema = activityFieldsSchema;
export type CreateActivityInput = z.output<typeof createActivitySchema>;

export const updateActivitySchema = activityFieldsSchema.extend({ activityId: z.uuid() });
export type UpdateActivityInput = z.output<typeof updateActivitySchema>;

/** Drag in the week view: a new local date, and optionally a new time (null keeps the time of day / all-day). */
export const rescheduleActivitySchema = z.object({
  activityId: z.uuid(),
  dueDate: isoDate,
  dueTime: optionalTime,
});
export type RescheduleActivityInput = z.output<typeof rescheduleActivitySchema>;

/** The row menu's quick reschedule: a choice, not a date (the server reads "today" in the user's time zone). */
export const quickRescheduleActivitySchema = z.object({
  activityId: z.uuid(),
  to: z.enum(quickRescheduleChoices, { error: "errors.invalid" }),
});
export type QuickRescheduleActivityInput = z.output<typeof quickRescheduleActivitySchema>;

export const activityIdSchema = z.object({ activityId: z.uuid() });
export const setActivityDoneSchema = z.object({
  activityId: z.uuid(),
  done: z.preprocess((v) => v === true || v === "true" || v === "1" || v === "on" ? true : v === false || v === "false" || v === "0" ? false : v, z.boolean()),
});

export const activityTypeLabelSchema = z.object({ label: z.string().trim().min(1).max(60) });
export const renameActivityTypeSchema = activityTypeLabelSchema.extend({ activityTypeId: z.uuid() });
export const activityTypeIdSchema = z.object({ activityTypeId: z.uuid() });

/** My day filters, from the URL (bad values are dropped, never an error page). */
export const activityFiltersSchema = z.object({
  type: activityTypeInput.optional().catch(undefined),
  /** "me" (default), "all" (everyone the caller may see), "none" (unassigned) or a member's id. */
  assignee: z.union([z.literal("me"), z.literal("all"), z.literal("none"), z.uuid()]).optional().catch(undefined),
  /**
   * Completed in [doneFrom, doneTo) (instants): the "completed" list a report figure opens (activities completed);
   * with `pipeline`, only activities on a deal of that pipeline.
   */
  doneFrom: z.iso.datetime({ offset: true }).optional().catch(undefined),
  doneTo: z.iso.datetime({ offset: true }).optional().catch(undefined),
  pipeline: z.uuid().optional().catch(undefined),
  view: z.enum(["list", "week"]).optional().catch(undefined),
  /** Any date of the week to show (week view). */
  week: z.iso.date().optional().catch(undefined),
});
export type ActivityFilters = z.output<typeof activityFiltersSchema>;

export const notificationPreferencesSchema = z.object({
  remindersEnabled: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
  reminderLeadMinutes: z.coerce
    .number()
    .int()
    .refine((n) => (reminderLeadChoices as readonly number[]).includes(n), "errors.invalid"),
  digestEnabled: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
});
export type NotificationPreferencesInput = z.output<typeof notificationPreferencesSchema>;
