import "server-only";
import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { contacts, deals, messages, sequenceEnrollments, sequenceStepVariants, sequenceSteps, sequences } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { notFound, validation } from "../errors";
import { emitEvent, type EmitCtx } from "../events/emit";
import { enqueueJob, type NewJob } from "../jobs/enqueue";
import { visibleDeals } from "../deals/scope";
import { customFieldKeys } from "./merge";
import { ownEnrollments } from "./scope";
import type { EnrollInput, SaveSequenceInput } from "./schema";
import { checkTemplate } from "./template";
import { addDelay } from "./window";
import { safeTimeZone } from "../activities/time";
import { enqueueWebhookDeliveries } from "../webhooks/fanout";

/*
 * Writes of the sequences domain. Every function takes the workspace from ctx and checks each id it is given
 * against it (another workspace's sequence, contact or enrollment is "not found").
 */

// ── Building ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Creates or updates a sequence with all its steps in one transaction. Templates are checked first: an unknown
 * merge field or a malformed tag refuses the save with the path of the offending template. Steps and variants
 * that keep their id are updated in place (their stats stay), missing ones are deleted, new ones inserted;
 * running enrollments continue at their step position.
 */
export async function saveSequence(ctx: Ctx, input: SaveSequenceInput): Promise<{ id: string }> {
  const keys = await customFieldKeys(ctx.db, ctx.workspaceId);
  const fieldErrors: Record<string, string[]> = {};
  input.steps.forEach((step, i) =>
    step.variants.forEach((v, j) => {
      for (const part of ["subject", "body"] as const) {
        const problems = checkTemplate(v[part], keys);
        if (problems.length) fieldErrors[`steps.${i}.variants.${j}.${part}`] = [problems[0]!.kind === "unknown_field" ? "errors.sequenceUnknownField" : "errors.sequenceMalformedTag"];
      }
    }),
  );
  if (Object.keys(fieldErrors).length) throw validation("sequenceTemplateInvalid", fieldErrors);

  return ctx.db.transaction(async (tx) => {
    const settings = {
      name: input.name,
      description: input.description,
      windowDays: input.windowDays,
      windowStartMinute: input.windowStartMinute,
      windowEndMinute: input.windowEndMinute,
      dailyLimit: input.dailyLimit,
      stopOnMeeting: input.stopOnMeeting,
      stopOnDealWon: input.stopOnDealWon,
      stopOnDealLost: input.stopOnDealLost,
      stopOnUnsubscribe: input.stopOnUnsubscribe,
      stopOnBounce: input.stopOnBounce,
      stopCompanyOnReply: input.stopCompanyOnReply,
      autoReplyPauseDays: input.autoReplyPauseDays,
      updatedAt: ctx.now,
    };
    let sequenceId: string;
    if (input.sequenceId) {
      const [row] = await tx
        .update(sequences)
        .set(settings)
        .where(and(eq(sequences.workspaceId, ctx.workspaceId), eq(sequences.id, input.sequenceId), isNull(sequences.archivedAt)))
        .returning({ id: sequences.id });
      if (!row) throw notFound();
      sequenceId = row.id;
    } else {
      const [row] = await tx
        .insert(sequences)
        .values({ ...settings, workspaceId: ctx.workspaceId, createdBy: ctx.userId, createdAt: ctx.now })
        .returning({ id: sequences.id });
      sequenceId = row!.id;
    }

    const existing = await tx.select({ id: sequenceSteps.id }).from(sequenceSteps).where(and(eq(sequenceSteps.workspaceId, ctx.workspaceId), eq(sequenceSteps.sequenceId, sequenceId)));
    const existingIds = new Set(existing.map((s) => s.id));
    const keptIds = input.steps.map((s) => s.id).filter((id): id is string => !!id && existingIds.has(id));
    await tx
      .delete(sequenceSteps)
      .where(and(eq(sequenceSteps.workspaceId, ctx.workspaceId), eq(sequenceSteps.sequenceId, sequenceId), keptIds.length ? notInArray(sequenceSteps.id, keptIds) : undefined));

    for (const [position, step] of input.steps.entries()) {
      const values = {
        position,
        kind: step.kind,
        delayAmount: step.delayAmount,
        delayUnit: step.delayUnit,
        threadReply: step.kind === "email" && step.threadReply,
        taskType: step.kind === "task" ? (step.taskType ?? "task") : null,
      };
      let stepId: string;
      if (step.id && existingIds.has(step.id)) {
        await tx.update(sequenceSteps).set(values).where(and(eq(sequenceSteps.workspaceId, ctx.workspaceId), eq(sequenceSteps.id, step.id)));
        stepId = step.id;
      } else {
        const [row] = await tx.insert(sequenceSteps).values({ ...values, workspaceId: ctx.workspaceId, sequenceId, createdAt: ctx.now }).returning({ id: sequenceSteps.id });
        stepId = row!.id;
      }
      const current = await tx.select({ id: sequenceStepVariants.id }).from(sequenceStepVariants).where(and(eq(sequenceStepVariants.workspaceId, ctx.workspaceId), eq(sequenceStepVariants.stepId, stepId)));
      const currentIds = new Set(current.map((v) => v.id));
      const keptVariants = step.variants.map((v) => v.id).filter((id): id is string => !!id && currentIds.has(id));
      await tx
        .delete(sequenceStepVariants)
        .where(and(eq(sequenceStepVariants.workspaceId, ctx.workspaceId), eq(sequenceStepVariants.stepId, stepId), keptVariants.length ? notInArray(sequenceStepVariants.id, keptVariants) : undefined));
      for (const [vpos, v] of step.variants.entries()) {
        const content = { position: vpos, subject: step.kind === "sms" ? "" : v.subject.trim(), body: v.body };
        if (v.id && currentIds.has(v.id)) await tx.update(sequenceStepVariants).set(content).where(eq(sequenceStepVariants.id, v.id));
        else await tx.insert(sequenceStepVariants).values({ ...content, workspaceId: ctx.workspaceId, stepId, createdAt: ctx.now });
      }
    }
    return { id: sequenceId };
  });
}

/** Archives a sequence: it leaves the list, and every live enrollment stops ("sequence archived"). */
export async function archiveSequence(ctx: Ctx, sequenceId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(sequences)
      .set({ archivedAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(sequences.workspaceId, ctx.workspaceId), eq(sequences.id, sequenceId), isNull(sequences.archivedAt)))
      .returning({ id: sequences.id });
    if (!row) throw notFound();
    const live = await tx
      .select({ id: sequenceEnrollments.id })
      .from(sequenceEnrollments)
      .where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.sequenceId, sequenceId), inArray(sequenceEnrollments.status, ["active", "paused"])));
    for (const e of live) await endEnrollment(tx, ctx.workspaceId, e.id, "stopped", "archived", ctx.now);
  });
}

// ── Enrolling ───────────────────────────────────────────────────────────────────────────────────────────────

export type EnrollRefusal = "already_enrolled" | "unsubscribed" | "no_email" | "no_phone" | "contact_not_found";
export type EnrollResult = { ok: true; enrollmentId: string } | { ok: false; reason: EnrollRefusal };

/** Who enrolls: a member's ctx, or a workflow's (no role: deal visibility is then not narrowed). */
export type EnrollCtx = Pick<Ctx, "workspaceId" | "userId" | "now"> & Partial<Pick<Ctx, "role" | "workspace">> & { automation?: EmitCtx["automation"] };

/** The job that runs step `step` of an enrollment, for this schedule `generation`, at `runAt`. */
export const stepJob = (workspaceId: string, enrollment: { id: string; generation: number }, step: number, runAt: Date): NewJob => ({
  kind: "sequence-step",
  workspaceId,
  payload: { enrollmentId: enrollment.id, step, generation: enrollment.generation },
  runAt,
  idempotencyKey: `sequence-step:${enrollment.id}:${step}:${enrollment.generation}:${runAt.getTime()}`,
});

/** Enqueues the job that runs step `step` of an enrollment, for this schedule `generation`, at `runAt`. */
export async function scheduleStep(db: Db, workspaceId: string, enrollment: { id: string; generation: number }, step: number, runAt: Date): Promise<void> {
  await enqueueJob(db, stepJob(workspaceId, enrollment, step, runAt));
}

/**
 * Enrolls one contact in a sequence, inside the caller's transaction (`db`), so a workflow action can enroll in
 * the same transaction as the rest of its run. Refusals are returned with a reason, not thrown: the contact is
 * already active (or paused) in this sequence, unsubscribed, or lacks the email address / phone number a step
 * needs. The enrollment's sender is the contact's owner (else the member who enrolls); its first step is
 * scheduled after the first step's delay (the sending window is applied when the step runs).
 * Throws NOT_FOUND for a sequence (or deal) not in ctx's workspace.
 */
export async function enrollContact(db: Db, ctx: EnrollCtx, input: { sequenceId: string; contactId: string; dealId?: string | null }): Promise<EnrollResult> {
  const [sequence] = await db
    .select()
    .from(sequences)
    .where(and(eq(sequences.workspaceId, ctx.workspaceId), eq(sequences.id, input.sequenceId), isNull(sequences.archivedAt)))
    .for("update");
  if (!sequence) throw notFound();
  const steps = await db.select().from(sequenceSteps).where(and(eq(sequenceSteps.workspaceId, ctx.workspaceId), eq(sequenceSteps.sequenceId, sequence.id))).orderBy(sequenceSteps.position);
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, ctx.workspaceId), eq(contacts.id, input.contactId)));
  if (!contact) return { ok: false, reason: "contact_not_found" };
  if (input.dealId) {
    const where = ctx.role && ctx.workspace ? visibleDeals({ workspaceId: ctx.workspaceId, userId: ctx.userId, role: ctx.role, workspace: ctx.workspace }) : and(eq(deals.workspaceId, ctx.workspaceId), isNull(deals.deletedAt));
    const [deal] = await db.select({ id: deals.id }).from(deals).where(and(where, eq(deals.id, input.dealId)));
    if (!deal) throw notFound();
  }
  if (contact.unsubscribedAt) return { ok: false, reason: "unsubscribed" };
  if (steps.some((s) => s.kind === "email") && !contact.email?.trim()) return { ok: false, reason: "no_email" };
  if (steps.some((s) => s.kind === "sms") && !contact.phone?.trim()) return { ok: false, reason: "no_phone" };

  const [{ next }] = (await db
    .select({ next: sql<number>`coalesce(max(${sequenceEnrollments.ordinal}) + 1, 0)::int` })
    .from(sequenceEnrollments)
    .where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.sequenceId, sequence.id)))) as [{ next: number }];
  const first = steps[0];
  const tz = safeTimeZone(contact.timeZone ?? ctx.workspace?.timeZone);
  const runAt = first ? addDelay(ctx.now, first.delayAmount, first.delayUnit, tz) : ctx.now;
  const [row] = await db
    .insert(sequenceEnrollments)
    .values({
      workspaceId: ctx.workspaceId,
      sequenceId: sequence.id,
      contactId: contact.id,
      dealId: input.dealId ?? null,
      ownerId: contact.ownerId ?? ctx.userId,
      enrolledBy: ctx.userId,
      status: "active",
      nextStep: 0,
      nextRunAt: runAt,
      ordinal: Number(next),
      enrolledAt: ctx.now,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: sequenceEnrollments.id, generation: sequenceEnrollments.generation });
  if (!row) return { ok: false, reason: "already_enrolled" };
  await scheduleStep(db, ctx.workspaceId, row, 0, runAt);
  return { ok: true, enrollmentId: row.id };
}

/** Enrolls several contacts (contact page, deal page, bulk selection); each gets its own result. */
export async function enrollContacts(ctx: Ctx, input: EnrollInput): Promise<{ contactId: string; result: EnrollResult }[]> {
  return ctx.db.transaction(async (tx) => {
    const out: { contactId: string; result: EnrollResult }[] = [];
    for (const contactId of [...new Set(input.contactIds)]) out.push({ contactId, result: await enrollContact(tx, ctx, { sequenceId: input.sequenceId, contactId, dealId: input.dealId }) });
    return out;
  });
}

// ── Changing an enrollment ──────────────────────────────────────────────────────────────────────────────────

type EndStatus = "completed" | "replied" | "bounced" | "unsubscribed" | "stopped";

/**
 * Ends a live enrollment (no-op if it already ended): sets the final status and reason, bumps the generation
 * so its pending step job does nothing, and cancels its rendered-but-unsent messages. Returns whether it ended now.
 */
export async function endEnrollment(db: Db, workspaceId: string, enrollmentId: string, status: EndStatus, reason: string | null, now: Date): Promise<boolean> {
  const [row] = await db
    .update(sequenceEnrollments)
    .set({ status, stopReason: reason, endedAt: now, nextRunAt: null, pausedUntil: null, generation: sql`${sequenceEnrollments.generation} + 1` })
    .where(and(eq(sequenceEnrollments.workspaceId, workspaceId), eq(sequenceEnrollments.id, enrollmentId), inArray(sequenceEnrollments.status, ["active", "paused"])))
    .returning({ id: sequenceEnrollments.id });
  if (!row) return false;
  // Outgoing webhooks: an enrollment that ends before its last step (reply, bounce, unsubscribe, removal) stopped.
  if (status !== "completed") await enqueueWebhookDeliveries(db, { workspaceId, now }, "enrollment.stopped", enrollmentId, { data: { status, reason } });
  // The last step's message, rendered just before the enrollment completes, still goes out.
  if (reason === "all_steps_done") return true;
  await db
    .update(messages)
    .set({ status: "cancelled", claimedUntil: null })
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.enrollmentId, enrollmentId), eq(messages.status, "queued")));
  return true;
}

/** Pauses a live enrollment until `until` (auto-reply) or indefinitely; a paused one sends nothing. */
export async function pauseEnrollment(db: Db, workspaceId: string, enrollmentId: string, until: Date | null): Promise<boolean> {
  const [row] = await db
    .update(sequenceEnrollments)
    .set({ status: "paused", pausedUntil: until, generation: sql`${sequenceEnrollments.generation} + 1` })
    .where(and(eq(sequenceEnrollments.workspaceId, workspaceId), eq(sequenceEnrollments.id, enrollmentId), inArray(sequenceEnrollments.status, ["active", "paused"])))
    .returning({ id: sequenceEnrollments.id, generation: sequenceEnrollments.generation });
  if (!row) return false;
  if (until) {
    await enqueueJob(db, {
      kind: "sequence-resume",
      workspaceId,
      payload: { enrollmentId, generation: row.generation },
      runAt: until,
      idempotencyKey: `sequence-resume:${enrollmentId}:${row.generation}`,
    });
  }
  return true;
}

/** Resumes a paused enrollment: its next step runs at its planned time, or now if that has passed. */
export async function resumeEnrollment(db: Db, workspaceId: string, enrollmentId: string, now: Date, generation?: number): Promise<boolean> {
  const [row] = await db
    .update(sequenceEnrollments)
    .set({ status: "active", pausedUntil: null, generation: sql`${sequenceEnrollments.generation} + 1` })
    .where(
      and(
        eq(sequenceEnrollments.workspaceId, workspaceId),
        eq(sequenceEnrollments.id, enrollmentId),
        eq(sequenceEnrollments.status, "paused"),
        generation === undefined ? undefined : eq(sequenceEnrollments.generation, generation),
      ),
    )
    .returning();
  if (!row) return false;
  const runAt = row.nextRunAt && row.nextRunAt.getTime() > now.getTime() ? row.nextRunAt : now;
  await db.update(sequenceEnrollments).set({ nextRunAt: runAt }).where(eq(sequenceEnrollments.id, row.id));
  await scheduleStep(db, workspaceId, row, row.nextStep, runAt);
  return true;
}

/**
 * A member's change to one enrollment: pause, resume, remove (stopped, "removed") or finish now (completed,
 * "finished_now": no further step runs). Not found when the enrollment is not in the workspace, or is a
 * colleague's and the member is limited to their own deals (the lists never show it to them either).
 */
export async function changeEnrollment(ctx: Ctx, input: { enrollmentId: string; action: "pause" | "resume" | "remove" | "finish" }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: sequenceEnrollments.id, status: sequenceEnrollments.status })
      .from(sequenceEnrollments)
      .where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.id, input.enrollmentId), ownEnrollments(ctx)))
      .for("update");
    if (!row) throw notFound();
    let changed = false;
    if (input.action === "pause") changed = row.status === "active" && (await pauseEnrollment(tx, ctx.workspaceId, row.id, null));
    if (input.action === "resume") changed = await resumeEnrollment(tx, ctx.workspaceId, row.id, ctx.now);
    if (input.action === "remove") changed = await endEnrollment(tx, ctx.workspaceId, row.id, "stopped", "removed", ctx.now);
    if (input.action === "finish") changed = await endEnrollment(tx, ctx.workspaceId, row.id, "completed", "finished_now", ctx.now);
    if (!changed) throw validation("sequenceEnrollmentNotLive");
  });
}

// ── Stops caused by what happens elsewhere ──────────────────────────────────────────────────────────────────

/**
 * Unsubscribes a contact (one-click link, SMS STOP): sets `unsubscribed_at` once, ends every live enrollment of
 * sequences that stop on unsubscribe (the others go on with their task steps only: no email or SMS is ever sent
 * to an unsubscribed contact) and emits `contact.unsubscribed`.
 */
export async function unsubscribeContact(db: Db, ctx: EmitCtx, contactId: string): Promise<boolean> {
  const [row] = await db
    .update(contacts)
    .set({ unsubscribedAt: ctx.now })
    .where(and(eq(contacts.workspaceId, ctx.workspaceId), eq(contacts.id, contactId), isNull(contacts.unsubscribedAt)))
    .returning({ id: contacts.id });
  if (!row) return false;
  const live = await db
    .select({ id: sequenceEnrollments.id })
    .from(sequenceEnrollments)
    .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
    .where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.contactId, contactId), inArray(sequenceEnrollments.status, ["active", "paused"]), eq(sequences.stopOnUnsubscribe, true)));
  for (const e of live) await endEnrollment(db, ctx.workspaceId, e.id, "unsubscribed", "unsubscribed", ctx.now);
  await emitEvent(db, ctx, { type: "contact.unsubscribed", subjectId: contactId, actorId: null });
  return true;
}
