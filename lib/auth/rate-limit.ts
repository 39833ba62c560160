import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import { loginAttempts } from "@/db/schema";
import type { Db } from "@/db/types";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

/**
 * Failed sign-ins per account and per IP address inside a sliding 15-minute window, counted in PostgreSQL
 * so every app instance enforces the same limit. A success resets the account's count.
 */
export async function isLoginLimited(db: Db, email: string, ip: string | null, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const keys = [emailKey(email), ...(ip ? [ipKey(ip)] : [])];
  const rows = await db
    .select({ key: loginAttempts.key, failures: count() })
    .from(loginAttempts)
    .where(
      and(
        inArray(loginAttempts.key, keys),
        eq(loginAttempts.success, false),
        gt(loginAttempts.createdAt, since),
        // failures after the most recent success of the same key
        sql`${loginAttempts.createdAt} > coalesce((select max(s.created_at) from login_attempts s where s.key = ${loginAttempts.key} and s.success), '-infinity')`,
      ),
    )
    .groupBy(loginAttempts.key);
  return rows.some((r) =>
    r.key.startsWith("email:") ? r.failures >= MAX_FAILURES_PER_ACCOUNT : r.failures >= MAX_FAILURES_PER_IP,
  );
}

export async function recordLogin(db: Db, email: string, ip: string | null, success: boolean, now: Date) {
  const keys = success ? [emailKey(email)] : [emailKey(email), ...(ip ? [ipKey(ip)] : [])];
  await db.insert(loginAttempts).values(keys.map((key) => ({ key, success, createdAt: now })));
}
