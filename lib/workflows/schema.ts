import { z } from "../validation";
import { eventTypes } from "../events/types";
import { CUSTOM_FIELD_PATH, conditionFieldKeys, conditionFields, conditionOps, dealChangeFields, dealOnlyActions, opsFor, unaryOps, updatableFieldKeys, type ConditionField } from "./fields";

const id = z.uuid();
const optionalId = z
  .union([z.literal(""), z.null(), z.uuid()])
  .optional()
  .transform((v) => (v ? v : null));
/** Actions carry a stable id (round-robin state, delivery ids); the builder makes one, the server fills a missing one. */
const actionId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/)
  .optional()
  .transform((v) => v ?? crypto.randomUUID());

export const triggerSchema = z.object({
  type: z.enum(eventTypes),
  /** Only deals of this pipeline. */
  pipelineId: optionalId,
  /** stage_changed: the stage it moved to; other deal events: the stage the deal is in. */
  stageId: optionalId,
  /** stage_changed only: the stage it moved from. */
  fromStageId: optionalId,
  /** field_changed only: fire when this field was among the changed ones. */
  field: z
    .union([z.literal(""), z.null(), z.enum(dealChangeFields)])
    .optional()
    .transform((v) => (v ? v : null)),
  /** activity events only: a built-in type key ("meeting") or the id of one of the workspace's own types. */
  activityType: z
    .union([z.literal(""), z.null(), z.string().trim().max(40)])
    .optional()
    .transform((v) => (v ? v : null)),
  /**
   * Wait until the record has been quiet for this many minutes (no further event of this type on it) before
   * firing, once, for the last of the burst. 0: fire at once.
   */
  quietMinutes: z.coerce.number().int().min(0).max(1440).optional().default(0),
});
export type WorkflowTrigger = z.output<typeof triggerSchema>;

export const conditionSchema = z
  .object({
    /** A built-in field, or a custom one ("deal.custom.<key>": its type and value are checked against the workspace's fields on save). */
    field: z.union([z.enum(conditionFieldKeys as [ConditionField, ...ConditionField[]]), z.string().regex(CUSTOM_FIELD_PATH, "errors.invalid")]),
    op: z.enum(conditionOps),
    value: z.string().trim().max(500).optional().default(""),
  })
  .superRefine((c, issue) => {
    if (!(c.field in conditionFields)) return;
    const def = conditionFields[c.field as ConditionField] as { type: string; options?: readonly string[] };
    if (!opsFor(def.type as never).includes(c.op)) issue.addIssue({ code: "custom", path: ["op"], message: "errors.invalid" });
    if (unaryOps.includes(c.op)) return;
    if (c.value === "") return issue.addIssue({ code: "custom", path: ["value"], message: "errors.required" });
    if (def.type === "number" && !Number.isFinite(Number(c.value))) issue.addIssue({ code: "custom", path: ["value"], message: "errors.invalidNumber" });
    if (def.type === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(c.value)) issue.addIssue({ code: "custom", path: ["value"], message: "errors.invalidDate" });
    if (def.type === "enum" && !def.options!.includes(c.value)) issue.addIssue({ code: "custom", path: ["value"], message: "errors.invalid" });
    if (["pipeline", "stage", "user"].includes(def.type) && !z.uuid().safeParse(c.value).success) issue.addIssue({ code: "custom", path: ["value"], message: "errors.invalid" });
  });
export type WorkflowCondition = z.output<typeof conditionSchema>;

export const conditionGroupSchema = z.object({
  match: z.enum(["all", "any"]).default("all"),
  rules: z.array(conditionSchema).max(20).default([]),
});
export type ConditionGroup = z.output<typeof conditionGroupSchema>;

const userList = z.array(id).min(1).max(50);

export const actionSchema = z.discriminatedUnion("type", [
  z.object({
    id: actionId,
    type: z.literal("create_activity"),
    /** A built-in type ("call") or the id of one of the workspace's own types. */
    activityType: z.string().trim().min(1).max(40),
    subject: z.string().trim().min(1).max(200),
    assignTo: z.enum(["deal_owner", "user"]),
    userId: optionalId,
    dueIn: z.coerce.number().int().min(0).max(365),
    dueUnit: z.enum(["hours", "days"]),
    notes: z.string().trim().max(2000).optional().default(""),
  }),
  z.object({
    id: actionId,
    type: z.literal("update_field"),
    /** A built-in field, or a custom one ("deal.custom.<key>": parsed by the field's type on save). */
    field: z.union([z.enum(updatableFieldKeys as [string, ...string[]]), z.string().regex(CUSTOM_FIELD_PATH, "errors.invalid")]),
    value: z.string().trim().max(500).optional().default(""),
  }),
  z.object({ id: actionId, type: z.literal("move_stage"), stageId: id }),
  z.object({ id: actionId, type: z.literal("mark_won") }),
  z.object({ id: actionId, type: z.literal("mark_lost"), reason: z.string().trim().min(1).max(200) }),
  z.object({
    id: actionId,
    type: z.literal("change_owner"),
    mode: z.enum(["user", "round_robin"]),
    userId: optionalId,
    userIds: z.array(id).max(50).optional().default([]),
  }),
  z.object({
    id: actionId,
    type: z.literal("adjust_score"),
    /** Added to (or, negative, taken from) the contact's lead score: the deal's contact for deal events. */
    points: z.coerce.number().int().min(-1000).max(1000).refine((v) => v !== 0, "errors.pointsNotZero"),
  }),
  z.object({
    id: actionId,
    type: z.literal("notify"),
    /** The record's owner (deal owner; for a contact, its owner), or a given member. */
    to: z.enum(["owner", "user"]),
    userId: optionalId,
    /** May name {{deal.title}}, {{contact.name}}, {{owner.name}}: filled in when it is sent. */
    message: z.string().trim().min(1).max(500),
  }),
  z.object({ id: actionId, type: z.literal("enroll_sequence"), sequenceId: id }),
  z.object({
    id: actionId,
    type: z.literal("send_email"),
    /** Templates with the sequences' merge fields ({{contact.first_name | "there"}}), checked on save. */
    subject: z.string().trim().min(1).max(300),
    body: z.string().trim().min(1).max(20_000),
  }),
  z.object({
    id: actionId,
    type: z.literal("webhook"),
    url: z.url({ protocol: /^https?$/, error: "errors.invalidUrl" }).max(2000),
    /** HMAC-SHA256 key; generated when empty. */
    secret: z.string().trim().max(200).optional().default(""),
  }),
]);
export type WorkflowAction = z.output<typeof actionSchema>;
export type ActionType = WorkflowAction["type"];
export { actionTypes, dealOnlyActions } from "./fields";

/** Date fields a wait can run until (at the start of the day in the workspace's time zone, plus an offset). */
export const waitDateFields = ["deal.expectedCloseDate"] as const;

/**
 * A pause in a journey: for a duration; until a date field of the record (± days; continues at once when the
 * date is empty or past); or until an event happens on the record, at most for the duration (the timeout).
 */
export const waitSchema = z.object({
  id: actionId,
  type: z.literal("wait"),
  mode: z.enum(["duration", "until_date", "until_event"]),
  amount: z.coerce.number().int().min(0).max(10_000).optional().default(1),
  unit: z.enum(["minutes", "hours", "days"]).optional().default("days"),
  dateField: z.enum(waitDateFields).optional().default("deal.expectedCloseDate"),
  offsetDays: z.coerce.number().int().min(-365).max(365).optional().default(0),
  event: z
    .union([z.literal(""), z.null(), z.enum(eventTypes)])
    .optional()
    .transform((v) => (v ? v : null)),
});
export type WaitStep = z.output<typeof waitSchema>;

/** What a branch's arms may hold: actions and waits (one level of branching keeps journeys readable). */
export const innerStepSchema = z.discriminatedUnion("type", [...actionSchema.options, waitSchema]);
export type InnerStep = z.output<typeof innerStepSchema>;

/** If the conditions hold (checked on the record as it is when the journey gets there): `then`, else `else`. */
export const branchSchema = z.object({
  id: actionId,
  type: z.literal("branch"),
  conditions: conditionGroupSchema,
  then: z.array(innerStepSchema).max(20).default([]),
  else: z.array(innerStepSchema).max(20).default([]),
});
export type BranchStep = z.output<typeof branchSchema>;

export const stepSchema = z.discriminatedUnion("type", [...innerStepSchema.options, branchSchema]);
/** A workflow's step as stored: an action, a wait, or an if/else branch. */
export type WorkflowStep = z.output<typeof stepSchema>;
export type StepType = WorkflowStep["type"];

const workflowFields = z.object({
  name: z.string().trim().min(1).max(120),
  trigger: triggerSchema,
  conditions: conditionGroupSchema,
  actions: z.array(stepSchema).min(1, "errors.workflowNeedsAction").max(20),
  enabled: z.boolean().optional().default(false),
});

/** Every step with its path in the form ("actions", 2, "then", 0), branches' arms included. */
export function eachStep(steps: WorkflowStep[], visit: (step: WorkflowStep, path: (string | number)[]) => void, path: (string | number)[] = ["actions"]) {
  steps.forEach((step, i) => {
    visit(step, [...path, i]);
    if (step.type === "branch") {
      eachStep(step.then, visit, [...path, i, "then"]);
      eachStep(step.else, visit, [...path, i, "else"]);
    }
  });
}

/** Rules across fields: what each action needs, and what a trigger may be narrowed by. */
function refineWorkflow(w: z.output<typeof workflowFields>, issue: z.core.$RefinementCtx) {
  const fail = (path: (string | number)[], message: string) => issue.addIssue({ code: "custom", path, message });
  const isContact = w.trigger.type.startsWith("contact.");
  let total = 0;
  eachStep(w.actions, (a, at) => {
    total += 1;
    if (a.type === "create_activity" && a.assignTo === "user" && !a.userId) fail([...at, "userId"], "errors.required");
    if (a.type === "change_owner" && a.mode === "user" && !a.userId) fail([...at, "userId"], "errors.required");
    if (a.type === "notify" && a.to === "user" && !a.userId) fail([...at, "userId"], "errors.required");
    if (a.type === "change_owner" && a.mode === "round_robin" && !userList.safeParse(a.userIds).success) fail([...at, "userIds"], "errors.required");
    if (a.type === "update_field" && a.field === "deal.title" && !a.value) fail([...at, "value"], "errors.required");
    if (a.type === "update_field" && a.field === "deal.value" && !/^\d+(\.\d+)?$/.test(a.value)) fail([...at, "value"], "errors.invalidAmount");
    if (a.type === "update_field" && a.field === "deal.expectedCloseDate" && a.value && !/^\d{4}-\d{2}-\d{2}$/.test(a.value)) fail([...at, "value"], "errors.invalidDate");
    if (a.type === "update_field" && a.field === "contact.lifecycle" && !["lead", "qualified", "customer"].includes(a.value)) fail([...at, "value"], "errors.invalid");
    if (isContact && (dealOnlyActions as readonly string[]).includes(a.type)) fail([...at, "type"], "errors.actionNeedsDeal");
    if (isContact && a.type === "update_field" && a.field.startsWith("deal.")) fail([...at, "field"], "errors.actionNeedsDeal");
    if (a.type === "wait" && a.mode !== "until_date" && a.amount < 1) fail([...at, "amount"], "errors.waitTooShort");
    if (a.type === "wait" && a.mode === "until_event" && !a.event) fail([...at, "event"], "errors.required");
    if (a.type === "wait" && a.mode === "until_date" && isContact) fail([...at, "mode"], "errors.actionNeedsDeal");
    if (a.type === "wait" && a.mode === "duration" && a.amount * { minutes: 1, hours: 60, days: 1440 }[a.unit] > 366 * 1440) fail([...at, "amount"], "errors.waitTooLong");
    if (a.type === "branch") a.conditions.rules.forEach((r, j) => isContact && r.field.startsWith("deal.") && fail([...at, "conditions", "rules", j, "field"], "errors.actionNeedsDeal"));
    if (a.type === "branch" && a.then.length + a.else.length === 0) fail([...at, "then"], "errors.branchEmpty");
  });
  if (total > 60) fail(["actions"], "errors.tooManySteps");
  if (!w.actions.some(function hasAction(a): boolean {
    return a.type === "branch" ? [...a.then, ...a.else].some(hasAction) : a.type !== "wait";
  })) fail(["actions"], "errors.workflowNeedsAction");
  if (w.trigger.type !== "deal.stage_changed" && w.trigger.fromStageId) fail(["trigger", "fromStageId"], "errors.invalid");
  if (isContact && (w.trigger.pipelineId || w.trigger.stageId)) fail(["trigger", "pipelineId"], "errors.invalid");
  if (!w.trigger.type.startsWith("activity.") && w.trigger.activityType) fail(["trigger", "activityType"], "errors.invalid");
}

export const workflowSchema = workflowFields.superRefine(refineWorkflow);
export type WorkflowInput = z.input<typeof workflowSchema>;
export type WorkflowData = z.output<typeof workflowSchema>;

/** The builder's save: a new workflow (no id) or an edit of one. */
export const saveWorkflowSchema = workflowFields.extend({ workflowId: optionalId }).superRefine(refineWorkflow);
export const workflowIdSchema = z.object({ workflowId: id });
export const setWorkflowEnabledSchema = z.object({ workflowId: id, enabled: z.boolean() });
