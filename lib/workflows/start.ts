import "server-only";
import { and, eq, lte, sql } from "drizzle-orm";
import { workflowRuns, workflows, type domainEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { chainLink, MAX_AUTOMATION_DEPTH } from "../events/types";
import { enqueueJob } from "../jobs/enqueue";
import { evaluateConditions, type ConditionsResult } from "./conditions";
import type { ConditionGroup, WorkflowAction, WorkflowTrigger } from "./schema";
import { loadSubject } from "./subject";
import { triggerMatches } from "./trigger";

type EventRow = typeof domainEvents.$inferSelect;

export const stepJobKey = (runId: string, step: number) => `workflow-run:${runId}:step:${step}`;

/** Enqueues a run's step (inside the transaction that advanced the run to it). */
export function enqueueStep(db: Db, run: { id: string; workspaceId: string }, step: number, runAt: Date) {
  return enqueueJob(db, { kind: "workflow-step", payload: { runId: run.id, step }, runAt, workspaceId: run.workspaceId, idempotencyKey: stepJobKey(run.id, step), maxAttempts: 5 });
}

/**
 * Starts the runs an event causes: every enabled workflow of the workspace whose trigger it matches and that was
 * enabled before it happened. Each gets a run row (unique per workflow and event, so a repeated dispatch adds
 * nothing) — skipped when the conditions fail, when the workflow already acted on this record further up the
 * causal chain (loop), or when the cascade is too deep — and the running ones get their first step enqueued.
 * Returns the number of runs started (not skipped).
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
  const subject = await loadSubject(db, event.workspaceId, event.subjectType, event.subjectId);
  let started = 0;
  for (const workflow of matching) {
    let skipReason: string | null = null;
    let conditions: ConditionsResult | Record<string, never> = {};
    if (event.chain.includes(chainLink(workflow.id, event.subjectId))) skipReason = "loop";
    else if (event.depth >= MAX_AUTOMATION_DEPTH) skipReason = "depth";
    else if (!subject) skipReason = "gone";
    else {
      conditions = evaluateConditions(workflow.conditions as ConditionGroup, subject.fields);
      if (!conditions.passed) skipReason = "conditions";
    }
    const actions = workflow.actions as WorkflowAction[];
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
        actions: skipReason ? [] : actions,
        depth: event.depth,
        chain: [...event.chain, chainLink(workflow.id, event.subjectId)],
        startedAt: now,
        finishedAt: skipReason ? now : null,
      })
      .onConflictDoNothing({ target: [workflowRuns.workflowId, workflowRuns.eventId] })
      .returning({ id: workflowRuns.id, workspaceId: workflowRuns.workspaceId });
    if (!run || skipReason) continue;
    await enqueueStep(db, run, 0, now);
    started += 1;
  }
  return started;
}
