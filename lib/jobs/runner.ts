import { and, eq, isNull } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { Db } from "@/db/types";
import { AppError } from "../errors";
import { backoffMs } from "./backoff";
import { claimDueJobs, DEFAULT_BATCH_SIZE, DEFAULT_LEASE_MS, extendLeases } from "./claim";
import { PermanentJobError, type JobHandlers, type JobRow } from "./types";

export type RunStats = { claimed: number; done: number; retried: number; dead: number; lost: number };

export type RunOptions = {
  batchSize?: number;
  leaseMs?: number;
  /** Stop claiming after this many jobs in one call (the rest waits for the next tick). */
  maxJobs?: number;
  /** Stop claiming new batches after this much wall time (ms); the batch in hand is finished. */
  budgetMs?: number;
  /** Only these kinds (tests; a dedicated worker). */
  kinds?: string[];
  log?: (message: string) => void;
};

/** Thrown inside a job's transaction when another runner took the job over (our lease ran out): roll back. */
class LeaseLost extends Error {}

const MAX_ERROR_LENGTH = 2000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/** Failures that retrying cannot fix: a record that is gone, an input that is invalid, a missing handler. */
function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentJobError) return true;
  return error instanceof AppError && ["NOT_FOUND", "VALIDATION", "FORBIDDEN", "CONFLICT"].includes(error.code);
}

/** This claim still holds the job: same attempt number, not finished by anyone. */
const heldBy = (job: Pick<JobRow, "id" | "attempts">) => and(eq(jobs.id, job.id), eq(jobs.attempts, job.attempts), isNull(jobs.doneAt));

/**
 * Runs due jobs: claims a batch (SKIP LOCKED, under a lease), runs each with its kind's handler, and marks it
 * done — or, on failure, reschedules it with exponential backoff, or marks it dead when its attempts are used
 * up (or the failure is permanent). Repeats until nothing is due, `maxJobs` ran or the time budget is spent.
 * Safe to call from several processes at once: a job is claimed by one runner at a time, and every write
 * back is fenced by the claim's attempt number, so a runner whose lease expired cannot overwrite the newer one.
 */
export async function runDueJobs(db: Db, now: Date, handlers: JobHandlers, opts: RunOptions = {}): Promise<RunStats> {
  const stats: RunStats = { claimed: 0, done: 0, retried: 0, dead: 0, lost: 0 };
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const maxJobs = opts.maxJobs ?? 500;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  while (stats.claimed < maxJobs && (opts.budgetMs === undefined || elapsed() < opts.budgetMs)) {
    const batch = await claimDueJobs(db, now, { batchSize: Math.min(opts.batchSize ?? DEFAULT_BATCH_SIZE, maxJobs - stats.claimed), leaseMs, kinds: opts.kinds });
    if (batch.length === 0) break;
    stats.claimed += batch.length;
    let extendedAt = elapsed();
    let held = new Set(batch.map((j) => j.id));
    for (const [index, job] of batch.entries()) {
      // A long batch keeps its remaining jobs leased (the clock is injected: the lease is now + time spent). A
      // job whose lease ran out anyway (the process stalled) may have been claimed by another runner: theirs now.
      if (elapsed() - extendedAt > leaseMs / 2) {
        extendedAt = elapsed();
        held = await extendLeases(db, batch.slice(index), new Date(now.getTime() + extendedAt + leaseMs));
      }
      if (!held.has(job.id)) {
        stats.lost += 1;
        continue;
      }
      // While a job runs, a heartbeat keeps its lease (and the rest of the batch's) from running out.
      const rest = batch.slice(index);
      const heartbeat = setInterval(() => {
        extendedAt = elapsed();
        void extendLeases(db, rest, new Date(now.getTime() + extendedAt + leaseMs))
          .then((still) => (held = still))
          .catch(() => undefined); // a missed beat only shortens the lease; the next check fences
      }, Math.max(10, leaseMs / 3));
      try {
        const outcome = await runOne(db, now, handlers, job, opts.log);
        stats[outcome] += 1;
      } finally {
        clearInterval(heartbeat);
      }
    }
  }
  return stats;
}

async function runOne(db: Db, now: Date, handlers: JobHandlers, job: JobRow, log?: (m: string) => void): Promise<"done" | "retried" | "dead" | "lost"> {
  const handler = handlers[job.kind];
  try {
    if (!handler) throw new PermanentJobError(`no handler for job kind "${job.kind}"`);
    if (handler.transactional === false) {
      await handler.run({ db, job, now });
      const marked = await db.update(jobs).set({ doneAt: now, lockedUntil: null, lastError: null }).where(heldBy(job)).returning({ id: jobs.id });
      return marked.length ? "done" : "lost";
    }
    await db.transaction(async (tx) => {
      await handler.run({ db: tx, job, now });
      const marked = await tx.update(jobs).set({ doneAt: now, lockedUntil: null, lastError: null }).where(heldBy(job)).returning({ id: jobs.id });
      if (!marked.length) throw new LeaseLost();
    });
    return "done";
  } catch (error) {
    if (error instanceof LeaseLost) return "lost";
    const message = errorText(error);
    const dead = isPermanent(error) || job.attempts >= job.maxAttempts;
    log?.(`[jobs] ${job.kind} #${job.id} attempt ${job.attempts}/${job.maxAttempts} failed${dead ? " (dead)" : ""}: ${message}`);
    return db.transaction(async (tx) => {
      const [marked] = await tx
        .update(jobs)
        .set(
          dead
            ? // A permanent failure ends the job now; attempts stay truthful, the budget shrinks to what was used.
              { lockedUntil: null, lastError: message, maxAttempts: Math.min(job.attempts, job.maxAttempts) }
            : { lockedUntil: null, lastError: message, runAt: new Date(now.getTime() + backoffMs(job.attempts)) },
        )
        .where(heldBy(job))
        .returning();
      if (!marked) return "lost" as const;
      if (dead && handler?.onDead) await handler.onDead({ db: tx, job: marked, now }, message);
      return dead ? ("dead" as const) : ("retried" as const);
    });
  }
}
