import { z } from "../validation";

export const stepKinds = ["email", "sms", "task"] as const;
export const delayUnits = ["minutes", "hours", "business_days"] as const;
/** Activity types a manual task step may create for the rep. */
export const taskTypes = ["call", "task", "meeting", "email"] as const;

const optionalId = z
  .union([z.literal(""), z.null(), z.uuid()])
  .optional()
  .transform((v) => (v ? v : null));

export const variantSchema = z.object({
  id: optionalId,
  subject: z.string().max(300).default(""),
  body: z.string().max(20_000).default(""),
});

export const stepSchema = z
  .object({
    id: optionalId,
    kind: z.enum(stepKinds),
    delayAmount: z.coerce.number().int().min(0).max(1000),
    delayUnit: z.enum(delayUnits),
    threadReply: z.boolean().default(false),
    taskType: z.enum(taskTypes).nullable().optional().transform((v) => v ?? null),
    variants: z.array(variantSchema).min(1).max(5),
  })
  .superRefine((step, issue) => {
    if (step.kind !== "email" && step.variants.length > 1) issue.addIssue({ code: "custom", path: ["variants"], message: "errors.sequenceVariantsEmailOnly" });
    step.variants.forEach((v, i) => {
      if (step.kind !== "sms" && !(step.kind === "email" && step.threadReply) && !v.subject.trim()) issue.addIssue({ code: "custom", path: ["variants", i, "subject"], message: "errors.required" });
      if (step.kind !== "task" && !v.body.trim()) issue.addIssue({ code: "custom", path: ["variants", i, "body"], message: "errors.required" });
      if (step.kind === "sms" && v.body.length > 1600) issue.addIssue({ code: "custom", path: ["variants", i, "body"], message: "errors.tooBig" });
    });
  });

export const sequenceSettingsSchema = z.object({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(500).optional().transform((v) => v || null),
  windowDays: z.array(z.coerce.number().int().min(1).max(7)).min(1).max(7).transform((days) => [...new Set(days)].sort()),
  windowStartMinute: z.coerce.number().int().min(0).max(1439),
  windowEndMinute: z.coerce.number().int().min(1).max(1440),
  dailyLimit: z.coerce.number().int().min(1).max(5000),
  stopOnMeeting: z.boolean(),
  stopOnDealWon: z.boolean(),
  stopOnDealLost: z.boolean(),
  stopOnUnsubscribe: z.boolean(),
  stopOnBounce: z.boolean(),
  stopCompanyOnReply: z.boolean(),
  autoReplyPauseDays: z.coerce.number().int().min(1).max(60),
});

export const saveSequenceSchema = sequenceSettingsSchema
  .extend({ sequenceId: optionalId, steps: z.array(stepSchema).min(1).max(30) })
  .superRefine((s, issue) => {
    if (s.windowStartMinute >= s.windowEndMinute) issue.addIssue({ code: "custom", path: ["windowEndMinute"], message: "errors.sequenceWindowOrder" });
    s.steps.forEach((step, i) => {
      if (step.threadReply && !s.steps.slice(0, i).some((p) => p.kind === "email"))
        issue.addIssue({ code: "custom", path: ["steps", i, "threadReply"], message: "errors.sequenceThreadNeedsEmail" });
    });
  });
export type SaveSequenceInput = z.output<typeof saveSequenceSchema>;
export type StepInput = z.output<typeof stepSchema>;

export const sequenceIdSchema = z.object({ sequenceId: z.uuid() });

export const enrollSchema = z.object({
  sequenceId: z.uuid(),
  contactIds: z.union([z.uuid(), z.array(z.uuid()).min(1).max(500)]).transform((v) => (Array.isArray(v) ? v : [v])),
  dealId: optionalId,
});
export type EnrollInput = z.output<typeof enrollSchema>;

export const enrollmentActionSchema = z.object({
  enrollmentId: z.uuid(),
  action: z.enum(["pause", "resume", "remove", "finish"]),
});

export const previewSchema = z.object({
  contactId: z.uuid(),
  subject: z.string().max(300).default(""),
  body: z.string().max(20_000).default(""),
  kind: z.enum(stepKinds).default("email"),
});

export const messageIdSchema = z.object({ messageId: z.uuid() });
