import { z } from "../validation";
import { eventTypes } from "../events/types";
import { conditionFieldKeys, conditionFields, conditionOps, dealChangeFields, dealOnlyActions, opsFor, unaryOps, updatableFieldKeys, type ConditionField } from "./fields";

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
});
export type WorkflowTrigger = z.output<typeof triggerSchema>;

export const conditionSchema = z
  .object({
    field: z.enum(conditionFieldKeys as [ConditionField, ...ConditionField[]]),
    op: z.enum(conditionOps),
    value: z.string().trim().max(500).optional().default(""),
  })
  .superRefine((c, issue) => {
    const def = conditionFields[c.field] as { type: string; options?: readonly string[] };
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
    field: z.enum(updatableFieldKeys as [string, ...string[]]),
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
    type: z.literal("webhook"),
    url: z.url({ protocol: /^https?$/, error: "errors.invalidUrl" }).max(2000),
    /** HMAC-SHA256 key; generated when empty. */
    secret: z.string().trim().max(200).optional().default(""),
  }),
]);
export type WorkflowAction = z.output<typeof actionSchema>;
export type ActionType = WorkflowAction["type"];
export { actionTypes, dealOnlyActions } from "./fields";

const workflowFields = z.object({
  name: z.string().trim().min(1).max(120),
  trigger: triggerSchema,
  conditions: conditionGroupSchema,
  actions: z.array(actionSchema).min(1, "errors.workflowNeedsAction").max(20),
  enabled: z.boolean().optional().default(false),
});

/** Rules across fields: what each action needs, and what a trigger may be narrowed by. */
function refineWorkflow(w: z.output<typeof workflowFields>, issue: z.core.$RefinementCtx) {
  {
    w.actions.forEach((a, i) => {
      if (a.type === "create_activity" && a.assignTo === "user" && !a.userId) issue.addIssue({ code: "custom", path: ["actions", i, "userId"], message: "errors.required" });
      if (a.type === "change_owner" && a.mode === "user" && !a.userId) issue.addIssue({ code: "custom", path: ["actions", i, "userId"], message: "errors.required" });
      if (a.type === "change_owner" && a.mode === "round_robin" && !userList.safeParse(a.userIds).success) issue.addIssue({ code: "custom", path: ["actions", i, "userIds"], message: "errors.required" });
      if (a.type === "update_field" && a.field === "deal.title" && !a.value) issue.addIssue({ code: "custom", path: ["actions", i, "value"], message: "errors.required" });
      if (a.type === "update_field" && a.field === "deal.value" && !/^\d+(\.\d+)?$/.test(a.value)) issue.addIssue({ code: "custom", path: ["actions", i, "value"], message: "errors.invalidAmount" });
      if (a.type === "update_field" && a.field === "deal.expectedCloseDate" && a.value && !/^\d{4}-\d{2}-\d{2}$/.test(a.value)) issue.addIssue({ code: "custom", path: ["actions", i, "value"], message: "errors.invalidDate" });
      if (a.type === "update_field" && a.field === "contact.lifecycle" && !["lead", "qualified", "customer"].includes(a.value)) issue.addIssue({ code: "custom", path: ["actions", i, "value"], message: "errors.invalid" });
      if (w.trigger.type.startsWith("contact.") && (dealOnlyActions as readonly string[]).includes(a.type)) issue.addIssue({ code: "custom", path: ["actions", i, "type"], message: "errors.actionNeedsDeal" });
      if (w.trigger.type.startsWith("contact.") && a.type === "update_field" && a.field.startsWith("deal.")) issue.addIssue({ code: "custom", path: ["actions", i, "field"], message: "errors.actionNeedsDeal" });
    });
    if (w.trigger.type !== "deal.stage_changed" && w.trigger.fromStageId) issue.addIssue({ code: "custom", path: ["trigger", "fromStageId"], message: "errors.invalid" });
    if (w.trigger.type.startsWith("contact.") && (w.trigger.pipelineId || w.trigger.stageId)) issue.addIssue({ code: "custom", path: ["trigger", "pipelineId"], message: "errors.invalid" });
  }
}

export const workflowSchema = workflowFields.superRefine(refineWorkflow);
export type WorkflowInput = z.input<typeof workflowSchema>;
export type WorkflowData = z.output<typeof workflowSchema>;

/** The builder's save: a new workflow (no id) or an edit of one. */
export const saveWorkflowSchema = workflowFields.extend({ workflowId: optionalId }).superRefine(refineWorkflow);
export const workflowIdSchema = z.object({ workflowId: id });
export const setWorkflowEnabledSchema = z.object({ workflowId: id, enabled: z.boolean() });
