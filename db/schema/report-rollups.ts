import { bigint, char, date, index, integer, numeric, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { deals } from "./crm";
import { workspaceId } from "./columns";

/**
 * Report rollups (docs/decisions.md 43). These tables are written only by database triggers defined in migrations
 * 0020 and 0021 (on deal_events, deals and activities), in the transaction of the write that changes them, so every writer
 * — actions, API, import, seed, bench — keeps them correct without knowing they exist. lib/reports/rollups.ts
 * reads them and checks them against the raw tables.
 */

/**
 * One row per completed stay of a deal in a stage (docs/metrics.md, time in stage): the event that ended it
 * (a stage_changed out of `stage_id`, or won/lost in it) and when the stay began (the deal's latest
 * created/stage_changed/reopened event before that one, by (occurred_at, id)).
 */
export const reportStageStays = pgTable(
  "report_stage_stays",
  {
    /** deal_events.id of the event that ended the stay. */
    eventId: bigint({ mode: "number" }).primaryKey(),
    workspaceId: workspaceId(),
    dealId: uuid()
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    stageId: uuid().notNull(),
    beganAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("report_stage_stays_ws_ended_idx").on(t.workspaceId, t.endedAt, t.stageId, t.beganAt, t.dealId),
    index("report_stage_stays_deal_idx").on(t.dealId),
  ],
);

/**
 * Open, not deleted deals with no open activity ("deals with no next activity"), with the deal's pipeline and
 * owner so the review counts them by its filters without reading the deals.
 */
export const reportIdleDeals = pgTable(
  "report_idle_deals",
  {
    dealId: uuid()
      .primaryKey()
      .references(() => deals.id, { onDelete: "cascade" }),
    workspaceId: workspaceId(),
    pipelineId: uuid().notNull(),
    ownerId: uuid(),
  },
  (t) => [index("report_idle_deals_ws_pipeline_owner_idx").on(t.workspaceId, t.pipelineId, t.ownerId)],
);

/**
 * Open, not deleted deals per pipeline, stage, UTC day of stage entry and currency: how many, their value and the
 * sum of their entry instants (epoch seconds). The review reads a stage's open count, value and average age from
 * here, and finds the median age and the stuck count by walking these days instead of every open deal.
 */
export const reportOpenStageDays = pgTable(
  "report_open_stage_days",
  {
    workspaceId: workspaceId(),
    pipelineId: uuid().notNull(),
    stageId: uuid().notNull(),
    /** UTC date of deals.stage_entered_at. */
    enteredOn: date({ mode: "string" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    deals: integer().notNull(),
    /** Minor units of `currency`. */
    value: bigint({ mode: "number" }).notNull(),
    /** Sum of extract(epoch from stage_entered_at), exact (numeric). */
    enteredEpoch: numeric().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.pipelineId, t.stageId, t.enteredOn, t.currency] })],
);

/**
 * Won, not deleted deals with a contact, ranked per customer (workspace, contact, currency) by (closed_at, id): the
 * customer's first win and the next win after each. The CLV's customer figures up to any instant are then sums over
 * a range of close dates (docs/metrics.md): a customer is a rank-1 row, a repeat customer a rank-2 row, and its
 * last win before the instant is the row whose next win is after it.
 */
export const reportWonDeals = pgTable(
  "report_won_deals",
  {
    dealId: uuid()
      .primaryKey()
      .references(() => deals.id, { onDelete: "cascade" }),
    workspaceId: workspaceId(),
    contactId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    closedAt: timestamp({ withTimezone: true }).notNull(),
    /** Minor units of `currency`. */
    value: bigint({ mode: "number" }).notNull(),
    /** 1 for the customer's first win in this currency. */
    rank: integer().notNull(),
    firstClosedAt: timestamp({ withTimezone: true }).notNull(),
    /** The customer's next win in this currency (null for the latest). */
    nextClosedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("report_won_deals_ws_currency_closed_idx").on(t.workspaceId, t.currency, t.closedAt, t.rank, t.value, t.firstClosedAt, t.nextClosedAt),
    index("report_won_deals_ws_contact_idx").on(t.workspaceId, t.contactId),
  ],
);
