import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { roleEnum, users } from "./auth";
import { createdAt, id, workspaceId } from "./columns";

/**
 * Keys of the public REST API (`Authorization: Bearer pw_…`). Only the SHA-256 of the token is stored (the token
 * is 32 random bytes, so a fast hash is enough: there is nothing to brute-force); `prefix` is the first characters,
 * shown in the list so people can tell keys apart. A key acts as the member who created it, with that member's
 * current role; `created_by_role` records the role at creation (only admin/owner keys may write history, `at`).
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    prefix: text().notNull(),
    tokenHash: text().notNull(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdByRole: roleEnum().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("api_keys_token_hash_idx").on(t.tokenHash), index("api_keys_ws_created_idx").on(t.workspaceId, t.createdAt)],
);

/**
 * Per-key request counters in fixed one-minute windows, in PostgreSQL so every app instance enforces the same
 * limit (one upsert per request). Old windows are pruned by the same upsert's caller.
 */
export const apiRateWindows = pgTable(
  "api_rate_windows",
  {
    apiKeyId: uuid()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [uniqueIndex("api_rate_windows_key_window_idx").on(t.apiKeyId, t.windowStart)],
);

/**
 * Outgoing webhook subscriptions: a URL and the events to send. `consecutive_failures` counts deliveries that
 * used up their retries in a row; at the threshold the subscription is disabled (`disabled_at`, with a reason)
 * and the admins are told.
 */
export const webhookSubscriptions = pgTable(
  "webhook_subscriptions",
  {
    id: id(),
    workspaceId: workspaceId(),
    url: text().notNull(),
    events: jsonb().$type<string[]>().notNull(),
    /** Signing secret (whsec_…), shown to admins so receivers can verify signatures. */
    secret: text().notNull(),
    enabled: boolean().notNull().default(true),
    consecutiveFailures: integer().notNull().default(0),
    disabledAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_subscriptions_ws_idx").on(t.workspaceId, t.createdAt)],
);

export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", ["pending", "succeeded", "failed"]);

/**
 * One event sent to one subscription (the delivery log). The job `webhook-delivery` posts it, retried with
 * backoff; every attempt updates `attempts`, `response_status` and `last_error`. `id` is sent as
 * `X-Pipewise-Delivery`, the same on every retry, so a receiver can drop repeats.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    workspaceId: workspaceId(),
    subscriptionId: uuid()
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    event: text().notNull(),
    /** The domain event it came from (null for events without one). */
    domainEventId: bigint({ mode: "number" }),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: webhookDeliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    responseStatus: integer(),
    lastError: text(),
    createdAt: createdAt(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_ws_sub_created_idx").on(t.workspaceId, t.subscriptionId, t.createdAt),
    // the hourly prune of old settled deliveries, across workspaces
    index("webhook_deliveries_created_idx").on(t.createdAt),
    uniqueIndex("webhook_deliveries_sub_event_idx").on(t.subscriptionId, t.domainEventId).where(sql`${t.domainEventId} is not null`),
  ],
);
