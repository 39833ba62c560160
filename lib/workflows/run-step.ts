import "server-only";
import { eq } from "drizzle-orm";
import { domainEvents, workflowRuns, workflows, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { isAppError } from "../errors";
import { PermanentJobError } from "../jobs/types";
import { addDaysToDate, safeTimeZone, zonedInstant } from "../activities/time";
import { enqueueJob } from "../jobs/enqueue";
import { performAction, type ActionDetail } from "./actions";
import { automationCtx } from "./actor";
import { evaluateConditions } from "./conditions";
import { waitMs, type Instruction } from "./program";
import type { WaitStep } from "./schema";
import { runSendEmailStep } from "./send-email";
import { enqueueStep } from "./start";
import { loadSubject, type Subject } from "./subject";
import { deliverWebhook } from "./webhook";

type RunRow = typeof workflowRuns.$inferSelect;

/** One entry of a run's log: what step i did. */
export type StepLog = {
  actionId: string;
  type: Instruction["type"];
  status: "done" | "retrying" | "failed" | "skipped" | "waiting" | "sending";
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

/**
 * Writes step i's log entry and moves the cursor on (to the next instruction, or where a branch or jump says):
 * the next step is enqueued, or the run completes. Leaving a wait clears it.
 */
async function advance(db: Db, run: RunRow, step: number, entry: StepLog, now: Date, opts: { finish?: "completed" | "cancelled"; next?: number } = {}) {
  const steps = [...(run.steps as StepLog[])];
  steps[step] = entry;
  const next = opts.next ?? step + 1;
  const last = next >= run.actions.length || opts.finish;
  await db
    .update(workflowRuns)
    .set({ steps, nextStep: next, waitUntil: null, waitEvent: null, ...(last ? { status: opts.finish ?? "completed", finishedAt: now } : {}) })
    .where(eq(workflowRuns.id, run.id));
  if (!last) await enqueueStep(db, run, next, now);
}

export const wakeJobKey = (runId: string, step: number, by: "time" | "event") => `workflow-run:${runId}:wake:${step}${by === "event" ? ":event" : ""}`;

/** When a wait reached now ends (null: it does not wait at all, with the reason). */
async function wakeTime(db: Db, run: RunRow, wait: WaitStep, now: Date): Promise<{ at: Date } | { skip: "noDate" | "past" }> {
  if (wait.mode !== "until_date") return { at: new Date(now.getTime() + waitMs(wait)) };
  const subject = await loadSubject(db, run.workspaceId, run.subjectType, run.subjectId);
  const date = subject?.deal?.expectedCloseDate ?? null;
  if (!date) return { skip: "noDate" };
  const [ws] = await db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, run.workspaceId));
  // 09:00 on that day (± the offset) in the workspace's zone: a journey step lands in working hours.
  const at = zonedInstant(addDaysToDate(date, wait.offsetDays), "09:00", safeTimeZone(ws?.timeZone));
  return at.getTime() <= now.getTime() ? { skip: "past" } : { at };
}

/**
 * Reaching a wait: the run stays on it (`wait_until`, and `wait_event` for an event wait) with a wake-up job at
 * the end of the wait; a date wait without a future date continues at once.
 */
async function enterWait(db: Db, run: RunRow, step: number, wait: WaitStep, base: Omit<StepLog, "status">, now: Date) {
  const when = await wakeTime(db, run, wait, now);
  if ("skip" in when) return advance(db, run, step, { ...base, status: "done", detail: { skipped: when.skip } }, now);
  const steps = [...(run.steps as StepLog[])];
  steps[step] = { ...base, status: "waiting", detail: { until: when.at.toISOString(), ...(wait.event ? { event: wait.event } : {}) } };
  await db
    .update(workflowRuns)
    .set({ steps, waitUntil: when.at, waitEvent: wait.mode === "until_event" ? wait.event : null })
    .where(eq(workflowRuns.id, run.id));
  await enqueueJob(db, { kind: "workflow-step", payload: { runId: run.id, step, wake: "time" }, runAt: when.at, workspaceId: run.workspaceId, idempotencyKey: wakeJobKey(run.id, step, "time"), maxAttempts: 5 });
}

/** A wait ends (its time came, or the awaited event happened): the run moves on. A second wake-up does nothing. */
async function leaveWait(db: Db, runId: string, step: number, by: "time" | "event", now: Date) {
  await db.transaction(async (tx) => {
    const run = await lockRunAt(tx, runId, step);
    if (!run || !run.waitUntil) return;
    const entry = (run.steps as StepLog[])[step]!;
    const outcome = run.waitEvent ? (by === "event" ? "event" : "timeout") : "time";
    await advance(tx, run, step, { ...entry, status: "done", at: now.toISOString(), detail: { ...entry.detail, resumedBy: outcome } }, now);
  });
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
 * the cursor move; a webhook is sent first and recorded after (at-least-once, with a stable delivery id), and an
 * email likewise (lib/workflows/send-email.ts, with a stable Message-ID). A
 * record deleted meanwhile cancels the run. A failure is noted in the run log and rethrown for the job's retry.
 */
export async function runWorkflowStep(db: Db, now: Date, runId: string, step: number, attempt: number, wake?: "time" | "event"): Promise<void> {
  if (wake) return leaveWait(db, runId, step, wake, now);
  const [peek] = await db.select().from(workflowRuns).where(eq(workflowRuns.id, runId));
  if (!peek || peek.status !== "running" || peek.nextStep !== step || peek.waitUntil) return;
  const action = peek.actions[step] as Instruction | undefined;
  if (!action) throw new PermanentJobError(`run ${runId} has no step ${step}`);
  const base = { actionId: action.id, type: action.type, at: now.toISOString(), attempts: attempt };
  try {
    if (action.type === "jump" || action.type === "branch" || action.type === "wait") {
      await db.transaction(async (tx) => {
        const run = await lockRunAt(tx, runId, step);
        if (!run || run.waitUntil) return;
        if (action.type === "jump") return advance(tx, run, step, { ...base, status: "done" }, now, { next: action.to });
        if (action.type === "wait") return enterWait(tx, run, step, action, base, now);
        const subject = await loadSubject(tx, run.workspaceId, run.subjectType, run.subjectId);
        if (!subject) return advance(tx, run, step, { ...base, status: "skipped", error: "gone" }, now, { finish: "cancelled" });
        const result = evaluateConditions(action.conditions, subject.fields, subject.customTypes);
        return advance(tx, run, step, { ...base, status: "done", detail: { passed: result.passed, rules: result.rules } }, now, { next: result.passed ? step + 1 : action.elseAt });
      });
      return;
    }
    if (action.type === "send_email") {
      const subject = await loadSubject(db, peek.workspaceId, peek.subjectType, peek.subjectId);
      if (!subject) return void (await cancelGone(db, runId, step, base, now));
      await runSendEmailStep(db, now, peek, step, action, subject, {
        lock: (tx) => lockRunAt(tx, runId, step),
        advance: (tx, run, detail) => advance(tx, run, step, { ...base, status: "done", detail }, now),
      });
      return;
    }
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
      const detail = await performAction(ctx, action as Exclude<typeof action, { type: "webhook" | "send_email" }>, subject);
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
  const action = run?.actions[step] as Instruction | undefined;
  await recordAttempt(db, runId, step, { actionId: action?.id ?? "", type: action?.type ?? "webhook", status: "failed", at: now.toISOString(), attempts: attempt, error: error.slice(0, 1000) }, { now });
}
