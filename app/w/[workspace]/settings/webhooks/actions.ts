"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { createWebhookSubscription, deleteWebhookSubscription, rotateWebhookSecret, setWebhookEnabled, updateWebhookSubscription } from "@/lib/webhooks/commands";
import { createWebhookSchema, setWebhookEnabledSchema, updateWebhookSchema, webhookIdSchema } from "@/lib/webhooks/schema";

const done = (slug: string) => revalidatePath(`/w/${slug}/settings/webhooks`);

export const createWebhookAction = workspaceAction("webhooks.manage", createWebhookSchema, async (ctx, input) => {
  const row = await createWebhookSubscription(ctx, input);
  done(ctx.workspace.slug);
  return { id: row.id };
});

export const updateWebhookAction = workspaceAction("webhooks.manage", updateWebhookSchema, async (ctx, input) => {
  await updateWebhookSubscription(ctx, input);
  done(ctx.workspace.slug);
});

export const setWebhookEnabledAction = workspaceAction("webhooks.manage", setWebhookEnabledSchema, async (ctx, input) => {
  await setWebhookEnabled(ctx, input.subscriptionId, input.enabled);
  done(ctx.workspace.slug);
});

export const deleteWebhookAction = workspaceAction("webhooks.manage", webhookIdSchema, async (ctx, input) => {
  await deleteWebhookSubscription(ctx, input.subscriptionId);
  done(ctx.workspace.slug);
});

export const rotateWebhookSecretAction = workspaceAction("webhooks.manage", webhookIdSchema, async (ctx, input) => {
  await rotateWebhookSecret(ctx, input.subscriptionId);
  done(ctx.workspace.slug);
});
