import "server-only";
import { and, count, desc, eq, gt, gte, isNull, lt, lte, or, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";

/** Dead: attempts used up, not done, not running. The same rule as jobState(). */
export const isDead = (now: Date) =>
  and(isNull(jobs.doneAt), gte(jobs.attempts, jobs.maxAttempts), or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)));

export type DeadJobDTO = { id: number; kind: string; payload: Record<string, unknown>; attempts: number; lastError: string | null; runAt: Date; createdAt: Date };

/** The workspace's dead jobs, newest first (admins: they may hold webhook URLs and error details). */
export async function listDeadJobs(ctx: Ctx, limit = 100): Promise<DeadJobDTO[]> {
  assertCan(ctx, "automations.manage");
  return ctx.db
    .select({ id: jobs.id, kind: jobs.kind, payload: jobs.payload, attempts: jobs.attempts, lastError: jobs.lastError, runAt: jobs.runAt, createdAt: jobs.createdAt })
    .from(jobs)
    .where(and(eq(jobs.workspaceId, ctx.workspaceId), isDead(ctx.now)))
    .orderBy(desc(jobs.runAt), desc(jobs.id))
    .limit(limit);
}

export type QueueSummary = { pending: number; running: number; retrying: number; dead: number };

/** Counts of the workspace's unfinished jobs by state. */
export async function queueSummary(ctx: Ctx): Promise<QueueSummary> {
  assertCan(ctx, "automations.manage");
  const [row] = await ctx.db
    .select({
      dead: count(sql`case when ${isDead(ctx.now)} then 1 end`),
      running: count(sql`case when ${gt(jobs.lockedUntil, ctx.now)} then 1 end`),
      retrying: count(sql`case when ${and(lt(jobs.attempts, jobs.maxAttempts), gt(jobs.attempts, 0), or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, ctx.now)))} then 1 end`),
      open: count(),
    })
    .from(jobs)
    .where(and(eq(jobs.workspaceId, ctx.workspaceId), isNull(jobs.doneAt)));
  const dead = row?.dead ?? 0;
  const running = row?.running ?? 0;
  return { dead, running, retrying: row?.retrying ?? 0, pending: (row?.open ?? 0) - dead - running };
}
