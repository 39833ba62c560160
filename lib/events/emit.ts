import { domainEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { enqueueJob } from "../jobs/enqueue";
import { webhookEventOfDomainEvent } from "../webhooks/events";
import { enqueueWebhookDeliveries } from "../webhooks/fanout";
import { subjectTypeOf, type AutomationCause, type EventType } from "./types";

/** A ctx that may carry the cause of an automated change (set by the workflow runner, absent for people). */
export type EmitCtx = Pick<Ctx, "workspaceId" | "userId" | "now"> & { automation?: AutomationCause };

export type NewEvent = {
  type: EventType;
  subjectId: string;
  data?: Record<string, unknown>;
  /** Defaults to ctx.now. A sweep sets the moment the condition began (e.g. when a deal became stuck). */
  occurredAt?: Date;
  /** For sweeps: an event with the same key is written once. */
  dedupeKey?: string;
  /** Defaults to ctx.userId; null for events nobody caused (a sweep). */
  actorId?: string | null;
  /** The exact depth and chain, for an event caused by another event outside a workflow (a score change). */
  causedBy?: { depth: number; chain: string[] };
};

/**
 * Records a domain event and enqueues its dispatch. Call it inside the transaction of the change it describes:
 * the event (and its job) exist exactly when the change does. Returns the event id, or null when a
 * `dedupeKey` says it was already recorded.
 */
export async function emitEvent(db: Db, ctx: EmitCtx, event: NewEvent): Promise<number | null> {
  const cause = ctx.automation;
  const [row] = await db
    .insert(domainEvents)
    .values({
      workspaceId: ctx.workspaceId,
      type: event.type,
      subjectType: subjectTypeOf(event.type),
      subjectId: event.subjectId,
      actorId: event.actorId === undefined ? ctx.userId : event.actorId,
      data: event.data ?? {},
      depth: event.causedBy ? event.causedBy.depth : cause ? cause.depth + 1 : 0,
      chain: event.causedBy?.chain ?? cause?.chain ?? [],
      dedupeKey: event.dedupeKey ?? null,
      occurredAt: event.occurredAt ?? ctx.now,
    })
    .onConflictDoNothing({ target: domainEvents.dedupeKey })
    .returning({ id: domainEvents.id });
  if (!row) return null;
  await enqueueJob(db, { kind: "dispatch-event", payload: { eventId: row.id }, runAt: ctx.now, workspaceId: ctx.workspaceId, idempotencyKey: `event:${row.id}` });
  // Outgoing webhooks: a delivery per subscription that asked for this event, in the same transaction.
  const webhookEvent = webhookEventOfDomainEvent[event.type];
  if (webhookEvent) await enqueueWebhookDeliveries(db, ctx, webhookEvent, event.subjectId, { data: { details: event.data ?? {} }, domainEventId: row.id });
  return row.id;
}

/** A deal event: its data always carries the deal's pipeline and stage (triggers are narrowed by them). */
export function emitDealEvent(
  db: Db,
  ctx: EmitCtx,
  type: Extract<EventType, `deal.${string}`>,
  deal: { id: string; pipelineId: string; stageId: string },
  data: Record<string, unknown> = {},
): Promise<number | null> {
  return emitEvent(db, ctx, { type, subjectId: deal.id, data: { pipelineId: deal.pipelineId, stageId: deal.stageId, ...data } });
}
