import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users, workspaces } from "./auth";

/**
 * The automation engine's queue: everything that happens later or as a consequence is one row here (a workflow
 * step, an event to dispatch, a reminder run). Claimed in batches with FOR UPDATE SKIP LOCKED under a lease
 * (`locked_until`); `attempts` is bumped at claim time and doubles as the fencing token of that claim.
 * States (derived, see lib/jobs/state.ts): done (done_at set) · running (lease in the future) ·
 * dead (attempts used up, not running) · pending (everything else).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** The tenant the job works for; null for engine-wide jobs (reminder sweeps, pruning). */
    workspaceId: uuid().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(5),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    /** One job per effect: enqueueing the same key twice is a no-op. */
    idempotencyKey: text(),
    doneAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("jobs_idempotency_key_idx").on(t.idempotencyKey),
    index("jobs_due_idx").on(t.runAt, t.id).where(sql`${t.doneAt} is null`),
    // A claim of one kind (lib/jobs/runner.ts tops each batchable kind up to its batch size): its due jobs in
    // order, without walking the other kinds' pending jobs.
    index("jobs_kind_due_idx").on(t.kind, t.runAt, t.id).where(sql`${t.doneAt} is null`),
    index("jobs_ws_open_idx").on(t.workspaceId, t.runAt).where(sql`${t.doneAt} is null`),
    index("jobs_done_idx").on(t.doneAt).where(sql`${t.doneAt} is not null`),
  ],
);

/**
 * The outbox of domain events (deal created, stage changed, won, lost, fields changed, contact created, …):
 * written in the same transaction as the change that causes it, then dispatched by a job to the workflows
 * (and scoring rules) that listen. `depth` and `chain` carry the causation through automated changes, so a
 * workflow cannot re-trigger itself on the same record and cascades stop at a bounded depth.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** "deal.created", "deal.stage_changed", … (lib/events/types.ts). */
    type: text().notNull(),
    subjectType: text().notNull(),
    subjectId: uuid().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** 0 for a person's change; n+1 for a change made by a workflow run caused by an event of depth n. */
    depth: integer().notNull().default(0),
    /** The workflow runs that led here: ["<workflowId>:<subjectId>", …]. */
    chain: jsonb().$type<string[]>().notNull().default([]),
    /** Set for events detected by a sweep (e.g. a deal became stuck), so a sweep never emits one twice. */
    dedupeKey: text(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("domain_events_ws_subject_idx").on(t.workspaceId, t.subjectType, t.subjectId, t.occurredAt),
    index("domain_events_ws_time_idx").on(t.workspaceId, t.occurredAt),
    uniqueIndex("domain_events_dedupe_idx").on(t.dedupeKey),
  ],
);
