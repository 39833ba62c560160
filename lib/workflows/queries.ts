import "server-only";
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, max, sql } from "drizzle-orm";
import { activities, activityTypes, contacts, deals, memberships, pipelines, sequences, stages, users, workflowRuns, workflows } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { can } from "../auth/permissions";
import type { ConditionsResult } from "./conditions";
import type { StepLog } from "./run-step";
import { customPath } from "./fields";
import type { Instruction } from "./program";
import { loadCustomDefs } from "./subject";
import type { ConditionGroup, WorkflowStep, WorkflowTrigger } from "./schema";

export type WorkflowSummaryDTO = {
  id: string;
  name: string;
  enabled: boolean;
  trigger: WorkflowTrigger;
  actionTypes: WorkflowStep["type"][];
  runs: number;
  failed: number;
  lastRunAt: Date | null;
};

/**
 * The workspace's workflows with their run counts. Every member may read the list (what happens automatically
 * is no secret); details, run logs and changes need automations.manage.
 */
export async function listWorkflows(ctx: Ctx): Promise<WorkflowSummaryDTO[]> {
  const runs = ctx.db
    .select({
      workflowId: workflowRuns.workflowId,
      runs: sql<number>`count(*) filter (where ${workflowRuns.status} <> 'skipped')`.as("runs"),
      failed: sql<number>`count(*) filter (where ${workflowRuns.status} = 'failed')`.as("failed"),
      lastRunAt: max(workflowRuns.startedAt).as("last_run_at"),
    })
    .from(workflowRuns)
    .where(eq(workflowRuns.workspaceId, ctx.workspaceId))
    .groupBy(workflowRuns.workflowId)
    .as("runs");
  const rows = await ctx.db
    .select({ workflow: workflows, runs: runs.runs, failed: runs.failed, lastRunAt: runs.lastRunAt })
    .from(workflows)
    .leftJoin(runs, eq(runs.workflowId, workflows.id))
    .where(eq(workflows.workspaceId, ctx.workspaceId))
    .orderBy(asc(workflows.name), asc(workflows.createdAt));
  return rows.map((r) => ({
    id: r.workflow.id,
    name: r.workflow.name,
    enabled: r.workflow.enabled,
    trigger: r.workflow.trigger as WorkflowTrigger,
    actionTypes: (r.workflow.actions as WorkflowStep[]).map((a) => a.type),
    runs: Number(r.runs ?? 0),
    failed: Number(r.failed ?? 0),
    lastRunAt: r.lastRunAt ? new Date(r.lastRunAt) : null,
  }));
}

export type WorkflowDTO = {
  id: string;
  name: string;
  enabled: boolean;
  trigger: WorkflowTrigger;
  conditions: ConditionGroup;
  actions: WorkflowStep[];
  updatedAt: Date;
};

/** One workflow, whole, for the builder (admins: it holds webhook secrets). */
export async function getWorkflow(ctx: Ctx, workflowId: string): Promise<WorkflowDTO> {
  assertCan(ctx, "automations.manage");
  const [row] = await ctx.db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, ctx.workspaceId)));
  if (!row) throw new AppError("NOT_FOUND");
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    trigger: row.trigger as WorkflowTrigger,
    conditions: row.conditions as ConditionGroup,
    actions: row.actions as WorkflowStep[],
    updatedAt: row.updatedAt,
  };
}

export type WorkflowRunDTO = {
  id: string;
  eventType: string;
  subject: { type: string; id: string; label: string | null };
  status: "running" | "completed" | "failed" | "skipped" | "cancelled";
  skipReason: string | null;
  conditions: ConditionsResult | Record<string, never>;
  actions: Instruction[];
  steps: (StepLog | null)[];
  nextStep: number;
  waitUntil: Date | null;
  depth: number;
  startedAt: Date;
  finishedAt: Date | null;
};

/** A run's record in words: the deal's title, the contact's name, or the activity's subject (joined by the caller). */
const subjectLabel = sql<string | null>`coalesce(${deals.title}, nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), ''), ${activities.subject})`;

/** A workflow's run log, newest first: subject, trigger, conditions result, each action's outcome or error. */
export async function listWorkflowRuns(ctx: Ctx, workflowId: string, limit = 50): Promise<WorkflowRunDTO[]> {
  assertCan(ctx, "automations.manage");
  const [workflow] = await ctx.db
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, ctx.workspaceId)));
  if (!workflow) throw new AppError("NOT_FOUND");
  const rows = await ctx.db
    .select({ run: workflowRuns, label: subjectLabel })
    .from(workflowRuns)
    .leftJoin(deals, and(eq(workflowRuns.subjectType, "deal"), eq(deals.id, workflowRuns.subjectId), isNull(deals.deletedAt)))
    .leftJoin(contacts, and(eq(workflowRuns.subjectType, "contact"), eq(contacts.id, workflowRuns.subjectId)))
    .leftJoin(activities, and(eq(workflowRuns.subjectType, "activity"), eq(activities.id, workflowRuns.subjectId)))
    .where(and(eq(workflowRuns.workspaceId, ctx.workspaceId), eq(workflowRuns.workflowId, workflowId)))
    .orderBy(desc(workflowRuns.startedAt), desc(workflowRuns.id))
    .limit(limit);
  return rows.map(({ run, label }) => ({
    id: run.id,
    eventType: run.eventType,
    subject: { type: run.subjectType, id: run.subjectId, label },
    status: run.status,
    skipReason: run.skipReason,
    conditions: run.conditions as WorkflowRunDTO["conditions"],
    actions: run.actions as Instruction[],
    steps: Array.from({ length: (run.actions as unknown[]).length }, (_, i) => ((run.steps as StepLog[])[i] ?? null)),
    nextStep: run.nextStep,
    waitUntil: run.waitUntil,
    depth: run.depth,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  }));
}

/** Counts of a workflow's runs by status (the run log's header). */
export async function countWorkflowRuns(ctx: Ctx, workflowId: string) {
  assertCan(ctx, "automations.manage");
  const rows = await ctx.db
    .select({ status: workflowRuns.status, n: count() })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.workspaceId, ctx.workspaceId), eq(workflowRuns.workflowId, workflowId)))
    .groupBy(workflowRuns.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<WorkflowRunDTO["status"], number>>;
}

export type BuilderOptions = {
  pipelines: { id: string; name: string; stages: { id: string; name: string }[] }[];
  members: { id: string; name: string }[];
  customActivityTypes: { id: string; label: string }[];
  sequences: { id: string; name: string }[];
  /** Active deal and contact custom fields, as conditions and "update field" name them ("deal.custom.<key>"). */
  customFields: { path: string; entity: "deal" | "contact"; label: string; type: string; options: { id: string; label: string }[] }[];
};

/** What the builder's pickers offer: active pipelines with their stages, members, the workspace's activity types. */
export async function getBuilderOptions(ctx: Ctx): Promise<BuilderOptions> {
  assertCan(ctx, "automations.manage");
  const [pipelineRows, stageRows, members, types, sequenceRows, customDefs] = await Promise.all([
    ctx.db
      .select({ id: pipelines.id, name: pipelines.name })
      .from(pipelines)
      .where(and(eq(pipelines.workspaceId, ctx.workspaceId), isNull(pipelines.archivedAt)))
      .orderBy(asc(pipelines.position), asc(pipelines.createdAt)),
    ctx.db.select({ id: stages.id, name: stages.name, pipelineId: stages.pipelineId }).from(stages).where(eq(stages.workspaceId, ctx.workspaceId)).orderBy(asc(stages.position)),
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, ctx.workspaceId))
      .orderBy(asc(users.name)),
    ctx.db
      .select({ id: activityTypes.id, label: activityTypes.label })
      .from(activityTypes)
      .where(and(eq(activityTypes.workspaceId, ctx.workspaceId), isNull(activityTypes.archivedAt)))
      .orderBy(asc(activityTypes.position), asc(activityTypes.label)),
    ctx.db
      .select({ id: sequences.id, name: sequences.name })
      .from(sequences)
      .where(and(eq(sequences.workspaceId, ctx.workspaceId), isNull(sequences.archivedAt)))
      .orderBy(asc(sequences.name)),
    loadCustomDefs(ctx.db, ctx.workspaceId),
  ]);
  return {
    pipelines: pipelineRows.map((p) => ({ ...p, stages: stageRows.filter((s) => s.pipelineId === p.id).map(({ id, name }) => ({ id, name })) })),
    members,
    customActivityTypes: types,
    sequences: sequenceRows,
    customFields: customDefs.map((d) => ({ path: customPath(d.entity, d.key), entity: d.entity, label: d.label, type: d.type, options: (d.settings.options ?? []).map((o) => ({ id: o.id, label: o.label })) })),
  };
}

/** Names for ids shown in read-only summaries (list page): stages and pipelines of the workspace. */
export async function getStageNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: stages.id, name: stages.name })
    .from(stages)
    .where(and(eq(stages.workspaceId, ctx.workspaceId), inArray(stages.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export const canManageAutomations = (ctx: Pick<Ctx, "role">) => can(ctx.role, "automations.manage");

export type WaitingRunDTO = {
  id: string;
  workflow: { id: string; name: string };
  eventType: string;
  subject: { type: string; id: string; label: string | null };
  waitUntil: Date;
  waitEvent: string | null;
  startedAt: Date;
};

/** Runs sitting on a wait step, soonest wake-up first (optionally of one workflow). */
export async function listWaitingRuns(ctx: Ctx, opts: { workflowId?: string; limit?: number } = {}): Promise<WaitingRunDTO[]> {
  assertCan(ctx, "automations.manage");
  const rows = await ctx.db
    .select({
      run: { id: workflowRuns.id, eventType: workflowRuns.eventType, subjectType: workflowRuns.subjectType, subjectId: workflowRuns.subjectId, waitUntil: workflowRuns.waitUntil, waitEvent: workflowRuns.waitEvent, startedAt: workflowRuns.startedAt },
      workflow: { id: workflows.id, name: workflows.name },
      label: subjectLabel,
    })
    .from(workflowRuns)
    .innerJoin(workflows, eq(workflows.id, workflowRuns.workflowId))
    .leftJoin(deals, and(eq(workflowRuns.subjectType, "deal"), eq(deals.id, workflowRuns.subjectId), isNull(deals.deletedAt)))
    .leftJoin(contacts, and(eq(workflowRuns.subjectType, "contact"), eq(contacts.id, workflowRuns.subjectId)))
    .leftJoin(activities, and(eq(workflowRuns.subjectType, "activity"), eq(activities.id, workflowRuns.subjectId)))
    .where(
      and(
        eq(workflowRuns.workspaceId, ctx.workspaceId),
        eq(workflowRuns.status, "running"),
        isNotNull(workflowRuns.waitUntil),
        opts.workflowId ? eq(workflowRuns.workflowId, opts.workflowId) : undefined,
      ),
    )
    .orderBy(asc(workflowRuns.waitUntil), asc(workflowRuns.id))
    .limit(opts.limit ?? 200);
  return rows.map(({ run, workflow, label }) => ({
    id: run.id,
    workflow,
    eventType: run.eventType,
    subject: { type: run.subjectType, id: run.subjectId, label },
    waitUntil: run.waitUntil!,
    waitEvent: run.waitEvent,
    startedAt: run.startedAt,
  }));
}
