import type { eventTypes } from "@/lib/events/types";
import type { actionTypes, ConditionField, ConditionOp } from "@/lib/workflows/fields";

/** The builder's editable state (plain strings, as form controls hold them) and its conversions. */
export type ActionType = (typeof actionTypes)[number] | "wait" | "branch";
/** `field`: a built-in ConditionField or a custom field path ("deal.custom.<key>"). */
export type RuleDraft = { key: string; field: ConditionField | (string & {}); op: ConditionOp; value: string };
/** One flat shape for every action type; only the type's own fields are sent. */
export type ActionDraft = {
  key: string;
  id?: string;
  type: ActionType;
  activityType: string;
  subject: string;
  assignTo: "deal_owner" | "user";
  userId: string;
  dueIn: string;
  dueUnit: "hours" | "days";
  notes: string;
  field: string;
  value: string;
  stageId: string;
  reason: string;
  mode: "user" | "round_robin";
  userIds: string[];
  url: string;
  secret: string;
  points: string;
  to: "owner" | "user";
  message: string;
  sequenceId: string;
  /** send_email: the body template (its subject template is `subject`). */
  body: string;
  // wait
  waitMode: "duration" | "until_date" | "until_event";
  amount: string;
  unit: "minutes" | "hours" | "days";
  dateField: string;
  offsetDays: string;
  event: string;
  // branch (its arms hold actions and waits)
  match: "all" | "any";
  rules: RuleDraft[];
  then: ActionDraft[];
  else: ActionDraft[];
};
export type WorkflowDraft = {
  name: string;
  enabled: boolean;
  trigger: { type: (typeof eventTypes)[number]; pipelineId: string; stageId: string; fromStageId: string; field: string; activityType: string; quietMinutes: string };
  conditions: { match: "all" | "any"; rules: RuleDraft[] };
  actions: ActionDraft[];
};

export { builtInActivityTypes } from "@/lib/activities/schema";
/** A React key for a list row; random so keys made on the server and in the browser never collide. */
export const newKey = () => `k${Math.random().toString(36).slice(2, 10)}`;

export function blankAction(type: ActionType = "create_activity"): ActionDraft {
  return {
    key: newKey(),
    type,
    activityType: "call",
    subject: "",
    assignTo: "deal_owner",
    userId: "",
    dueIn: "1",
    dueUnit: "days",
    notes: "",
    field: "deal.title",
    value: "",
    stageId: "",
    reason: "",
    mode: "user",
    userIds: [],
    url: "",
    secret: "",
    points: "10",
    to: "owner",
    message: "",
    sequenceId: "",
    body: "",
    waitMode: "duration",
    amount: "1",
    unit: "days",
    dateField: "deal.expectedCloseDate",
    offsetDays: "0",
    event: "",
    match: "all",
    rules: [],
    then: [],
    else: [],
  };
}

export const ruleFromDraft = ({ field, op, value }: RuleDraft, unary: readonly ConditionOp[]) => ({ field, op, value: unary.includes(op) ? "" : value });

/** The step as the server expects it (only its type's fields). */
export function toPayload(a: ActionDraft, unary: readonly ConditionOp[]): Record<string, unknown> {
  const id = a.id ? { id: a.id } : {};
  switch (a.type) {
    case "wait":
      return { ...id, type: a.type, mode: a.waitMode, amount: a.amount, unit: a.unit, dateField: a.dateField, offsetDays: a.offsetDays, event: a.waitMode === "until_event" ? a.event : "" };
    case "branch":
      return {
        ...id,
        type: a.type,
        conditions: { match: a.match, rules: a.rules.map((r) => ruleFromDraft(r, unary)) },
        then: a.then.map((s) => toPayload(s, unary)),
        else: a.else.map((s) => toPayload(s, unary)),
      };
    case "create_activity":
      return { ...id, type: a.type, activityType: a.activityType, subject: a.subject, assignTo: a.assignTo, userId: a.assignTo === "user" ? a.userId : "", dueIn: a.dueIn, dueUnit: a.dueUnit, notes: a.notes };
    case "update_field":
      return { ...id, type: a.type, field: a.field, value: a.value };
    case "move_stage":
      return { ...id, type: a.type, stageId: a.stageId };
    case "mark_won":
      return { ...id, type: a.type };
    case "mark_lost":
      return { ...id, type: a.type, reason: a.reason };
    case "change_owner":
      return { ...id, type: a.type, mode: a.mode, userId: a.mode === "user" ? a.userId : "", userIds: a.mode === "round_robin" ? a.userIds : [] };
    case "adjust_score":
      return { ...id, type: a.type, points: a.points };
    case "notify":
      return { ...id, type: a.type, to: a.to, userId: a.to === "user" ? a.userId : "", message: a.message };
    case "enroll_sequence":
      return { ...id, type: a.type, sequenceId: a.sequenceId };
    case "send_email":
      return { ...id, type: a.type, subject: a.subject, body: a.body };
    case "webhook":
      return { ...id, type: a.type, url: a.url, secret: a.secret };
  }
}

/** The builder's state from a stored workflow (or a template). */
export function draftFrom(w: {
  name: string;
  enabled: boolean;
  trigger: { type: WorkflowDraft["trigger"]["type"]; pipelineId?: string | null; stageId?: string | null; fromStageId?: string | null; field?: string | null; activityType?: string | null; quietMinutes?: number | null };
  conditions: { match: "all" | "any"; rules: { field: string; op: ConditionOp; value: string }[] };
  actions: ({ type: ActionType; id?: string } & Record<string, unknown>)[];
}): WorkflowDraft {
  const step = (a: { type: ActionType; id?: string } & Record<string, unknown>): ActionDraft => {
    const merged = { ...blankAction(a.type) } as Record<string, unknown>;
    if (a.type === "branch") {
      const conditions = a.conditions as { match: "all" | "any"; rules: { field: string; op: ConditionOp; value: string }[] };
      const arm = (list: unknown) => ((list ?? []) as typeof a[]).map(step);
      return { ...(merged as ActionDraft), id: a.id, match: conditions.match, rules: conditions.rules.map((r) => ({ ...r, key: newKey() })), then: arm(a.then), else: arm(a.else) };
    }
    for (const [k, v] of Object.entries(a)) if (v !== null && v !== undefined) merged[a.type === "wait" && k === "mode" ? "waitMode" : k] = typeof v === "number" ? String(v) : v;
    return merged as ActionDraft;
  };
  return {
    name: w.name,
    enabled: w.enabled,
    trigger: {
      type: w.trigger.type,
      pipelineId: w.trigger.pipelineId ?? "",
      stageId: w.trigger.stageId ?? "",
      fromStageId: w.trigger.fromStageId ?? "",
      field: w.trigger.field ?? "",
      activityType: w.trigger.activityType ?? "",
      quietMinutes: String(w.trigger.quietMinutes ?? 0),
    },
    conditions: { match: w.conditions.match, rules: w.conditions.rules.map((r) => ({ ...r, key: newKey() })) },
    actions: w.actions.map(step),
  };
}
