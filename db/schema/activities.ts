import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { contacts, deals } from "./crm";
import { id, createdAt, workspaceId } from "./columns";

/** Built-in activity types; "custom" means the row names one of the workspace's own types (custom_type_id). */
export const activityTypeEnum = pgEnum("activity_type", ["call", "email", "meeting", "task", "deadline", "sms", "custom"]);
/** Who scheduled it: a person, a workflow action or a sequence step. */
export const activityOriginEnum = pgEnum("activity_origin", ["manual", "workflow", "sequence"]);
export const notificationKindEnum = pgEnum("notification_kind", ["activity_reminder", "activity_assigned", "message"]);
export const digestStatusEnum = pgEnum("digest_status", ["sending", "sent", "captured", "skipped", "failed"]);


/** A workspace's own activity types beside the built-in ones (e.g. "Site visit", "Demo"). Archived, never deleted. */
export const activityTypes = pgTable(
  "activity_types",
  {
    id: id(),
    workspaceId: workspaceId(),
    label: text().notNull(),
    position: integer().notNull().default(0),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("activity_types_ws_label_idx").on(t.workspaceId, sql`lower(${t.label})`)],
);

/**
 * A call, email, meeting, task or deadline to do. Timed activities have `due_at` (an instant); all-day ones have
 * `due_date` (a calendar date, the same day for everyone whatever their time zone). Exactly one of the two is set.
 */
export const activities = pgTable(
  "activities",
  {
    id: id(),
    workspaceId: workspaceId(),
    type: activityTypeEnum().notNull(),
    customTypeId: uuid().references(() => activityTypes.id, { onDelete: "restrict" }),
    subject: text().notNull(),
    notes: text(),
    dueAt: timestamp({ withTimezone: true }),
    dueDate: date({ mode: "string" }),
    durationMinutes: integer(),
    assigneeId: uuid().references(() => users.id, { onDelete: "set null" }),
    dealId: uuid().references(() => deals.id, { onDelete: "cascade" }),
    contactId: uuid().references(() => contacts.id, { onDelete: "set null" }),
    doneAt: timestamp({ withTimezone: true }),
    origin: activityOriginEnum().notNull().default("manual"),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("activities_ws_assignee_due_idx").on(t.workspaceId, t.assigneeId, t.dueAt),
    index("activities_ws_due_date_idx").on(t.workspaceId, t.dueDate),
    index("activities_ws_deal_idx").on(t.workspaceId, t.dealId),
    index("activities_ws_contact_idx").on(t.workspaceId, t.contactId),
    // The reminder runner's scan across workspaces: open timed activities by due time.
    index("activities_open_due_idx").on(t.dueAt).where(sql`${t.doneAt} is null`),
    check("activities_due_one_of", sql`(${t.dueAt} is null) <> (${t.dueDate} is null)`),
    check("activities_custom_type", sql`(${t.type} = 'custom') = (${t.customTypeId} is not null)`),
    check("activities_duration", sql`${t.durationMinutes} is null or ${t.durationMinutes} between 1 and 1440`),
  ],
);

/**
 * In-app notifications (the bell). `dedupe_key` makes every producer idempotent: a reminder's key names the
 * activity and the due time it reminds of, so running the reminder job twice inserts one row.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: notificationKindEnum().notNull(),
    activityId: uuid().references(() => activities.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** kind "message" (a workflow's "notify" action, a system notice): the text, written by a person or the app. */
    message: text(),
    /** kind "message": where clicking it leads, a path inside the workspace ("deals/<id>"). */
    link: text(),
    dedupeKey: text().notNull(),
    createdAt: createdAt(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_dedupe_idx").on(t.dedupeKey),
    index("notifications_ws_user_created_idx").on(t.workspaceId, t.userId, t.createdAt),
  ],
);

/** Per-user reminder settings (Settings → Profile). No row = the defaults below. */
export const notificationPreferences = pgTable("notification_preferences", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  remindersEnabled: boolean().notNull().default(true),
  /** How long before a timed activity's due time the bell reminds. */
  reminderLeadMinutes: integer().notNull().default(15),
  /** The 08:00 morning digest email. */
  digestEnabled: boolean().notNull().default(false),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** One row per user and local day: the morning digest's idempotency key, claim and outcome. */
export const activityDigests = pgTable(
  "activity_digests",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The user's local calendar date the digest is for. */
    localDate: date({ mode: "string" }).notNull(),
    status: digestStatusEnum().notNull(),
    attempts: integer().notNull().default(0),
    /** While "sending": another runner may take it over after this instant (the first one died). */
    claimedUntil: timestamp({ withTimezone: true }),
    itemCount: integer().notNull().default(0),
    messageId: text(),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("activity_digests_user_date_idx").on(t.userId, t.localDate)],
);
