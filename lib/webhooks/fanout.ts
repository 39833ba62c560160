import { and, eq, sql } from "drizzle-orm";
import { activities, contacts, deals, sequenceEnrollments, webhookDeliveries, webhookSubscriptions } from "@/db/schema";
import type { Db } from "@/db/types";
import { activityDTO, contactDTO, dealDTO } from "../api/dto";
import { moneyFieldsOf } from "../api/money-fields";
import { enqueueJobs } from "../jobs/enqueue";
import { subjectOfWebhookEvent, type WebhookEvent } from "./events";

export const WEBHOOK_DELIVERY_JOB = "webhook-delivery";
/** Attempts per delivery (the engine's backoff: 30 s, 1, 2, 4, 8 min between them). */
export const WEBHOOK_MAX_ATTEMPTS = 6;

/** The record as it is now (inside the change's transaction), in the API's shape; null when it is gone. */
async function snapshot(db: Db, workspaceId: string, type: string, id: string): Promise<Record<string, unknown> | null> {
  if (type === "deal") {
    const [row] = await db.select().from(deals).where(and(eq(deals.id, id), eq(deals.workspaceId, workspaceId)));
    return row ? dealDTO(row, await moneyFieldsOf(db, workspaceId, "deal")) : null;
  }
  if (type === "contact") {
    const [row] = await db.select().from(contacts).where(and(eq(contacts.id, id), eq(contacts.workspaceId, workspaceId)));
    return row ? contactDTO(row, await moneyFieldsOf(db, workspaceId, "contact")) : null;
  }
  if (type === "activity") {
    const [row] = await db.select().from(activities).where(and(eq(activities.id, id), eq(activities.workspaceId, workspaceId)));
    return row ? activityDTO(row, row.dealId) : null;
  }
  if (type === "enrollment") {
    const [row] = await db.select().from(sequenceEnrollments).where(and(eq(sequenceEnrollments.id, id), eq(sequenceEnrollments.workspaceId, workspaceId)));
    return row
      ? { id: row.id, sequenceId: row.sequenceId, contactId: row.contactId, dealId: row.dealId, ownerId: row.ownerId, status: row.status, stopReason: row.stopReason, enrolledAt: row.enrolledAt.toISOString(), endedAt: row.endedAt?.toISOString() ?? null }
      : null;
  }
  return { id };
}

/**
 * Records one delivery per enabled subscription of the workspace that asked for `event`, and enqueues a
 * `webhook-delivery` job for each — in the caller's transaction, so deliveries exist exactly when the change
 * does. The body carries a snapshot of the record taken now. Costs one indexed query when nobody subscribed.
 */
export async function enqueueWebhookDeliveries(
  db: Db,
  ctx: { workspaceId: string; now: Date },
  event: WebhookEvent,
  subjectId: string,
  opts: { data?: Record<string, unknown>; domainEventId?: number | null } = {},
): Promise<number> {
  const subscriptions = await db
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.workspaceId, ctx.workspaceId), eq(webhookSubscriptions.enabled, true), sql`${webhookSubscriptions.events} @> ${JSON.stringify([event])}::jsonb`));
  if (subscriptions.length === 0) return 0;
  const type = subjectOfWebhookEvent(event);
  const record = await snapshot(db, ctx.workspaceId, type, subjectId);
  const payload = {
    event,
    occurredAt: ctx.now.toISOString(),
    workspaceId: ctx.workspaceId,
    data: { [type]: record ?? { id: subjectId }, ...(opts.data ?? {}) },
  };
  const inserted = await db
    .insert(webhookDeliveries)
    .values(subscriptions.map((s) => ({ workspaceId: ctx.workspaceId, subscriptionId: s.id, event, domainEventId: opts.domainEventId ?? null, payload, createdAt: ctx.now })))
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  await enqueueJobs(
    db,
    inserted.map((d) => ({ kind: WEBHOOK_DELIVERY_JOB, payload: { deliveryId: d.id }, runAt: ctx.now, workspaceId: ctx.workspaceId, idempotencyKey: `webhook:${d.id}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS })),
  );
  return inserted.length;
}
