import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { activities, contacts, messages, sequenceEnrollments, sequenceStepVariants, sequenceSteps, sequences, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { safeTimeZone } from "../activities/time";
import { enqueueJob, type NewJob } from "../jobs/enqueue";
import { rows } from "@/db/migrate";
import { endEnrollment, resumeEnrollment, scheduleStep } from "./commands";
import { loadMergeValues, senderAddress, type SenderAddress } from "./merge";
import { escapeHtml, renderEmailHtml, renderTemplate, type MergeValues } from "./template";
import { unsubscribePageUrl, unsubscribePostUrl, unsubscribeToken } from "./unsubscribe";
import { addDelay, nextLocalDay, nextWindowStart, SMS_QUIET, smsWindow, startOfLocalDay, type SendingWindow } from "./window";
import enMessages from "../i18n/messages/en/sequences.json";
import zhMessages from "../i18n/messages/zh-CN/sequences.json";

/*
 * Running sequences, in the engine's jobs:
 *   sequence-step     { enrollmentId, step, generation }  transactional: decides, renders the message into the
 *                     `messages` outbox (unique per enrollment and step), enqueues its delivery and the next step —
 *                     all in the job's transaction, so a crash before commit leaves nothing and the job runs again.
 *   sequence-deliver  { messageId }  not transactional: claims the outbox row (queued → sending, under a lease),
 *                     sends it, marks it sent/captured. A runner that dies after claiming leaves a lease that
 *                     expires, then the row is claimed again; the Message-ID chosen at render time never changes.
 *   sequence-resume   { enrollmentId, generation }  ends an auto-reply pause.
 *   sequence-stops    periodic: stops live enrollments whose contact booked a meeting or whose deal was won/lost.
 * The engine runs step and delivery jobs in batches (decision 54): ./step-batch.ts renders many steps with the
 * outcome runSequenceStep gives each (and hands it the rare cases), ./delivery.ts claims and sends many messages.
 */

// Delivery (sequence-deliver) lives in ./delivery.ts; its limits are re-exported here for existing callers.
export { DELIVERY_LEASE_MS, DELIVERY_MAX_ATTEMPTS, deliverMessage, type DeliveryOutcome } from "./delivery";

const catalogs = { en: enMessages, "zh-CN": zhMessages } as const;
const translators = new Map<string, ReturnType<typeof createMailText>>();
const createMailText = (l: keyof typeof catalogs) => createTranslator({ locale: l, messages: { sequences: catalogs[l] }, namespace: "sequences.mail" });
/** The footer texts of a message in the sender's locale (one translator per locale, kept). */
function mailText(locale: string | null) {
  const l = locale === "zh-CN" ? "zh-CN" : "en";
  let t = translators.get(l);
  if (!t) translators.set(l, (t = createMailText(l)));
  return t;
}

/**
 * How many emails the sender (the enrollment's owner; null: none) has rendered since `dayStart` in the workspace —
 * cancelled ones aside: rendered emails count, they will go out — counting no further than `cap` (the daily
 * limit: beyond it the answer is the same). One range of messages_ws_sender_created_idx, so a busy day costs
 * at most `cap` index entries per count instead of every message of the day.
 */
export async function sentToday(db: Db, workspaceId: string, senderId: string | null, dayStart: Date, cap: number): Promise<number> {
  const [row] = rows<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from (
      select 1 from ${messages}
      where ${messages.workspaceId} = ${workspaceId} and ${senderId ? sql`${messages.senderId} = ${senderId}` : sql`${messages.senderId} is null`}
        and ${messages.channel} = 'email' and ${messages.createdAt} >= ${dayStart.toISOString()}::timestamptz and ${messages.status} <> 'cancelled'
      limit ${Math.max(0, cap)}) as today`),
  );
  return Number(row?.n ?? 0);
}

export type StepOutcome = "skipped" | "rescheduled" | "ran" | "ended";

async function end(...args: Parameters<typeof endEnrollment>): Promise<StepOutcome> {
  await endEnrollment(...args);
  return "ended";
}

/** The live enrollment's stop reason from what happened since it was enrolled, or null. */
export function stopConditionSql() {
  const e = sequenceEnrollments;
  const s = sequences;
  return sql<string | null>`case
    when ${s.stopOnMeeting} and exists (select 1 from activities a where a.workspace_id = ${e.workspaceId} and a.type = 'meeting' and a.origin <> 'sequence'
      and a.created_at > ${e.enrolledAt} and (a.contact_id = ${e.contactId} or (${e.dealId} is not null and a.deal_id = ${e.dealId}))) then 'meeting_booked'
    when ${s.stopOnDealWon} and exists (select 1 from deals d where d.workspace_id = ${e.workspaceId} and d.deleted_at is null and d.status = 'won'
      and d.closed_at > ${e.enrolledAt} and (d.id = ${e.dealId} or d.contact_id = ${e.contactId})) then 'deal_won'
    when ${s.stopOnDealLost} and exists (select 1 from deals d where d.workspace_id = ${e.workspaceId} and d.deleted_at is null and d.status = 'lost'
      and d.closed_at > ${e.enrolledAt} and (d.id = ${e.dealId} or d.contact_id = ${e.contactId})) then 'deal_lost'
    else null end`;
}

/** Stops every live enrollment (of any workspace) whose stop event happened; returns how many stopped. */
export async function runStopSweep(db: Db, now: Date, limit = 500): Promise<number> {
  const reason = stopConditionSql();
  const due = await db
    .select({ id: sequenceEnrollments.id, workspaceId: sequenceEnrollments.workspaceId, reason })
    .from(sequenceEnrollments)
    .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
    .where(and(inArray(sequenceEnrollments.status, ["active", "paused"]), sql`${reason} is not null`))
    .limit(limit);
  let stopped = 0;
  for (const d of due) if (await endEnrollment(db, d.workspaceId, d.id, "stopped", d.reason!, now)) stopped += 1;
  return stopped;
}

/**
 * Runs step `step` of an enrollment if the job is still current (same generation, the enrollment active and at
 * that step). Inside the job's transaction.
 */
export async function runSequenceStep(db: Db, now: Date, payload: { enrollmentId: string; step: number; generation: number }): Promise<StepOutcome> {
  const [e] = await db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.id, payload.enrollmentId)).for("update");
  if (!e || e.status !== "active" || e.generation !== payload.generation || e.nextStep !== payload.step) return "skipped";
  const [row] = await db
    .select({ sequence: sequences, reason: stopConditionSql(), wsTimeZone: workspaces.timeZone })
    .from(sequenceEnrollments)
    .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
    .innerJoin(workspaces, eq(workspaces.id, sequenceEnrollments.workspaceId))
    .where(eq(sequenceEnrollments.id, e.id));
  if (!row) return "skipped";
  const { sequence: seq, reason, wsTimeZone } = row;
  if (seq.archivedAt) return end(db, e.workspaceId, e.id, "stopped", "archived", now);
  if (reason) return end(db, e.workspaceId, e.id, "stopped", reason, now);
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, e.workspaceId), eq(contacts.id, e.contactId)));
  if (!contact) return end(db, e.workspaceId, e.id, "stopped", "contact_deleted", now);
  const steps = await db.select().from(sequenceSteps).where(and(eq(sequenceSteps.workspaceId, e.workspaceId), eq(sequenceSteps.sequenceId, seq.id))).orderBy(asc(sequenceSteps.position));
  const step = steps[e.nextStep];
  if (!step) return end(db, e.workspaceId, e.id, "completed", "all_steps_done", now);
  const tz = safeTimeZone(contact.timeZone ?? wsTimeZone);

  if (step.kind === "email" || step.kind === "sms") {
    if (contact.unsubscribedAt) {
      if (seq.stopOnUnsubscribe) return end(db, e.workspaceId, e.id, "unsubscribed", "unsubscribed", now);
      return advance(db, e, steps, tz, now); // never email or text an unsubscribed contact: skip the step
    }
    const address = step.kind === "email" ? contact.email?.trim() : contact.phone?.trim();
    if (!address) return end(db, e.workspaceId, e.id, "stopped", step.kind === "email" ? "no_email" : "no_phone", now);

    const base: SendingWindow = { days: seq.windowDays, startMinute: seq.windowStartMinute, endMinute: seq.windowEndMinute };
    const window = step.kind === "sms" ? (smsWindow(base) ?? { days: base.days, ...SMS_QUIET }) : base;
    let at = nextWindowStart(now, window, tz);
    if (!at) return end(db, e.workspaceId, e.id, "stopped", "no_sending_window", now);
    if (at.getTime() <= now.getTime() && step.kind === "email") {
      // The sender's daily limit, counted over the workspace's local day (rendered emails count: they will go out).
      const wsTz = safeTimeZone(wsTimeZone);
      const count = await sentToday(db, e.workspaceId, e.ownerId, startOfLocalDay(now, wsTz), seq.dailyLimit);
      if (count >= seq.dailyLimit) at = nextWindowStart(nextLocalDay(now, wsTz), window, tz);
      if (!at) return end(db, e.workspaceId, e.id, "stopped", "no_sending_window", now);
    }
    if (at.getTime() > now.getTime()) {
      await db.update(sequenceEnrollments).set({ nextRunAt: at }).where(eq(sequenceEnrollments.id, e.id));
      await scheduleStep(db, e.workspaceId, e, e.nextStep, at);
      return "rescheduled";
    }
    await renderMessage(db, now, e, step, contact, address, seq.name);
    return advance(db, e, steps, tz, now);
  }

  // A manual task: an activity for the sender (the rep), due now, linked to the contact and deal.
  const variants = await db.select().from(sequenceStepVariants).where(eq(sequenceStepVariants.stepId, step.id)).orderBy(asc(sequenceStepVariants.position));
  const variant = variants[0];
  const merge = await loadMergeValues(db, e.workspaceId, { contactId: contact.id, dealId: e.dealId, ownerId: e.ownerId });
  const subject = renderTemplate(variant?.subject ?? "", merge?.values ?? {}).slice(0, 300) || seq.name;
  const type = (["call", "task", "meeting", "email"] as const).find((t) => t === step.taskType) ?? "task";
  await db.insert(activities).values({
    workspaceId: e.workspaceId,
    type,
    subject,
    notes: variant?.body ? renderTemplate(variant.body, merge?.values ?? {}) : null,
    dueAt: now,
    assigneeId: e.ownerId,
    dealId: e.dealId,
    contactId: contact.id,
    origin: "sequence",
    createdBy: e.enrolledBy,
    createdAt: now,
    updatedAt: now,
  });
  return advance(db, e, steps, tz, now);
}

/** Moves the enrollment past its current step: schedules the next one after its delay, or completes it. */
async function advance(db: Db, e: typeof sequenceEnrollments.$inferSelect, steps: (typeof sequenceSteps.$inferSelect)[], tz: string, now: Date): Promise<StepOutcome> {
  const nextIndex = e.nextStep + 1;
  const next = steps[nextIndex];
  if (!next) {
    await db.update(sequenceEnrollments).set({ nextStep: nextIndex }).where(eq(sequenceEnrollments.id, e.id));
    await endEnrollment(db, e.workspaceId, e.id, "completed", "all_steps_done", now);
    return "ran";
  }
  const runAt = addDelay(now, next.delayAmount, next.delayUnit, tz);
  await db.update(sequenceEnrollments).set({ nextStep: nextIndex, nextRunAt: runAt }).where(eq(sequenceEnrollments.id, e.id));
  await scheduleStep(db, e.workspaceId, e, nextIndex, runAt);
  return "ran";
}

/** Everything a message is composed from, read beforehand (one step's reads, or a batch's set-based ones). */
export type MessageInputs = {
  enrollment: typeof sequenceEnrollments.$inferSelect;
  step: typeof sequenceSteps.$inferSelect;
  /** The step's variants in position order; the enrollment's ordinal picks one. */
  variants: (typeof sequenceStepVariants.$inferSelect)[];
  contact: typeof contacts.$inferSelect;
  /** The contact's email address or phone number, trimmed. */
  address: string;
  sequenceName: string;
  values: MergeValues;
  /** The sender's (owner's) locale, for the footer texts. */
  locale: string | null;
  sender: SenderAddress;
  /** For a threaded email step: the enrollment's latest email that was not cancelled. */
  previous: Pick<typeof messages.$inferSelect, "subject" | "messageIdHeader" | "references"> | null;
};

/**
 * The outbox row of one email or SMS, pure: a new id and Message-ID, the variant chosen by the enrollment's
 * ordinal (modulo the number of variants, so enrollments split evenly), merged subject and bodies, the
 * unsubscribe footer and one-click headers, and for a threaded step the previous email's subject and thread.
 */
export function composeMessage(now: Date, m: MessageInputs): typeof messages.$inferInsert {
  const { enrollment: e, step, contact, values } = m;
  const variant = m.variants.length ? m.variants[e.ordinal % m.variants.length]! : null;
  const t = mailText(m.locale);
  const id = randomUUID();
  const body = renderTemplate(variant?.body ?? "", values);

  let values_: Partial<typeof messages.$inferInsert>;
  if (step.kind === "email") {
    const token = unsubscribeToken(id);
    const domain = m.sender.address.split("@")[1] ?? "pipewise.local";
    const messageIdHeader = `<seq.${id}@${domain}>`;
    let subject = renderTemplate(variant?.subject ?? "", values);
    let inReplyTo: string | null = null;
    let references: string[] = [];
    if (step.threadReply && m.previous?.messageIdHeader) {
      const previous = m.previous;
      subject = /^re:/i.test(previous.subject) ? previous.subject : `Re: ${previous.subject}`;
      inReplyTo = previous.messageIdHeader;
      references = [...previous.references, previous.messageIdHeader!];
    }
    if (!subject.trim()) subject = m.sequenceName;
    const pageUrl = unsubscribePageUrl(token);
    values_ = {
      subject,
      text: `${body}\n\n--\n${t("unsubscribeText", { url: pageUrl })}`,
      html: renderEmailHtml(variant?.body ?? "", values, `<p style="margin-top:24px;font-size:12px;color:#71717a"><a href="${escapeHtml(pageUrl)}" style="color:#71717a">${escapeHtml(t("unsubscribeLink"))}</a></p>`),
      messageIdHeader,
      inReplyTo,
      references,
      headers: { "List-Unsubscribe": `<${unsubscribePostUrl(token)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    };
  } else {
    values_ = { subject: "", text: `${body}\n${t("smsStop")}`, html: null, headers: {} };
  }
  return {
    id,
    workspaceId: e.workspaceId,
    enrollmentId: e.id,
    stepId: step.id,
    variantId: variant?.id ?? null,
    contactId: contact.id,
    senderId: e.ownerId,
    channel: step.kind as "email" | "sms",
    fromAddress: step.kind === "email" ? m.sender.address : (process.env.SMS_FROM ?? ""),
    toAddress: m.address,
    text: "",
    ...values_,
    status: "queued",
    createdAt: now,
  };
}

/** The delivery job of a rendered message (one per message: its key). */
export const deliveryJob = (message: { id: string; workspaceId: string }, now: Date): NewJob => ({
  kind: "sequence-deliver",
  workspaceId: message.workspaceId,
  payload: { messageId: message.id },
  runAt: now,
  idempotencyKey: `sequence-deliver:${message.id}`,
});

/**
 * Renders one email or SMS into the outbox (once: unique per enrollment and step) and enqueues its delivery.
 * The variant is the enrollment's ordinal modulo the number of variants, so enrollments split evenly.
 */
async function renderMessage(
  db: Db,
  now: Date,
  e: typeof sequenceEnrollments.$inferSelect,
  step: typeof sequenceSteps.$inferSelect,
  contact: typeof contacts.$inferSelect,
  address: string,
  seqName: string,
): Promise<void> {
  const variants = await db.select().from(sequenceStepVariants).where(eq(sequenceStepVariants.stepId, step.id)).orderBy(asc(sequenceStepVariants.position));
  const [owner] = e.ownerId ? await db.select({ locale: users.locale }).from(users).where(eq(users.id, e.ownerId)) : [];
  const merge = await loadMergeValues(db, e.workspaceId, { contactId: contact.id, dealId: e.dealId, ownerId: e.ownerId, locale: owner?.locale ?? "en" });
  const sender = await senderAddress(db, e.ownerId, e.workspaceId);
  const [previous] =
    step.kind === "email" && step.threadReply
      ? await db
          .select()
          .from(messages)
          .where(and(eq(messages.enrollmentId, e.id), eq(messages.channel, "email"), ne(messages.status, "cancelled")))
          .orderBy(desc(messages.createdAt))
          .limit(1)
      : [];
  const message = composeMessage(now, { enrollment: e, step, variants, contact, address, sequenceName: seqName, values: merge?.values ?? {}, locale: owner?.locale ?? null, sender, previous: previous ?? null });
  const [row] = await db.insert(messages).values(message).onConflictDoNothing().returning({ id: messages.id });
  if (row) await enqueueJob(db, deliveryJob({ id: row.id, workspaceId: e.workspaceId }, now));
}

/** Ends an auto-reply pause if it is still the same pause (generation). */
export async function runResume(db: Db, now: Date, payload: { enrollmentId: string; generation: number }): Promise<boolean> {
  const [e] = await db.select({ workspaceId: sequenceEnrollments.workspaceId }).from(sequenceEnrollments).where(eq(sequenceEnrollments.id, payload.enrollmentId));
  if (!e) return false;
  return resumeEnrollment(db, e.workspaceId, payload.enrollmentId, now, payload.generation);
}

/** Marks a message whose delivery job died as failed (so it is not "queued" forever). */
export async function failDelivery(db: Db, messageId: string, error: string): Promise<void> {
  await db.update(messages).set({ status: "failed", claimedUntil: null, lastError: error.slice(0, 500) }).where(and(eq(messages.id, messageId), inArray(messages.status, ["queued", "sending"])));
}
