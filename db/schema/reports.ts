import { bigint, char, date, integer, pgEnum, pgTable, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { pipelines } from "./crm";
import { id, createdAt, workspaceId } from "./columns";

export const goalMetricEnum = pgEnum("goal_metric", ["won_value", "won_count", "new_deals", "activities_done"]);
export const goalPeriodEnum = pgEnum("goal_period", ["month", "quarter"]);

/**
 * A recurring target: every month (or quarter) in the workspace's time zone, for the whole workspace
 * (`user_id` null) or one member. `target` is minor units of the workspace currency for won_value, else a count.
 * One goal per scope, metric and period kind (nulls not distinct, so one workspace-wide goal each).
 */
export const goals = pgTable(
  "goals",
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    metric: goalMetricEnum().notNull(),
    period: goalPeriodEnum().notNull(),
    target: bigint({ mode: "number" }).notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("goals_ws_user_metric_period_key").on(t.workspaceId, t.userId, t.metric, t.period).nullsNotDistinct()],
);

/**
 * The forecast as it stood at the start of a month (`taken_month`, first day, workspace time zone): open deals
 * by expected close month, pipeline, owner and currency. Rows are written once per workspace and month (the
 * unique index makes the job idempotent) and never updated, so the review can compare what was forecast for a
 * month with what was won in it.
 */
export const forecastSnapshots = pgTable(
  "forecast_snapshots",
  {
    id: id(),
    workspaceId: workspaceId(),
    takenMonth: date({ mode: "string" }).notNull(),
    targetMonth: date({ mode: "string" }).notNull(),
    pipelineId: uuid()
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    currency: char({ length: 3 }).notNull(),
    dealCount: integer().notNull(),
    /** Minor units. */
    unweighted: bigint({ mode: "number" }).notNull(),
    /** Minor units: sum of value × stage probability / 100, rounded. */
    weighted: bigint({ mode: "number" }).notNull(),
    takenAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    unique("forecast_snapshots_grain_key")
      .on(t.workspaceId, t.takenMonth, t.targetMonth, t.pipelineId, t.ownerId, t.currency)
      .nullsNotDistinct(),
  ],
);

/** Members who receive the monthly pack (headline figures + the review as XLSX) on the 1st of each month. */
export const reportSubscriptions = pgTable(
  "report_subscriptions",
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("report_subscriptions_ws_user_idx").on(t.workspaceId, t.userId)],
);
