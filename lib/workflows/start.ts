import "server-only";
import { and, eq, gt, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { domainEvents, workflowRuns, workflows } from "@/db/schema";
import type { Db } from "@/db/types";
import { chainLink, MAX_AUTOMATION_DEPTH } from "../events/types";
import { enqueueJob } from "../jobs/enqueue";
import { evaluateConditions, type ConditionsResult } from "./conditions";
import { compileSteps } from "./program";
import type { ConditionGroup, WorkflowStep, WorkflowTrigger } from "./schema";
import { loadSubject, type Subject } from "./subject";
import { triggerMatches } from "./trigger";

type EventRow = typeof domainEvents.$inferSelect;
type WorkflowRow = typeof workflows.$inferSelect;

export const stepJobKey = (runId: string, step: number) => `workflow-run:${runId}:step:${step}`;
export const quietJobKey = (workflowId: string, eventId: number) => `workflow-quiet:${workflowId}:${eventId}`;

/** Enqueues a run's step (inside the transaction that advanced the run to it). */
export function enqueueStep(db: Db, run: { id: string; workspaceId: string }, step: number, runAt: Date) {
  return enqueueJob(db, { kind: "workflow-step", payload: { runId: run.id, step }, runAt, workspaceId: run.workspaceId, idempotencyKey: stepJobKey(run.id, step), maxAttempts: 5 });
}

/**
 * One workflow's run for one event (unique per workflow and event, so a repeated dispatch adds nothing) —
 * skipped when the conditions fail, when the workflow already acted on this record further up the causal
 * chain (loop), or when the cascade is too deep; a running one gets its first step enqueued. The run keeps the
 * workflow's steps compiled as they are now (lib/workflows/program.ts). Returns whether it started.
 */
async function startRun(db: Db, workflow: WorkflowRow, event: EventRow, subject: Subject | null, now: Date): Promise<boolean> {
  let skipReason: string | null = null;
  let conditions: ConditionsResult | Record<string, never> = {};
  if (event.chain.includes(chainLink(workflow.id, event.subjectId))) skipReason = "loop";
  else if (event.depth >= MAX_AUTOMATION_DEPTH) skipReason = "depth";
  else if (!subject) skipReason = "gone";
  else {
    conditions = evaluateConditions(workflow.conditions as ConditionGroup, subject.fields, subject.customTypes);
    if (!conditions.passed) skipReason = "conditions";
  }
  const [run] = await db
    .insert(workflowRuns)
    .values({
      workspaceId: event.workspaceId,
      workflowId: workflow.id,
      eventId: event.id,
      eventType: event.type,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      status: skipReason ? "skipped" : "running",
      skipReason,
      conditions,
      actions: skipReason ? [] : compileSteps(workflow.actions as WorkflowStep[]),
      depth: event.depth,
      chain: [...event.chain, chainLink(workflow.id, event.subjectId)],
      startedAt: now,
      finishedAt: skipReason ? now : null,
    })
    .onConflictDoNothing({ target: [workflowRuns.workflowId, workflowRuns.eventId] })
    .returning({ id: workflowRuns.id, workspaceId: workflowRuns.workspaceId });
  if (!run || skipReason) return false;
  await enqueueStep(db, run, 0, now);
  return true;
}

/**
 * Starts the runs an event causes: every enabled workflow of the workspace whose trigger it matches and that was
 * enabled before it happened. A trigger that waits for quiet gets a "workflow-quiet" job instead, due when the
 * record has been quiet long enough (see fireWhenQuiet). Returns the number of runs started (not skipped).
 */
export async function startWorkflowRuns(db: Db, event: EventRow, now: Date): Promise<number> {
  const candidates = await db
    .select()
    .from(workflows)
    .where(
      and(
        eq(workflows.workspaceId, event.workspaceId),
        eq(workflows.enabled, true),
        sql`${workflows.trigger}->>'type' = ${event.type}`,
        lte(workflows.enabledAt, event.occurredAt),
      ),
    );
  const matching = candidates.filter((w) => triggerMatches(w.trigger as WorkflowTrigger, event));
  if (matching.length === 0) return 0;
  let subject: Subject | null | undefined;
  let started = 0;
  for (const workflow of matching) {
    const quiet = (workflow.trigger as WorkflowTrigger).quietMinutes ?? 0;
    if (quiet > 0) {
      const runAt = new Date(Math.max(now.getTime(), event.occurredAt.getTime() + quiet * 60_000));
      await enqueueJob(db, { kind: "workflow-quiet", payload: { workflowId: workflow.id, eventId: event.id }, runAt, workspaceId: event.workspaceId, idempotencyKey: quietJobKey(workflow.id, event.id), maxAttempts: 5 });
      continue;
    }
    subject ??= await loadSubject(db, event.workspaceId, event.subjectType, event.subjectId);
    if (await startRun(db, workflow, event, subject, now)) started += 1;
  }
  return started;
}

/**
 * The end of a quiet period: the workflow fires for this event only if no later event on the same record matches
 * its trigger (that one's own quiet job fires instead), so a burst of edits fires once, for the last, with the
 * record as it is now. Returns whether a run started.
 */
export async function fireWhenQuiet(db: Db, workflowId: string, eventId: number, now: Date): Promise<boolean> {
  const [event] = await db.select().from(domainEvents).where(eq(domainEvents.id, eventId));
  if (!event) return false;
  const [workflow] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, event.workspaceId), eq(workflows.enabled, true)));
  if (!workflow) return false;
  const trigger = workflow.trigger as WorkflowTrigger;
  if (!triggerMatches(trigger, event)) return false;
  const later = await db
    .select({ type: domainEvents.type, data: domainEvents.data })
    .from(domainEvents)
    .where(
      and(
        eq(domainEvents.workspaceId, event.workspaceId),
        eq(domainEvents.subjectType, event.subjectType),
        eq(domainEvents.subjectId, event.subjectId),
        eq(domainEvents.type, event.type),
        gt(domainEvents.id, event.id),
      ),
    );
  if (later.some((e) => triggerMatches(trigger, e))) return false;
  const subject = await loadSubject(db, event.workspaceId, event.subjectType, event.subjectId);
  return startRun(db, workflow, event, subject, now);
}

/**
 * Runs waiting "until <event>" on the record this event is about (the record itself, or for an activity its deal
 * and contact) get a wake-up job, if they started waiting before it happened. Returns how many.
 */
export async function wakeWaitingRuns(db: Db, event: EventRow, now: Date, wakeKey: (runId: string, step: number) => string): Promise<number> {
  const subjects = [event.subjectId, event.data.dealId, event.data.contactId].filter((id): id is string => typeof id === "string");
  const waiting = await db
    .select({ id: workflowRuns.id, nextStep: workflowRuns.nextStep, steps: workflowRuns.steps })
    .from(workflowRuns)
    .where(
      and(
        eq(workflowRuns.workspaceId, event.workspaceId),
        eq(workflowRuns.status, "running"),
        eq(workflowRuns.waitEvent, event.type),
        isNotNull(workflowRuns.waitUntil),
        inArray(workflowRuns.subjectId, subjects),
      ),
    );
  let woken = 0;
  for (const run of waiting) {
    const since = (run.steps as { at?: string }[])[run.nextStep]?.at;
    if (since && new Date(since).getTime() > event.occurredAt.getTime()) continue;
    const id = await enqueueJob(db, { kind: "workflow-step", payload: { runId: run.id, step: run.nextStep, wake: "event" }, runAt: now, workspaceId: event.workspaceId, idempotencyKey: wakeKey(run.id, run.nextStep), maxAttempts: 5 });
    if (id) woken += 1;
  }
  return woken;
}
