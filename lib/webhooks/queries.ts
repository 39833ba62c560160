import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { webhookDeliveries, webhookSubscriptions } from "@/db/schema";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";

export async function listWebhookSubscriptions(ctx: Ctx) {
  assertCan(ctx, "webhooks.manage");
  return ctx.db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.workspaceId, ctx.workspaceId))
    .orderBy(desc(webhookSubscriptions.createdAt));
}

export type WebhookDeliveryDTO = {
  id: string;
  subscriptionId: string;
  url: string;
  event: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
};

/** The delivery log, newest first: every subscription's, or one's. */
export async function listWebhookDeliveries(ctx: Ctx, opts: { subscriptionId?: string; limit?: number } = {}): Promise<WebhookDeliveryDTO[]> {
  assertCan(ctx, "webhooks.manage");
  return ctx.db
    .select({
      id: webhookDeliveries.id,
      subscriptionId: webhookDeliveries.subscriptionId,
      url: webhookSubscriptions.url,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseStatus: webhookDeliveries.responseStatus,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(and(eq(webhookDeliveries.workspaceId, ctx.workspaceId), opts.subscriptionId ? eq(webhookDeliveries.subscriptionId, opts.subscriptionId) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(opts.limit ?? 100);
}
