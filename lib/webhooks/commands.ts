import "server-only";
import { and, eq } from "drizzle-orm";
import { webhookSubscriptions } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { newWebhookSecret } from "../workflows/webhook";
import type { WebhookEvent } from "./events";

type SubscriptionInput = { url: string; events: WebhookEvent[] };

export async function createWebhookSubscription(ctx: Ctx, input: SubscriptionInput) {
  assertCan(ctx, "webhooks.manage");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ workspaceId: ctx.workspaceId, url: input.url, events: [...new Set(input.events)], secret: newWebhookSecret(), createdBy: ctx.userId, createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "webhook.created", targetType: "webhook", targetId: row!.id, details: { url: input.url, events: row!.events }, at: ctx.now });
    return row!;
  });
}

async function lockSubscription(ctx: Ctx, db: Ctx["db"], subscriptionId: string) {
  const [row] = await db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, subscriptionId), eq(webhookSubscriptions.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function updateWebhookSubscription(ctx: Ctx, input: SubscriptionInput & { subscriptionId: string }) {
  assertCan(ctx, "webhooks.manage");
  return ctx.db.transaction(async (tx) => {
    await lockSubscription(ctx, tx, input.subscriptionId);
    const [row] = await tx
      .update(webhookSubscriptions)
      .set({ url: input.url, events: [...new Set(input.events)], updatedAt: ctx.now })
      .where(eq(webhookSubscriptions.id, input.subscriptionId))
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "webhook.updated", targetType: "webhook", targetId: row!.id, details: { url: input.url, events: row!.events }, at: ctx.now });
    return row!;
  });
}

/** Enabling again (after an automatic disable too) starts the failure count afresh. */
export async function setWebhookEnabled(ctx: Ctx, subscriptionId: string, enabled: boolean) {
  assertCan(ctx, "webhooks.manage");
  await ctx.db.transaction(async (tx) => {
    const current = await lockSubscription(ctx, tx, subscriptionId);
    if (current.enabled === enabled) return;
    await tx
      .update(webhookSubscriptions)
      .set(enabled ? { enabled, consecutiveFailures: 0, disabledAt: null, updatedAt: ctx.now } : { enabled, updatedAt: ctx.now })
      .where(eq(webhookSubscriptions.id, subscriptionId));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: enabled ? "webhook.enabled" : "webhook.disabled", targetType: "webhook", targetId: subscriptionId, details: { url: current.url }, at: ctx.now });
  });
}

/** Deletes the subscription and its delivery log; pending deliveries are dropped. */
export async function deleteWebhookSubscription(ctx: Ctx, subscriptionId: string) {
  assertCan(ctx, "webhooks.manage");
  await ctx.db.transaction(async (tx) => {
    const current = await lockSubscription(ctx, tx, subscriptionId);
    await tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, current.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "webhook.deleted", targetType: "webhook", targetId: current.id, details: { url: current.url }, at: ctx.now });
  });
}

/** A new signing secret (the old one stops being used at once: receivers must switch to the new one). */
export async function rotateWebhookSecret(ctx: Ctx, subscriptionId: string): Promise<string> {
  assertCan(ctx, "webhooks.manage");
  return ctx.db.transaction(async (tx) => {
    const current = await lockSubscription(ctx, tx, subscriptionId);
    const secret = newWebhookSecret();
    await tx.update(webhookSubscriptions).set({ secret, updatedAt: ctx.now }).where(eq(webhookSubscriptions.id, current.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "webhook.secret_rotated", targetType: "webhook", targetId: current.id, details: { url: current.url }, at: ctx.now });
    return secret;
  });
}
