import { createHash, timingSafeEqual } from "node:crypto";

export type CronAuth = { ok: true } | { ok: false; status: 401 | 503; error: string };

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Checks `Authorization: Bearer <CRON_SECRET>` in constant time. Without CRON_SECRET the route refuses every
 * call (503), except under `next dev` where a local curl may tick without one. Pure (env passed in).
 */
export function checkCronAuth(authorization: string | null, env: Record<string, string | undefined>): CronAuth {
  const secret = env.CRON_SECRET;
  if (!secret) {
    if (env.NODE_ENV === "development") return { ok: true };
    return { ok: false, status: 503, error: "CRON_SECRET is not set: the tick route is disabled" };
  }
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
  if (!match || !timingSafeEqual(digest(match[1]!), digest(secret))) return { ok: false, status: 401, error: "unauthorized" };
  return { ok: true };
}
