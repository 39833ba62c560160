import "server-only";
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { contacts, messages, sequenceEnrollments, sequenceStepVariants, sequenceSteps, sequences, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { safeTimeZone } from "../activities/time";
import { enqueueJobs, type NewJob } from "../jobs/enqueue";
import { stepJob } from "./commands";
import { loadMergeValuesMany, senderAddresses } from "./merge";
import { composeMessage, deliveryJob, runSequenceStep, sentToday, stopConditionSql, type MessageInputs } from "./runner";
import { addDelay, nextLocalDay, nextWindowStart, SMS_QUIET, smsWindow, startOfLocalDay, type SendingWindow } from "./window";

export type StepPayload = { enrollmentId: string; step: number; generation: number };

type Enrollment = typeof sequenceEnrollments.$inferSelect;
type Step = typeof sequenceSteps.$inferSelect;
type Contact = typeof contacts.$inferSelect;
type Sequence = typeof sequences.$inferSelect;

/** A current step job the set-based path handles: it renders now, or waits for the window / the next day. */
type Plan = { e: Enrollment; seq: Sequence; wsTimeZone: string; contact: Contact; steps: Step[]; step: Step; tz: string; address: string; window: SendingWindow; at: Date };

/**
 * Runs many sequence-step jobs inside the batch's transaction, with the outcome runSequenceStep would give each
 * of them, in a handful of statements for the whole batch: the enrollments are locked together (in id order,
 * so two runners cannot deadlock on them), their sequences, stop conditions, contacts and steps read with one
 * query each; due emails and SMS are composed in memory and written with one insert (outbox rows), one insert
 * (their delivery jobs and the next steps' jobs) and two updates (enrollments advanced or held, enrollments
 * completed). The sender's daily limit is counted once per sender for the batch (capped at the limit) and
 * then carried through it in memory, in job order, so a batch never renders past the limit.
 *
 * What is rare or has side effects of its own — an end (stop condition, archived sequence, deleted contact,
 * unsubscribed, no address, no window, last step done without a message), a task step, two jobs of one
 * enrollment in the batch — runs through runSequenceStep itself, one job at a time after the set-based part
 * (so its daily-limit count sees what the batch rendered). Jobs of an older schedule do nothing, as there.
 */
export async function runSequenceSteps(db: Db, now: Date, list: StepPayload[]): Promise<void> {
  if (list.length === 0) return;
  const enrollmentIds = [...new Set(list.map((p) => p.enrollmentId))];
  const locked = await db.select().from(sequenceEnrollments).where(inArray(sequenceEnrollments.id, enrollmentIds)).orderBy(asc(sequenceEnrollments.id)).for("update");
  const enrollmentById = new Map(locked.map((e) => [e.id, e]));
  const jobsPerEnrollment = new Map<string, number>();
  for (const p of list) jobsPerEnrollment.set(p.enrollmentId, (jobsPerEnrollment.get(p.enrollmentId) ?? 0) + 1);

  const alone: StepPayload[] = [];
  const current: Enrollment[] = [];
  for (const p of list) {
    if (jobsPerEnrollment.get(p.enrollmentId)! > 1) alone.push(p);
    else {
      const e = enrollmentById.get(p.enrollmentId);
      if (e && e.status === "active" && e.generation === p.generation && e.nextStep === p.step) current.push(e);
    }
  }

  const heads = current.length
    ? await db
        .select({ id: sequenceEnrollments.id, sequence: sequences, reason: stopConditionSql(), wsTimeZone: workspaces.timeZone })
        .from(sequenceEnrollments)
        .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
        .innerJoin(workspaces, eq(workspaces.id, sequenceEnrollments.workspaceId))
        .where(inArray(sequenceEnrollments.id, current.map((e) => e.id)))
    : [];
  const headById = new Map(heads.map((h) => [h.id, h]));
  const contactIds = [...new Set(current.map((e) => e.contactId))];
  const contactRows = contactIds.length ? await db.select().from(contacts).where(inArray(contacts.id, contactIds)) : [];
  const contactById = new Map(contactRows.map((c) => [c.id, c]));
  const sequenceIds = [...new Set(heads.map((h) => h.sequence.id))];
  const stepRows = sequenceIds.length ? await db.select().from(sequenceSteps).where(inArray(sequenceSteps.sequenceId, sequenceIds)).orderBy(asc(sequenceSteps.position)) : [];

  // Which path each current job takes. The checks are runSequenceStep's, in its order.
  const plans: Plan[] = [];
  for (const e of current) {
    const head = headById.get(e.id);
    if (!head) continue; // runSequenceStep: "skipped"
    const { sequence: seq, reason, wsTimeZone } = head;
    const contact = contactById.get(e.contactId);
    const steps = stepRows.filter((s) => s.sequenceId === seq.id && s.workspaceId === e.workspaceId);
    const step = steps[e.nextStep];
    const payload = { enrollmentId: e.id, step: e.nextStep, generation: e.generation };
    if (seq.archivedAt || reason || !contact || contact.workspaceId !== e.workspaceId || !step || step.kind === "task" || contact.unsubscribedAt) {
      alone.push(payload);
      continue;
    }
    const address = step.kind === "email" ? contact.email?.trim() : contact.phone?.trim();
    const tz = safeTimeZone(contact.timeZone ?? wsTimeZone);
    const base: SendingWindow = { days: seq.windowDays, startMinute: seq.windowStartMinute, endMinute: seq.windowEndMinute };
    const window = step.kind === "sms" ? (smsWindow(base) ?? { days: base.days, ...SMS_QUIET }) : base;
    const at = address ? nextWindowStart(now, window, tz) : null;
    if (!address || !at) {
      alone.push(payload);
      continue;
    }
    plans.push({ e, seq, wsTimeZone, contact, steps, step, tz, address, window, at });
  }

  // The daily limit: one capped count per sender of the batch, then counted on in job order.
  const dueEmails = plans.filter((p) => p.at.getTime() <= now.getTime() && p.step.kind === "email");
  const senderKey = (p: Plan) => `${p.e.workspaceId}:${p.e.ownerId ?? ""}`;
  const sentBySender = new Map<string, number>();
  for (const p of dueEmails) {
    const key = senderKey(p);
    if (sentBySender.has(key)) continue;
    const cap = Math.max(...dueEmails.filter((q) => senderKey(q) === key).map((q) => q.seq.dailyLimit));
    sentBySender.set(key, await sentToday(db, p.e.workspaceId, p.e.ownerId, startOfLocalDay(now, safeTimeZone(p.wsTimeZone)), cap));
  }
  const render: Plan[] = [];
  const held: Plan[] = [];
  for (const p of plans) {
    if (p.at.getTime() > now.getTime()) {
      held.push(p);
      continue;
    }
    if (p.step.kind === "email") {
      const key = senderKey(p);
      const sent = sentBySender.get(key)!;
      if (sent >= p.seq.dailyLimit) {
        const tomorrow = nextWindowStart(nextLocalDay(now, safeTimeZone(p.wsTimeZone)), p.window, p.tz);
        if (tomorrow) held.push({ ...p, at: tomorrow });
        else alone.push({ enrollmentId: p.e.id, step: p.e.nextStep, generation: p.e.generation });
        continue;
      }
      sentBySender.set(key, sent + 1);
    }
    render.push(p);
  }

  const newJobs: NewJob[] = [];
  const moves: { id: string; nextStep: number; runAt: Date }[] = [];
  const completed: string[] = [];
  for (const p of held) {
    moves.push({ id: p.e.id, nextStep: p.e.nextStep, runAt: p.at });
    newJobs.push(stepJob(p.e.workspaceId, p.e, p.e.nextStep, p.at));
  }

  if (render.length) {
    const stepIds = [...new Set(render.map((p) => p.step.id))];
    const variantRows = await db.select().from(sequenceStepVariants).where(inArray(sequenceStepVariants.stepId, stepIds)).orderBy(asc(sequenceStepVariants.position));
    const ownerIds = [...new Set(render.map((p) => p.e.ownerId).filter((id): id is string => !!id))];
    const owners = ownerIds.length ? await db.select({ id: users.id, locale: users.locale }).from(users).where(inArray(users.id, ownerIds)) : [];
    const localeOf = (ownerId: string | null) => (ownerId ? (owners.find((o) => o.id === ownerId)?.locale ?? null) : null);
    const threaded = render.filter((p) => p.step.kind === "email" && p.step.threadReply).map((p) => p.e.id);
    const previousRows = threaded.length
      ? await db
          .selectDistinctOn([messages.enrollmentId], { enrollmentId: messages.enrollmentId, subject: messages.subject, messageIdHeader: messages.messageIdHeader, references: messages.references })
          .from(messages)
          .where(and(inArray(messages.enrollmentId, threaded), eq(messages.channel, "email"), ne(messages.status, "cancelled")))
          .orderBy(messages.enrollmentId, desc(messages.createdAt))
      : [];
    const previousOf = new Map(previousRows.map((m) => [m.enrollmentId, m]));
    const composed: (typeof messages.$inferInsert)[] = [];
    for (const workspaceId of new Set(render.map((p) => p.e.workspaceId))) {
      const mine = render.filter((p) => p.e.workspaceId === workspaceId);
      const values = await loadMergeValuesMany(
        db,
        workspaceId,
        mine.map((p) => ({ contact: p.contact, dealId: p.e.dealId, ownerId: p.e.ownerId, locale: localeOf(p.e.ownerId) ?? "en" })),
      );
      const senders = await senderAddresses(db, workspaceId, mine.map((p) => p.e.ownerId));
      mine.forEach((p, i) => {
        const inputs: MessageInputs = {
          enrollment: p.e,
          step: p.step,
          variants: variantRows.filter((v) => v.stepId === p.step.id),
          contact: p.contact,
          address: p.address,
          sequenceName: p.seq.name,
          values: values[i]!,
          locale: localeOf(p.e.ownerId),
          sender: senders.get(p.e.ownerId)!,
          previous: previousOf.get(p.e.id) ?? null,
        };
        composed.push(composeMessage(now, inputs));
      });
    }
    // Unique per (enrollment, step): a message already rendered is not rendered again, nor delivered twice.
    const inserted = await db.insert(messages).values(composed).onConflictDoNothing().returning({ id: messages.id, workspaceId: messages.workspaceId });
    for (const m of inserted) newJobs.push(deliveryJob(m, now));
    for (const p of render) {
      const nextIndex = p.e.nextStep + 1;
      const next = p.steps[nextIndex];
      if (!next) {
        completed.push(p.e.id);
        continue;
      }
      const runAt = addDelay(now, next.delayAmount, next.delayUnit, p.tz);
      moves.push({ id: p.e.id, nextStep: nextIndex, runAt });
      newJobs.push(stepJob(p.e.workspaceId, p.e, nextIndex, runAt));
    }
  }

  if (moves.length) {
    const list_ = JSON.stringify(moves.map((m) => ({ id: m.id, next_step: m.nextStep, run_at: m.runAt.toISOString() })));
    await db.execute(sql`update ${sequenceEnrollments} set next_step = v.next_step, next_run_at = v.run_at
      from jsonb_to_recordset(${list_}::jsonb) as v(id uuid, next_step int, run_at timestamptz) where ${sequenceEnrollments.id} = v.id`);
  }
  if (completed.length) {
    // endEnrollment(…, "completed", "all_steps_done") after the step: no webhook, nothing to cancel (the last
    // step's message still goes out); the generation bump retires any other job of the enrollment.
    await db
      .update(sequenceEnrollments)
      .set({
        nextStep: sql`${sequenceEnrollments.nextStep} + 1`,
        status: "completed",
        stopReason: "all_steps_done",
        endedAt: now,
        nextRunAt: null,
        pausedUntil: null,
        generation: sql`${sequenceEnrollments.generation} + 1`,
      })
      .where(and(inArray(sequenceEnrollments.id, completed), inArray(sequenceEnrollments.status, ["active", "paused"])));
  }
  await enqueueJobs(db, newJobs);

  for (const p of alone) await runSequenceStep(db, now, p);
}
