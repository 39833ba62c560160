import { createHash, timingSafeEqual } from "node:crypto";

export type InboundAuth = { ok: true } | { ok: false; status: 401 | 503; error: string };

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * The inbound webhooks' secret (INBOUND_SECRET), accepted as `Authorization: Bearer <secret>` or as the password
 * of HTTP basic auth (providers that only let you put credentials in the URL: https://any:<secret>@host/...).
 * Compared in constant time. Without INBOUND_SECRET the routes refuse every call (503). Pure (env passed in).
 */
export function checkInboundAuth(authorization: string | null, env: Record<string, string | undefined>): InboundAuth {
  const secret = env.INBOUND_SECRET;
  if (!secret) return { ok: false, status: 503, error: "INBOUND_SECRET is not set: inbound webhooks are disabled" };
  const header = authorization?.trim() ?? "";
  let given: string | null = null;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) given = bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    given = decoded.includes(":") ? decoded.slice(decoded.indexOf(":") + 1) : null;
  }
  if (given === null || !timingSafeEqual(digest(given), digest(secret))) return { ok: false, status: 401, error: "unauthorized" };
  return { ok: true };
}
