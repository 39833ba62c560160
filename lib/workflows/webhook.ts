import { createHmac, randomBytes } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
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

/**
 * Loopback, private, link-local (incl. cloud metadata), CGNAT, benchmark, multicast, unspecified and the IPv6
 * forms that embed an IPv4 address (::ffff:a.b.c.d however it is written, NAT64, 6to4). net.BlockList matches
 * IPv4-mapped IPv6 addresses against the IPv4 ranges too. Anything that is not an IP address counts as private.
 */
const blockedRanges = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 3]] as const) {
    list.addSubnet(net, prefix, "ipv4");
  }
  for (const [net, prefix] of [["::", 96], ["64:ff9b::", 96], ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8]] as const) {
    list.addSubnet(net, prefix, "ipv6");
  }
  return list;
})();

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return blockedRanges.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The DNS lookup of outgoing webhook sockets: resolves, and refuses when any answer is private. Because the
 * socket connects to exactly the address checked here, a rebinding DNS server cannot swap in an internal one
 * between the check and the connection (SSRF).
 */
function publicLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as unknown as LookupAddress[];
      const refused = !allowPrivate && (list.length === 0 || list.some((a) => isPrivateAddress(a.address)));
      if (refused) return callback(Object.assign(new Error(`webhook host ${hostname} resolves to a private address`), { code: "PRIVATE_ADDRESS" }), "", 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** POSTs over node:http(s) with the checked lookup; resolves to the status code. Redirects are not followed. */
function post(url: URL, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<number> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new PermanentJobError(`webhook host ${host} is a private address`));
  }
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, lookup: publicLookup(allowPrivate), timeout: WEBHOOK_TIMEOUT_MS }, (res) => {
      res.resume(); // the answer's body is not needed
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("webhook timed out")));
    req.on("error", (error: Error & { code?: string }) => reject(error.code === "PRIVATE_ADDRESS" ? new PermanentJobError(error.message) : error));
    req.end(body);
  });
}

export type WebhookDelivery = { url: string; secret: string; deliveryId: string; event: string; body: Record<string, unknown> };

/**
 * POSTs the JSON body, signed. A 2xx answer is success; 3xx (redirects are not followed) and 4xx (except 408/429) are permanent (retrying sends the
 * same thing); anything else — 5xx, 408, 429, timeouts, network errors — throws so the job is retried. Each
 * delivery keeps its `X-Pipewise-Delivery` id across retries, so the receiver can drop a repeat.
 */
export async function deliverWebhook(delivery: WebhookDelivery, now: Date, env: Record<string, string | undefined> = process.env): Promise<{ status: number }> {
  const url = new URL(delivery.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new PermanentJobError(`webhook URL must be http(s)`);
  const body = JSON.stringify(delivery.body);
  const timestamp = Math.floor(now.getTime() / 1000);
  const status = await post(
    url,
    {
      "Content-Type": "application/json",
      "User-Agent": "Pipewise-Webhooks/1",
      "X-Pipewise-Event": delivery.event,
      "X-Pipewise-Delivery": delivery.deliveryId,
      "X-Pipewise-Timestamp": String(timestamp),
      "X-Pipewise-Signature": signWebhook(delivery.secret, timestamp, body),
    },
    body,
    env.PIPEWISE_WEBHOOK_ALLOW_PRIVATE === "1",
  );
  if (status >= 200 && status < 300) return { status };
  const message = `webhook answered HTTP ${status}`;
  if (status < 500 && status !== 408 && status !== 429) throw new PermanentJobError(message);
  throw new Error(message);
}
