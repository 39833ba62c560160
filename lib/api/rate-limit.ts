import { and, eq, lt, sql } from "drizzle-orm";
import { apiRateWindows } from "@/db/schema";
import type { Db } from "@/db/types";

export const RATE_WINDOW_MS = 60_000;

/** Requests per key per minute: `API_RATE_LIMIT_PER_MINUTE`, default 120. */
export function rateLimitPerMinute(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.API_RATE_LIMIT_PER_MINUTE);
  return Number.isInteger(n) && n > 0 ? n : 120;
}

export type RateDecision = { ok: true; limit: number; remaining: number; resetSeconds: number } | { ok: false; limit: number; retryAfterSeconds: number };

/**
 * Counts one request of a key in the current fixed one-minute window (one upsert in PostgreSQL, so every app
 * instance shares the count) and says whether it is within the limit. The first request of a window also drops
 * the key's older windows, so the table holds about one row per active key.
 */
export async function hitApiRateLimit(db: Db, apiKeyId: string, now: Date, limit = rateLimitPerMinute()): Promise<RateDecision> {
  const windowStart = new Date(Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS);
  const [row] = await db
    .insert(apiRateWindows)
    .values({ apiKeyId, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [apiRateWindows.apiKeyId, apiRateWindows.windowStart], set: { count: sql`${apiRateWindows.count} + 1` } })
    .returning({ count: apiRateWindows.count });
  const count = row!.count;
  if (count === 1) await db.delete(apiRateWindows).where(and(eq(apiRateWindows.apiKeyId, apiKeyId), lt(apiRateWindows.windowStart, windowStart)));
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + RATE_WINDOW_MS - now.getTime()) / 1000));
  if (count > limit) return { ok: false, limit, retryAfterSeconds: resetSeconds };
  return { ok: true, limit, remaining: limit - count, resetSeconds };
}
