import "server-only";
import { eq } from "drizzle-orm";
import { domainEvents, workflowRuns, workflows } from "@/db/schema";
import type { Db } from "@/db/types";
import { isAppError } from "../errors";
import { PermanentJobError } from "../jobs/types";
import { performAction, type ActionDetail } from "./actions";
import { automationCtx } from "./actor";
import type { WorkflowAction } from "./schema";
import { enqueueStep } from "./start";
import { loadSubject, type Subject } from "./subject";
import { deliverWebhook } from "./webhook";

type RunRow = typeof workflowRuns.$inferSelect;

/** One entry of a run's log: what step i did. */
export type StepLog = {
  actionId: string;
  type: WorkflowAction["type"];
  status: "done" | "retrying" | "failed" | "skipped";
  at: string;
  attempts?: number;
  detail?: ActionDetail;
  error?: string;
};

const message = (error: unknown) => (isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)).slice(0, 1000);

/** Locks the run and returns it if `step` is still its next one (else the step already happened: null). */
async function lockRunAt(db: Db, runId: string, step: number): Promise<RunRow | null> {
  const [run] = await db.select().from(workflowRuns).where(eq(workflowRuns.id, runId)).for("update");
  if (!run || run.status !== "running" || run.nextStep !== step) return null;
  return run;
}

/** Writes step i's log entry and moves the cursor on: the next step is enqueued, or the run completes. */
async function advance(db: Db, run: RunRow, step: number, entry: StepLog, now: Date, opts: { finish?: "completed" | "cancelled" } = {}) {
  const steps = [...(run.steps as StepLog[])];
  steps[step] = entry;
  const last = step + 1 >= run.actions.length || opts.finish;
  await db
    .update(workflowRuns)
    .set({ steps, nextStep: step + 1, ...(last ? { status: opts.finish ?? "completed", finishedAt: now } : {}) })
    .where(eq(workflowRuns.id, run.id));
  if (!last) await enqueueStep(db, run, step + 1, now);
}

/** Records a failed attempt in the run log (its own small transaction: the step's one was rolled back). */
async function recordAttempt(db: Db, runId: string, step: number, entry: StepLog, finish?: { now: Date }) {
  await db.transaction(async (tx) => {
    const [run] = await tx.select().from(workflowRuns).where(eq(workflowRuns.id, runId)).for("update");
    if (!run || run.status !== "running" || run.nextStep !== step) return;
    const steps = [...(run.steps as StepLog[])];
    steps[step] = entry;
    await tx
      .update(workflowRuns)
      .set({ steps, ...(finish ? { status: "failed", finishedAt: finish.now } : {}) })
      .where(eq(workflowRuns.id, runId));
  });
}

function webhookBody(run: RunRow, workflow: { id: string; name: string }, subject: Subject, deliveryId: string, occurredAt: Date | null) {
  const { deal, contact, owner } = subject;
  return {
    id: deliveryId,
    event: run.eventType,
    occurredAt: occurredAt?.toISOString() ?? null,
    workflow: { id: workflow.id, name: workflow.name },
    run: { id: run.id },
    subject: { type: run.subjectType, id: run.subjectId },
    deal: deal && {
      id: deal.id,
      title: deal.title,
      value: deal.value,
      currency: deal.currency,
      status: deal.status,
      pipelineId: deal.pipelineId,
      stageId: deal.stageId,
      ownerId: deal.ownerId,
      contactId: deal.contactId,
      companyId: deal.companyId,
      expectedCloseDate: deal.expectedCloseDate,
      source: deal.source,
      lostReason: deal.lostReason,
    },
    contact: contact && {
      id: contact.id,
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email,
      phone: contact.phone,
      title: contact.title,
      lifecycle: contact.lifecycle,
      source: contact.source,
      score: contact.score,
    },
    owner: owner && { id: owner.id, name: owner.name, email: owner.email },
  };
}

/**
 * Runs step `step` of a workflow run, once: the run's `next_step` cursor is checked under a row lock, so a
 * duplicate or late job does nothing. A database action happens in one transaction with the log entry and
 * the cursor move; a webhook is sent first and recorded after (at-least-once, with a stable delivery id). A
 * record deleted meanwhile cancels the run. A failure is noted in the run log and rethrown for the job's retry.
 */
export async function runWorkflowStep(db: Db, now: Date, runId: string, step: number, attempt: number): Promise<void> {
  const [peek] = await db.select().from(workflowRuns).where(eq(workflowRuns.id, runId));
  if (!peek || peek.status !== "running" || peek.nextStep !== step) return;
  const action = peek.actions[step] as WorkflowAction | undefined;
  if (!action) throw new PermanentJobError(`run ${runId} has no step ${step}`);
  const base = { actionId: action.id, type: action.type, at: now.toISOString(), attempts: attempt };
  try {
    if (action.type === "webhook") {
      const [workflow] = await db.select({ id: workflows.id, name: workflows.name }).from(workflows).where(eq(workflows.id, peek.workflowId));
      const subject = await loadSubject(db, peek.workspaceId, peek.subjectType, peek.subjectId);
      if (!workflow) return;
      if (!subject) return void (await cancelGone(db, runId, step, base, now));
      const [event] = peek.eventId ? await db.select({ occurredAt: domainEvents.occurredAt }).from(domainEvents).where(eq(domainEvents.id, peek.eventId)) : [];
      const deliveryId = `${runId}:${step}`;
      const { status } = await deliverWebhook({ url: action.url, secret: action.secret, deliveryId, event: peek.eventType, body: webhookBody(peek, workflow, subject, deliveryId, event?.occurredAt ?? null) }, now);
      await db.transaction(async (tx) => {
        const run = await lockRunAt(tx, runId, step);
        if (run) await advance(tx, run, step, { ...base, status: "done", detail: { httpStatus: status, url: action.url } }, now);
      });
      return;
    }
    await db.transaction(async (tx) => {
      const run = await lockRunAt(tx, runId, step);
      if (!run) return;
      const [workflow] = await tx.select().from(workflows).where(eq(workflows.id, run.workflowId));
      if (!workflow) return;
      const subject = await loadSubject(tx, run.workspaceId, run.subjectType, run.subjectId);
      if (!subject) return advance(tx, run, step, { ...base, status: "skipped", error: "gone" }, now, { finish: "cancelled" });
      const ctx = await automationCtx(tx, now, workflow, run);
      const detail = await performAction(ctx, action, subject);
      await advance(tx, run, step, { ...base, status: "done", detail }, now);
    });
  } catch (error) {
    await recordAttempt(db, runId, step, { ...base, status: "retrying", error: message(error) });
    throw error;
  }
}

async function cancelGone(db: Db, runId: string, step: number, base: Omit<StepLog, "status">, now: Date) {
  await db.transaction(async (tx) => {
    const run = await lockRunAt(tx, runId, step);
    if (run) await advance(tx, run, step, { ...base, status: "skipped", error: "gone" }, now, { finish: "cancelled" });
  });
}

/** The step's job died (attempts used up, or a permanent error): the run fails there, later steps never run. */
export async function failWorkflowStep(db: Db, now: Date, runId: string, step: number, error: string, attempt: number) {
  const [run] = await db.select({ actions: workflowRuns.actions }).from(workflowRuns).where(eq(workflowRuns.id, runId));
  const action = run?.actions[step] as WorkflowAction | undefined;
  await recordAttempt(db, runId, step, { actionId: action?.id ?? "", type: action?.type ?? "webhook", status: "failed", at: now.toISOString(), attempts: attempt, error: error.slice(0, 1000) }, { now });
}
