import { z } from "../validation";
import { webhookEvents } from "./events";

/** http(s) only; private and loopback targets are refused when delivering (SSRF), not here, since DNS can change. */
const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: "errors.invalidUrl" }));

const eventList = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(webhookEvents)).min(1, "webhooks.pickEvent").max(webhookEvents.length));

export const createWebhookSchema = z.object({ url: webhookUrl, events: eventList });
export const updateWebhookSchema = createWebhookSchema.extend({ subscriptionId: z.uuid() });
export const webhookIdSchema = z.object({ subscriptionId: z.uuid() });
export const setWebhookEnabledSchema = z.object({
  subscriptionId: z.uuid(),
  enabled: z.preprocess((v) => v === true || v === "true" || v === "1", z.boolean()),
});
