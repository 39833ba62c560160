import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { activityTypes, memberships, pipelines, sequences, stages, workflowRuns, workflows } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { builtInActivityTypes } from "../activities/schema";
import { audit } from "../workspaces/audit";
import { parseCustomValue, type FieldDef } from "../custom-fields/values";
import { conditionFields, customConditionType, customPath, isCustomPath, opsFor, unaryOps, type ConditionField, type ConditionOp } from "./fields";
import { loadCustomDefs } from "./subject";
import { customFieldKeys } from "../sequences/merge";
import { checkTemplate } from "../sequences/template";
import { eachStep, type ConditionGroup, type InnerStep, type WorkflowData, type WorkflowStep } from "./schema";
import { newWebhookSecret } from "./webhook";

type WorkflowRow = typeof workflows.$inferSelect;

/**
 * Every id inside a workflow (pipeline, stages, users, activity types in the trigger, conditions and actions)
 * must belong to this workspace: checked in one query per kind, refused field by field ("actions.2.stageId").
 */
async function assertRefs(db: Db, ctx: Ctx, w: WorkflowData) {
  const need = { pipelines: new Map<string, string[]>(), stages: new Map<string, string[]>(), users: new Map<string, string[]>(), types: new Map<string, string[]>(), sequences: new Map<string, string[]>() };
  const add = (kind: keyof typeof need, id: string | null | undefined, path: string) => {
    if (!id) return;
    need[kind].set(id, [...(need[kind].get(id) ?? []), path]);
  };
  add("pipelines", w.trigger.pipelineId, "trigger.pipelineId");
  add("stages", w.trigger.stageId, "trigger.stageId");
  add("stages", w.trigger.fromStageId, "trigger.fromStageId");
  if (w.trigger.activityType && !(builtInActivityTypes as readonly string[]).includes(w.trigger.activityType)) add("types", w.trigger.activityType, "trigger.activityType");
  const fieldErrors: Record<string, string[]> = {};
  const defs = new Map((JSON.stringify(w).includes(".custom.") ? await loadCustomDefs(db, ctx.workspaceId) : []).map((d) => [customPath(d.entity, d.key), d]));
  const conditionRefs = (group: ConditionGroup, at: string) =>
    group.rules.forEach((rule, i) => {
      const path = `${at}.rules.${i}`;
      if (isCustomPath(rule.field)) {
        const def = defs.get(rule.field);
        if (!def) return void (fieldErrors[`${path}.field`] = ["errors.NOT_FOUND"]);
        const problem = customConditionProblem(def, rule.op, rule.value);
        if (problem) fieldErrors[`${path}.${problem.path}`] = [problem.error];
        if (def.type === "user" && !unaryOps.includes(rule.op)) add("users", rule.value, `${path}.value`);
        return;
      }
      const type = conditionFields[rule.field as ConditionField].type;
      if (type === "pipeline") add("pipelines", rule.value, `${path}.value`);
      if (type === "stage") add("stages", rule.value, `${path}.value`);
      if (type === "user") add("users", rule.value, `${path}.value`);
    });
  conditionRefs(w.conditions, "conditions");
  const templates: { at: string; subject: string; body: string }[] = [];
  eachStep(w.actions, (a, path) => {
    const at = path.join(".");
    if (a.type === "branch") conditionRefs(a.conditions, `${at}.conditions`);
    if (a.type === "move_stage") add("stages", a.stageId, `${at}.stageId`);
    if (a.type === "update_field" && isCustomPath(a.field)) {
      const def = defs.get(a.field);
      if (!def) fieldErrors[`${at}.field`] = ["errors.NOT_FOUND"];
      else {
        const parsed = parseCustomValue(def, a.value);
        if (!parsed.ok) fieldErrors[`${at}.value`] = [parsed.error];
        else if (def.type === "user" && parsed.value) add("users", String(parsed.value), `${at}.value`);
      }
    }
    if (a.type === "create_activity") {
      if (a.assignTo === "user") add("users", a.userId, `${at}.userId`);
      if (!(builtInActivityTypes as readonly string[]).includes(a.activityType)) add("types", a.activityType, `${at}.activityType`);
    }
    if (a.type === "notify" && a.to === "user") add("users", a.userId, `${at}.userId`);
    if (a.type === "enroll_sequence") add("sequences", a.sequenceId, `${at}.sequenceId`);
    if (a.type === "send_email") templates.push({ at, subject: a.subject, body: a.body });
    if (a.type === "change_owner") {
      if (a.mode === "user") add("users", a.userId, `${at}.userId`);
      else a.userIds.forEach((u) => add("users", u, `${at}.userIds`));
    }
  });
  const ids = (m: Map<string, string[]>) => [...m.keys()];
  const uuidish = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
  const found = {
    pipelines: new Map(
      (ids(need.pipelines).length ? await db.select({ id: pipelines.id }).from(pipelines).where(and(eq(pipelines.workspaceId, ctx.workspaceId), inArray(pipelines.id, ids(need.pipelines)))) : []).map((r) => [r.id, null]),
    ),
    stages: new Map(
      (ids(need.stages).length
        ? await db.select({ id: stages.id, pipelineId: stages.pipelineId }).from(stages).where(and(eq(stages.workspaceId, ctx.workspaceId), inArray(stages.id, ids(need.stages))))
        : []
      ).map((r) => [r.id, r.pipelineId]),
    ),
    users: new Map(
      (ids(need.users).length ? await db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, ctx.workspaceId), inArray(memberships.userId, ids(need.users)))) : []).map((r) => [r.id, null]),
    ),
    types: new Map(
      (ids(need.types).filter(uuidish).length
        ? await db
            .select({ id: activityTypes.id })
            .from(activityTypes)
            .where(and(eq(activityTypes.workspaceId, ctx.workspaceId), isNull(activityTypes.archivedAt), inArray(activityTypes.id, ids(need.types).filter(uuidish))))
        : []
      ).map((r) => [r.id, null]),
    ),
    sequences: new Map(
      (ids(need.sequences).length
        ? await db
            .select({ id: sequences.id })
            .from(sequences)
            .where(and(eq(sequences.workspaceId, ctx.workspaceId), isNull(sequences.archivedAt), inArray(sequences.id, ids(need.sequences))))
        : []
      ).map((r) => [r.id, null]),
    ),
  };
  if (templates.length) {
    const keys = await customFieldKeys(db, ctx.workspaceId);
    for (const tpl of templates) {
      for (const part of ["subject", "body"] as const) {
        const [problem] = checkTemplate(tpl[part], keys);
        if (problem) fieldErrors[`${tpl.at}.${part}`] = [problem.kind === "unknown_field" ? "errors.sequenceUnknownField" : "errors.sequenceMalformedTag"];
      }
    }
  }
  for (const kind of Object.keys(need) as (keyof typeof need)[]) {
    for (const [id, paths] of need[kind]) {
      if (!found[kind].has(id)) for (const p of paths) fieldErrors[p] = ["errors.NOT_FOUND"];
    }
  }
  // A stage narrowing must lie in the narrowed pipeline.
  for (const key of ["stageId", "fromStageId"] as const) {
    const stageId = w.trigger[key];
    if (stageId && w.trigger.pipelineId && found.stages.has(stageId) && found.stages.get(stageId) !== w.trigger.pipelineId) fieldErrors[`trigger.${key}`] = ["errors.stageOtherPipeline"];
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.VALIDATION", fieldErrors);
}

/** What is wrong with a condition on a custom field (operator for its type, value shape), or null. Pure. */
export function customConditionProblem(def: FieldDef, op: ConditionOp, value: string): { path: "op" | "value"; error: string } | null {
  const type = customConditionType(def.type);
  if (!opsFor(type).includes(op)) return { path: "op", error: "errors.invalid" };
  if (unaryOps.includes(op)) return null;
  if (value.trim() === "") return { path: "value", error: "errors.required" };
  if (type === "number" && !Number.isFinite(Number(value))) return { path: "value", error: "errors.invalidNumber" };
  if (type === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return { path: "value", error: "errors.invalidDate" };
  if (def.type === "checkbox" && value !== "true" && value !== "false") return { path: "value", error: "errors.invalid" };
  if ((def.type === "single_select" || def.type === "multi_select") && !(def.settings.options ?? []).some((o) => o.id === value)) return { path: "value", error: "errors.invalidOption" };
  return null;
}

/** Maps every step, branches' arms included (`f` sees actions and waits; branches are rebuilt around them). */
function mapSteps(steps: WorkflowStep[], f: (step: InnerStep) => InnerStep): WorkflowStep[] {
  return steps.map((s) => (s.type === "branch" ? { ...s, then: s.then.map(f), else: s.else.map(f) } : f(s)));
}

/** Webhook actions get a signing secret when they have none (the builder shows it to copy). */
function withSecrets(actions: WorkflowStep[]): WorkflowStep[] {
  return mapSteps(actions, (a) => (a.type === "webhook" && !a.secret ? { ...a, secret: newWebhookSecret() } : a));
}

async function lockWorkflow(db: Db, ctx: Ctx, workflowId: string): Promise<WorkflowRow> {
  const [row] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/**
 * Creates a workflow, or replaces one (the builder sends it whole). Enabling it — here or later — sets
 * `enabled_at`: only events from then on start runs. Runs already started keep the actions they started with.
 */
export async function saveWorkflow(ctx: Ctx, input: WorkflowData & { workflowId?: string | null }): Promise<WorkflowRow> {
  assertCan(ctx, "automations.manage");
  return ctx.db.transaction(async (tx) => {
    await assertRefs(tx, ctx, input);
    const values = { name: input.name, trigger: input.trigger, conditions: input.conditions, actions: withSecrets(input.actions), updatedBy: ctx.userId, updatedAt: ctx.now };
    if (input.workflowId) {
      const current = await lockWorkflow(tx, ctx, input.workflowId);
      const [row] = await tx
        .update(workflows)
        .set({ ...values, enabled: input.enabled, enabledAt: input.enabled ? (current.enabled ? current.enabledAt : ctx.now) : current.enabledAt })
        .where(eq(workflows.id, current.id))
        .returning();
      await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workflow.updated", targetType: "workflow", targetId: current.id, details: { name: input.name, enabled: input.enabled }, at: ctx.now });
      return row!;
    }
    const [row] = await tx
      .insert(workflows)
      .values({ ...values, workspaceId: ctx.workspaceId, enabled: input.enabled, enabledAt: input.enabled ? ctx.now : null, createdBy: ctx.userId, createdAt: ctx.now })
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workflow.created", targetType: "workflow", targetId: row!.id, details: { name: input.name, enabled: input.enabled }, at: ctx.now });
    return row!;
  });
}

/** Turns a workflow on (from now on: earlier events never start runs) or off (running runs finish). */
export async function setWorkflowEnabled(ctx: Ctx, workflowId: string, enabled: boolean): Promise<WorkflowRow> {
  assertCan(ctx, "automations.manage");
  return ctx.db.transaction(async (tx) => {
    const current = await lockWorkflow(tx, ctx, workflowId);
    if (current.enabled === enabled) return current;
    const [row] = await tx
      .update(workflows)
      .set({ enabled, enabledAt: enabled ? ctx.now : current.enabledAt, updatedBy: ctx.userId, updatedAt: ctx.now })
      .where(eq(workflows.id, current.id))
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: enabled ? "workflow.enabled" : "workflow.disabled", targetType: "workflow", targetId: current.id, details: { name: current.name }, at: ctx.now });
    return row!;
  });
}

/** A disabled copy (named by the caller, in the user's language), with fresh action ids and webhook secrets. */
export async function duplicateWorkflow(ctx: Ctx, workflowId: string, name?: string): Promise<WorkflowRow> {
  assertCan(ctx, "automations.manage");
  return ctx.db.transaction(async (tx) => {
    const source = await lockWorkflow(tx, ctx, workflowId);
    const actions = mapSteps(source.actions as WorkflowStep[], (a) => ({ ...a, id: crypto.randomUUID(), ...(a.type === "webhook" ? { secret: newWebhookSecret() } : {}) })).map((s) =>
      s.type === "branch" ? { ...s, id: crypto.randomUUID() } : s,
    );
    const [row] = await tx
      .insert(workflows)
      .values({
        workspaceId: ctx.workspaceId,
        name: (name ?? `${source.name} (copy)`).slice(0, 120),
        enabled: false,
        trigger: source.trigger,
        conditions: source.conditions,
        actions,
        createdBy: ctx.userId,
        updatedBy: ctx.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workflow.duplicated", targetType: "workflow", targetId: row!.id, details: { from: source.id, name: row!.name }, at: ctx.now });
    return row!;
  });
}

/** Deletes a workflow and its run log; steps still queued find no run and do nothing. */
export async function deleteWorkflow(ctx: Ctx, workflowId: string): Promise<void> {
  assertCan(ctx, "automations.manage");
  await ctx.db.transaction(async (tx) => {
    const current = await lockWorkflow(tx, ctx, workflowId);
    await tx.delete(workflows).where(eq(workflows.id, current.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workflow.deleted", targetType: "workflow", targetId: current.id, details: { name: current.name }, at: ctx.now });
  });
}

/** Stops a run that is still going (typically one sitting on a wait): its later steps never happen. */
export async function cancelWorkflowRun(ctx: Ctx, runId: string): Promise<void> {
  assertCan(ctx, "automations.manage");
  await ctx.db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(workflowRuns)
      .where(and(eq(workflowRuns.id, runId), eq(workflowRuns.workspaceId, ctx.workspaceId)))
      .for("update");
    if (!run) throw new AppError("NOT_FOUND");
    if (run.status !== "running") throw new AppError("CONFLICT", "errors.runNotRunning");
    await tx.update(workflowRuns).set({ status: "cancelled", finishedAt: ctx.now, waitUntil: null, waitEvent: null }).where(eq(workflowRuns.id, run.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workflow.run_cancelled", targetType: "workflow", targetId: run.workflowId, details: { runId: run.id }, at: ctx.now });
  });
}
