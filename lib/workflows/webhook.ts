import { createHmac, randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { PermanentJobError } from "../jobs/types";

export const WEBHOOK_TIMEOUT_MS = 10_000;

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString("base64url")}`;

/**
 * The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the action's secret, hex, sent as
 * `X-Pipewise-Signature: sha256=<hex>` beside `X-Pipewise-Timestamp` (seconds). Pure.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Loopback, private, link-local (incl. cloud metadata), CGNAT, multicast and unspecified addresses. Pure. */
export function isPrivateAddress(address: string): boolean {
  const v4 = isIP(address) === 4 ? address : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) {
    const [a, b] = v4.split(".").map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
  }
  const v6 = address.toLowerCase();
  return v6 === "::" || v6 === "::1" || v6.startsWith("fc") || v6.startsWith("fd") || v6.startsWith("fe8") || v6.startsWith("fe9") || v6.startsWith("fea") || v6.startsWith("feb") || v6.startsWith("ff");
}

/**
 * Refuses URLs that resolve to the server's own network (SSRF): workflow webhooks are for services on the
 * internet. PIPEWISE_WEBHOOK_ALLOW_PRIVATE=1 lifts this for deployments that post to an intranet service.
 */
async function assertPublicTarget(url: URL, env: Record<string, string | undefined>) {
  if (env.PIPEWISE_WEBHOOK_ALLOW_PRIVATE === "1") return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new PermanentJobError(`webhook host ${host} resolves to a private address`);
}

export type WebhookDelivery = { url: string; secret: string; deliveryId: string; event: string; body: Record<string, unknown> };

/**
 * POSTs the JSON body, signed. A 2xx answer is success; 3xx (redirects are not followed) and 4xx (except 408/429) are permanent (retrying sends the
 * same thing); anything else — 5xx, 408, 429, timeouts, network errors — throws so the job is retried. Each
 * delivery keeps its `X-Pipewise-Delivery` id across retries, so the receiver can drop a repeat.
 */
export async function deliverWebhook(delivery: WebhookDelivery, now: Date, env: Record<string, string | undefined> = process.env): Promise<{ status: number }> {
  const url = new URL(delivery.url);
  await assertPublicTarget(url, env);
  const body = JSON.stringify(delivery.body);
  const timestamp = Math.floor(now.getTime() / 1000);
  const response = await fetch(url, {
    method: "POST",
    redirect: "manual",
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Pipewise-Webhooks/1",
      "X-Pipewise-Event": delivery.event,
      "X-Pipewise-Delivery": delivery.deliveryId,
      "X-Pipewise-Timestamp": String(timestamp),
      "X-Pipewise-Signature": signWebhook(delivery.secret, timestamp, body),
    },
    body,
  });
  await response.body?.cancel();
  if (response.ok) return { status: response.status };
  const message = `webhook answered HTTP ${response.status}`;
  if (response.status < 500 && response.status !== 408 && response.status !== 429) throw new PermanentJobError(message);
  throw new Error(message);
}
