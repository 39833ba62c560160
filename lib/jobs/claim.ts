import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { Db } from "@/db/types";
import type { JobRow } from "./types";

/**
 * How long a claim holds a job before another runner may take it over. A live runner renews it every third of
 * the lease while a job runs (runner.ts), so a job may run for any length of time; a runner that died (SIGKILL,
 * crash, machine lost) has its jobs taken over this long after its last renewal — plus the time to the next
 * tick (5 s in process, a minute from a cron scheduler): at most 2.5 minutes with the defaults.
 */
export const DEFAULT_LEASE_MS = 90_000;
export const DEFAULT_BATCH_SIZE = 25;

/** The message a job carries when its previous runner never reported back. */
export const LEASE_EXPIRED = "lease expired: the runner stopped before finishing (process killed or timed out)";

/** Due, not done, not held by a live lease, attempts left. */
export function dueAt(now: Date) {
  return and(
    isNull(jobs.doneAt),
    lte(jobs.runAt, now),
    or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)),
    lt(jobs.attempts, jobs.maxAttempts),
  );
}

/**
 * Claims up to `batchSize` due jobs for this runner: one statement that picks them with FOR UPDATE SKIP LOCKED
 * (concurrent runners skip each other's rows instead of waiting or taking the same ones), sets a lease
 * (`locked_until = now + lease`) and counts the attempt. A job whose lease ran out without a result is due
 * again and says so in `last_error`. Oldest first.
 */
export async function claimDueJobs(db: Db, now: Date, opts: { batchSize?: number; leaseMs?: number; kinds?: string[] } = {}): Promise<JobRow[]> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const lockedUntil = new Date(now.getTime() + (opts.leaseMs ?? DEFAULT_LEASE_MS));
  // The pick is a CTE: evaluated once (a locking subquery inside IN (…) may be rescanned and exceed the limit).
  const due = db.$with("due").as(
    db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(dueAt(now), opts.kinds ? inArray(jobs.kind, opts.kinds) : undefined))
      .orderBy(asc(jobs.runAt), asc(jobs.id))
      .limit(batchSize)
      .for("update", { skipLocked: true }),
  );
  const claimed = await db
    .with(due)
    .update(jobs)
    .set({
      lockedUntil,
      attempts: sql`${jobs.attempts} + 1`,
      lastError: sql`case when ${jobs.lockedUntil} is not null then ${LEASE_EXPIRED} else ${jobs.lastError} end`,
    })
    .from(due)
    .where(eq(jobs.id, due.id))
    .returning();
  return claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/**
 * Extends the lease of jobs this runner still holds (matched by their claim's attempt number) and returns the
 * ids it still holds: a job another runner claimed meanwhile (our lease had run out) is not among them.
 * One statement for the whole batch (`(id, attempts) in (…)`), so a heartbeat costs one round trip.
 */
export async function extendLeases(db: Db, held: Pick<JobRow, "id" | "attempts">[], lockedUntil: Date): Promise<Set<number>> {
  if (held.length === 0) return new Set();
  const extended = await db
    .update(jobs)
    .set({ lockedUntil })
    .where(and(inArray(jobs.id, held.map((job) => job.id)), heldClaims(held), isNull(jobs.doneAt)))
    .returning({ id: jobs.id });
  return new Set(extended.map((row) => row.id));
}

/**
 * `(id, attempts)` among these claims, passed as two array parameters: one statement of fixed text however long
 * the batch (a row-constructor IN list of a few hundred tuples, run a second time, hung PGlite).
 */
export function heldClaims(held: Pick<JobRow, "id" | "attempts">[]) {
  return sql`(${jobs.id}, ${jobs.attempts}) in (select * from unnest(${`{${held.map((job) => job.id).join(",")}}`}::bigint[], ${`{${held.map((job) => job.attempts).join(",")}}`}::int[]))`;
}
