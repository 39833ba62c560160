import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { contacts, deals } from "./crm";
import { id, createdAt, workspaceId } from "./columns";

export const sequenceStepKindEnum = pgEnum("sequence_step_kind", ["email", "sms", "task"]);
export const sequenceDelayUnitEnum = pgEnum("sequence_delay_unit", ["minutes", "hours", "business_days"]);
/**
 * active → (paused ⇄ active) → completed | replied | bounced | unsubscribed | stopped. `stopped` carries a
 * `stop_reason` (removed, finished_now, meeting_booked, deal_won, deal_lost, company_replied, …).
 */
export const enrollmentStatusEnum = pgEnum("enrollment_status", ["active", "paused", "completed", "replied", "bounced", "unsubscribed", "stopped"]);
export const messageChannelEnum = pgEnum("message_channel", ["email", "sms"]);
/**
 * The send state machine of an outbox row: queued (rendered, nobody sending) → sending (claimed under a lease)
 * → sent (the provider accepted it) | captured (no SMTP/SMS settings: kept for the Outbox page) | failed
 * (refused, attempts used up) | cancelled (the enrollment stopped before it went out).
 */
export const messageStatusEnum = pgEnum("message_status", ["queued", "sending", "sent", "captured", "failed", "cancelled"]);
export const inboundKindEnum = pgEnum("inbound_kind", ["reply", "auto_reply", "bounce", "opt_out"]);

/** A cadence: ordered steps plus when and how it may send, and what stops it. */
export const sequences = pgTable(
  "sequences",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    description: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Sending window: ISO weekdays (1 = Monday … 7 = Sunday) and local minutes of the day [start, end). */
    windowDays: jsonb().$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
    windowStartMinute: integer().notNull().default(540),
    windowEndMinute: integer().notNull().default(1020),
    /** Emails per sender (the enrollment's owner) per day in the workspace's time zone. */
    dailyLimit: integer().notNull().default(200),
    stopOnMeeting: boolean().notNull().default(true),
    stopOnDealWon: boolean().notNull().default(true),
    stopOnDealLost: boolean().notNull().default(true),
    stopOnUnsubscribe: boolean().notNull().default(true),
    stopOnBounce: boolean().notNull().default(true),
    /** A reply from one contact stops the active enrollments of everyone at the same company. */
    stopCompanyOnReply: boolean().notNull().default(false),
    /** An out-of-office reply pauses the enrollment for this many days. */
    autoReplyPauseDays: integer().notNull().default(3),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sequences_ws_idx").on(t.workspaceId, t.createdAt),
    check("sequences_window", sql`${t.windowStartMinute} >= 0 and ${t.windowEndMinute} <= 1440 and ${t.windowStartMinute} < ${t.windowEndMinute}`),
  ],
);

/** One step of a sequence, run `delay` after the previous one (or after enrolment for the first). */
export const sequenceSteps = pgTable(
  "sequence_steps",
  {
    id: id(),
    workspaceId: workspaceId(),
    sequenceId: uuid()
      .notNull()
      .references(() => sequences.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    kind: sequenceStepKindEnum().notNull(),
    delayAmount: integer().notNull().default(0),
    delayUnit: sequenceDelayUnitEnum().notNull().default("business_days"),
    /** Email: send as a reply in the thread of the sequence's previous email (same subject, In-Reply-To). */
    threadReply: boolean().notNull().default(false),
    /** Task: the activity type created for the rep (call, task, meeting, …). */
    taskType: text(),
    createdAt: createdAt(),
  },
  (t) => [index("sequence_steps_ws_seq_idx").on(t.workspaceId, t.sequenceId, t.position)],
);

/** The content of a step; an email step may have several (A/B test), every other step has exactly one. */
export const sequenceStepVariants = pgTable(
  "sequence_step_variants",
  {
    id: id(),
    workspaceId: workspaceId(),
    stepId: uuid()
      .notNull()
      .references(() => sequenceSteps.id, { onDelete: "cascade" }),
    position: integer().notNull().default(0),
    /** Email subject / task title; empty for SMS. */
    subject: text().notNull().default(""),
    body: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("sequence_step_variants_ws_step_idx").on(t.workspaceId, t.stepId, t.position)],
);

/** A contact going through a sequence. Never two active (or paused) enrollments of one contact in one sequence. */
export const sequenceEnrollments = pgTable(
  "sequence_enrollments",
  {
    id: id(),
    workspaceId: workspaceId(),
    sequenceId: uuid()
      .notNull()
      .references(() => sequences.id, { onDelete: "cascade" }),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    dealId: uuid().references(() => deals.id, { onDelete: "set null" }),
    /** The sender: emails go out from this member's address and count against their daily limit. */
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    enrolledBy: uuid().references(() => users.id, { onDelete: "set null" }),
    status: enrollmentStatusEnum().notNull().default("active"),
    stopReason: text(),
    /** Position of the next step to run (= number of steps done). */
    nextStep: integer().notNull().default(0),
    nextRunAt: timestamp({ withTimezone: true }),
    /** Bumped whenever the schedule changes (pause, resume, retry later); a step job of an older generation does nothing. */
    generation: integer().notNull().default(0),
    /** Ordinal of the enrolment within its sequence: variant = ordinal mod variant count (an even split). */
    ordinal: integer().notNull().default(0),
    /** An auto-reply paused it until then. */
    pausedUntil: timestamp({ withTimezone: true }),
    enrolledAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("sequence_enrollments_one_live_idx").on(t.workspaceId, t.sequenceId, t.contactId).where(sql`${t.status} in ('active', 'paused')`),
    index("sequence_enrollments_ws_seq_idx").on(t.workspaceId, t.sequenceId, t.status),
    index("sequence_enrollments_ws_contact_idx").on(t.workspaceId, t.contactId),
    index("sequence_enrollments_ws_deal_idx").on(t.workspaceId, t.dealId),
  ],
);

/**
 * The outbox: a sequence email or SMS rendered before it is sent, one per enrollment and step. The row's
 * status is the send state machine (see messageStatusEnum); `attempts` counts claims and fences late writers.
 */
export const messages = pgTable(
  "messages",
  {
    id: id(),
    workspaceId: workspaceId(),
    enrollmentId: uuid()
      .notNull()
      .references(() => sequenceEnrollments.id, { onDelete: "cascade" }),
    stepId: uuid().references(() => sequenceSteps.id, { onDelete: "set null" }),
    variantId: uuid().references(() => sequenceStepVariants.id, { onDelete: "set null" }),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    senderId: uuid().references(() => users.id, { onDelete: "set null" }),
    channel: messageChannelEnum().notNull(),
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull().default(""),
    text: text().notNull(),
    html: text(),
    /** Extra headers sent as-is (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Our RFC 5322 Message-ID (with angle brackets), chosen at render time so a resend keeps it. */
    messageIdHeader: text(),
    inReplyTo: text(),
    references: jsonb().$type<string[]>().notNull().default([]),
    status: messageStatusEnum().notNull().default("queued"),
    attempts: integer().notNull().default(0),
    claimedUntil: timestamp({ withTimezone: true }),
    /** The SMS provider's id of the sent message. */
    providerId: text(),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    repliedAt: timestamp({ withTimezone: true }),
    bouncedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_enrollment_step_idx").on(t.enrollmentId, t.stepId),
    uniqueIndex("messages_message_id_idx").on(t.messageIdHeader),
    index("messages_ws_created_idx").on(t.workspaceId, t.createdAt),
    index("messages_ws_contact_idx").on(t.workspaceId, t.contactId),
    // The sender's emails of the day, for the daily limit (lib/sequences/runner.ts, sentToday): one range per
    // sender instead of every message of the workspace's day.
    index("messages_ws_sender_created_idx").on(t.workspaceId, t.senderId, t.createdAt).where(sql`${t.channel} = 'email'`),
  ],
);

/** What came back: replies, out-of-office answers, bounces and SMS opt-outs, once per provider message id. */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    id: id(),
    workspaceId: workspaceId(),
    channel: messageChannelEnum().notNull(),
    kind: inboundKindEnum().notNull(),
    contactId: uuid().references(() => contacts.id, { onDelete: "cascade" }),
    enrollmentId: uuid().references(() => sequenceEnrollments.id, { onDelete: "set null" }),
    messageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    fromAddress: text().notNull(),
    subject: text().notNull().default(""),
    text: text().notNull().default(""),
    /** The inbound Message-ID (email) or provider sid (SMS): a redelivered webhook is recorded once. */
    externalId: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("inbound_messages_ws_external_idx").on(t.workspaceId, t.externalId),
    index("inbound_messages_ws_contact_idx").on(t.workspaceId, t.contactId, t.receivedAt),
  ],
);
