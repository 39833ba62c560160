import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users, workspaces } from "./auth";
import { contacts } from "./crm";
import { domainEvents } from "./jobs";

/** Shapes are validated by lib/workflows/schema.ts (zod) before they are stored. */
type Json = Record<string, unknown>;

export const workflowRunStatusEnum = pgEnum("workflow_run_status", ["running", "completed", "failed", "skipped", "cancelled"]);

/**
 * A workflow: when `trigger` happens (an event type, optionally narrowed to a pipeline/stage) and `conditions`
 * hold, run `actions` in order. Only events that occur after it was last enabled (`enabled_at`) start runs.
 */
export const workflows = pgTable(
  "workflows",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    enabled: boolean().notNull().default(false),
    enabledAt: timestamp({ withTimezone: true }),
    trigger: jsonb().$type<Json>().notNull(),
    conditions: jsonb().$type<Json>().notNull(),
    actions: jsonb().$type<Json[]>().notNull(),
    /** Engine state that outlives a run, e.g. the round-robin position per action: { "<actionId>": 2 }. */
    state: jsonb().$type<Record<string, number>>().notNull().default({}),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("workflows_ws_name_idx").on(t.workspaceId, t.name),
    index("workflows_ws_trigger_idx").on(t.workspaceId, sql`(${t.trigger}->>'type')`).where(sql`${t.enabled}`),
  ],
);

/**
 * One run of a workflow for one event: the conditions' result, the actions as they were when it started, and
 * each action's outcome. `next_step` is the cursor that makes every step job idempotent.
 */
export const workflowRuns = pgTable(
  "workflow_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    workflowId: uuid()
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    eventId: bigint({ mode: "number" }).references(() => domainEvents.id, { onDelete: "set null" }),
    eventType: text().notNull(),
    subjectType: text().notNull(),
    subjectId: uuid().notNull(),
    status: workflowRunStatusEnum().notNull(),
    /** Why a run did nothing: "conditions" (not met), "loop" (it acted on this record up the chain), "depth". */
    skipReason: text(),
    conditions: jsonb().$type<Json>().notNull().default({}),
    actions: jsonb().$type<Json[]>().notNull().default([]),
    steps: jsonb().$type<Json[]>().notNull().default([]),
    nextStep: integer().notNull().default(0),
    depth: integer().notNull().default(0),
    chain: jsonb().$type<string[]>().notNull().default([]),
    /** While the run sits on a wait step: when it wakes up at the latest. */
    waitUntil: timestamp({ withTimezone: true }),
    /** A wait "until an event happens": the event type that wakes it early (on the same record). */
    waitEvent: text(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("workflow_runs_workflow_event_idx").on(t.workflowId, t.eventId),
    index("workflow_runs_ws_workflow_idx").on(t.workspaceId, t.workflowId, t.startedAt),
    index("workflow_runs_ws_subject_idx").on(t.workspaceId, t.subjectType, t.subjectId),
    index("workflow_runs_waiting_idx").on(t.workspaceId, t.waitUntil).where(sql`${t.status} = 'running' and ${t.waitUntil} is not null`),
    index("workflow_runs_wait_event_idx").on(t.workspaceId, t.subjectId, t.waitEvent).where(sql`${t.status} = 'running' and ${t.waitEvent} is not null`),
  ],
);

// ── Lead scoring ────────────────────────────────────────────────────────────────────────────────────────────

/** A scoring rule: when an event of `event_type` happens (optionally in a stage), the contact gets `points`. */
export const scoringRules = pgTable(
  "scoring_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    eventType: text().notNull(),
    /** Deal events only: the stage the deal moved to / is in. */
    stageId: uuid(),
    /** Activity events only: the activity's type (a built-in key, or the id of the workspace's own type). */
    activityType: text(),
    points: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("scoring_rules_ws_event_idx").on(t.workspaceId, t.eventType)],
);

/** Per workspace: points lost per week without a scoring event, the highest score, and the "hot" threshold. */
export const scoringSettings = pgTable("scoring_settings", {
  workspaceId: uuid()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  weeklyDecay: integer().notNull().default(0),
  cap: integer(),
  hotThreshold: integer(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every change of a contact's score, with its reason (a rule and the event that fired it, a week of inactivity,
 * a workflow). `dedupe_key` makes each change happen once: one per rule and event, per decay week, per workflow step.
 */
export const scoreEvents = pgTable(
  "score_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    /** Points actually applied (after the floor at 0 and the cap). */
    delta: integer().notNull(),
    /** Points the rule or action asked for. */
    requested: integer().notNull(),
    scoreAfter: integer().notNull(),
    reason: text().notNull(),
    ruleId: uuid().references(() => scoringRules.id, { onDelete: "set null" }),
    eventId: bigint({ mode: "number" }).references(() => domainEvents.id, { onDelete: "set null" }),
    workflowRunId: uuid().references(() => workflowRuns.id, { onDelete: "set null" }),
    dedupeKey: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("score_events_dedupe_idx").on(t.dedupeKey), index("score_events_ws_contact_idx").on(t.workspaceId, t.contactId, t.occurredAt)],
);
