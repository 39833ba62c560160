import { and, eq, inArray, isNull } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { Db } from "@/db/types";
import { AppError } from "../errors";
import { backoffMs } from "./backoff";
import { claimDueJobs, DEFAULT_BATCH_SIZE, DEFAULT_LEASE_MS, extendLeases, heldClaims } from "./claim";
import { keepQueueStatistics } from "./statistics";
import { PermanentJobError, type JobHandler, type JobHandlers, type JobRow } from "./types";

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

/** The most jobs of one batchable kind handed to its `runBatch` at once, unless the handler says otherwise. */
export const DEFAULT_KIND_BATCH_SIZE = 100;

/**
 * A run of the batch: one job alone, or several jobs of a batchable kind together. A non-transactional batch
 * (its effects are I/O: sends) runs in the background while the runner goes on with the rest.
 */
type Unit = { handler: JobHandler | undefined; jobs: JobRow[]; batch: boolean; background: boolean };

/**
 * Claims the next batch: up to `size` due jobs of any kind (oldest first), then, when that claim came back full,
 * the due jobs of each batchable kind, up to the kind's own batch size (one SKIP LOCKED claim per kind, read from
 * jobs_kind_due_idx), so a kind that runs set-based is not held to the engine's per-claim size, and each round
 * carries work of every such kind (the sends of the last round's renders beside the next renders, so they
 * overlap). Never more than `limit` in all.
 */
async function claimBatch(db: Db, now: Date, handlers: JobHandlers, size: number, limit: number, leaseMs: number, kinds: string[] | undefined): Promise<JobRow[]> {
  const batch = await claimDueJobs(db, now, { batchSize: Math.min(size, limit), leaseMs, kinds });
  if (batch.length < Math.min(size, limit)) return batch;
  for (const [kind, handler] of Object.entries(handlers)) {
    if (!handler.runBatch || (kinds && !kinds.includes(kind))) continue;
    const wanted = Math.min((handler.batchSize ?? DEFAULT_KIND_BATCH_SIZE) - batch.filter((job) => job.kind === kind).length, limit - batch.length);
    if (wanted > 0) batch.push(...(await claimDueJobs(db, now, { batchSize: wanted, leaseMs, kinds: [kind] })));
  }
  return batch;
}

/**
 * The batch in running order: each job alone, except batchable kinds, grouped (in chunks of their batch size)
 * where their first job stands; background units first.
 */
function unitsOf(batch: JobRow[], handlers: JobHandlers): Unit[] {
  const units: Unit[] = [];
  const open = new Map<string, Unit>();
  for (const job of batch) {
    const handler = handlers[job.kind];
    if (!handler?.runBatch) {
      units.push({ handler, jobs: [job], batch: false, background: false });
      continue;
    }
    let unit = open.get(job.kind);
    if (!unit || unit.jobs.length >= (handler.batchSize ?? DEFAULT_KIND_BATCH_SIZE)) {
      unit = { handler, jobs: [], batch: true, background: handler.transactional === false };
      open.set(job.kind, unit);
      units.push(unit);
    }
    unit.jobs.push(job);
  }
  // Background units first, so they overlap the rest of the batch.
  return [...units.filter((u) => u.background), ...units.filter((u) => !u.background)];
}

/**
 * Runs due jobs: claims a batch (SKIP LOCKED, under a lease), runs each with its kind's handler — jobs of a kind
 * with a batch handler together, set-based — and marks it done — or, on failure, reschedules it with
 * exponential backoff, or marks it dead when its attempts are used up (or the failure is permanent). Repeats
 * until nothing is due, `maxJobs` ran or the time budget is spent.
 * Safe to call from several processes at once: a job is claimed by one runner at a time, and every write
 * back is fenced by the claim's attempt number, so a runner whose lease expired cannot overwrite the newer one.
 */
export async function runDueJobs(db: Db, now: Date, handlers: JobHandlers, opts: RunOptions = {}): Promise<RunStats> {
  const stats: RunStats = { claimed: 0, done: 0, retried: 0, dead: 0, lost: 0 };
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const maxJobs = opts.maxJobs ?? 500;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  // Background batches in flight, one per kind: the next batch of a kind waits for the previous one.
  const background = new Map<string, Promise<void>>();
  const failures: unknown[] = [];
  const inBackground = (unit: Unit, jobsHeld: JobRow[]) => {
    // Its own heartbeat: the main loop's covers only what it has still to run.
    const heartbeat = setInterval(() => {
      void extendLeases(db, jobsHeld, new Date(now.getTime() + elapsed() + leaseMs)).catch(() => undefined);
    }, Math.max(10, leaseMs / 3));
    return runMany(db, now, handlers, unit.handler!, jobsHeld, opts.log)
      .then(
        (outcomes) => {
          for (const outcome of outcomes) stats[outcome] += 1;
        },
        (error: unknown) => void failures.push(error),
      )
      .finally(() => clearInterval(heartbeat));
  };
  await keepQueueStatistics(db);
  try {
    await runRounds();
  } finally {
    await Promise.all(background.values());
  }
  if (failures.length) throw failures[0];
  return stats;

  async function runRounds() {
    while (stats.claimed < maxJobs && (opts.budgetMs === undefined || elapsed() < opts.budgetMs) && failures.length === 0) {
      const batch = await claimBatch(db, now, handlers, opts.batchSize ?? DEFAULT_BATCH_SIZE, maxJobs - stats.claimed, leaseMs, opts.kinds);
      if (batch.length === 0) break;
      stats.claimed += batch.length;
      let extendedAt = elapsed();
      let held = new Set(batch.map((j) => j.id));
      const units = unitsOf(batch, handlers);
      for (const [index, unit] of units.entries()) {
        const rest = units.slice(index).flatMap((u) => u.jobs);
        // A long batch keeps its remaining jobs leased (the clock is injected: the lease is now + time spent). A
        // job whose lease ran out anyway (the process stalled) may have been claimed by another runner: theirs now.
        // `held` only ever shrinks: a job fenced out once stays out, whichever answer arrives last.
        if (elapsed() - extendedAt > leaseMs / 2) {
          extendedAt = elapsed();
          held = intersect(held, await extendLeases(db, rest, new Date(now.getTime() + extendedAt + leaseMs)));
        }
        const jobsHeld = unit.jobs.filter((job) => held.has(job.id));
        stats.lost += unit.jobs.length - jobsHeld.length;
        if (jobsHeld.length === 0) continue;
        if (unit.background) {
          const kind = jobsHeld[0]!.kind;
          await background.get(kind);
          background.set(kind, inBackground(unit, jobsHeld));
          continue;
        }
        // While a job runs, a heartbeat keeps its lease (and the rest of the batch's) from running out. It does not
        // stand in for the check above: a beat that lands just after a stall (the process blocked past its lease)
        // can still extend leases another runner is about to take over, so after a long job the runner checks again.
        const heartbeat = setInterval(() => {
          void extendLeases(db, rest, new Date(now.getTime() + elapsed() + leaseMs))
            .then((still) => (held = intersect(held, still)))
            .catch(() => undefined); // a missed beat only shortens the lease; the next check fences
        }, Math.max(10, leaseMs / 3));
        try {
          if (unit.batch) {
            for (const outcome of await runMany(db, now, handlers, unit.handler!, jobsHeld, opts.log)) stats[outcome] += 1;
          } else {
            stats[await runOne(db, now, handlers, jobsHeld[0]!, opts.log)] += 1;
          }
        } finally {
          clearInterval(heartbeat);
        }
      }
    }
  }
}

type Outcome = "done" | "retried" | "dead" | "lost";

const intersect = (a: Set<number>, b: Set<number>) => new Set([...a].filter((id) => b.has(id)));

/** Marks the jobs done, each fenced by its claim (`(id, attempts)`, not done yet); returns the ids marked. */
async function markDone(db: Db, list: JobRow[], now: Date): Promise<Set<number>> {
  if (list.length === 0) return new Set();
  const marked = await db
    .update(jobs)
    .set({ doneAt: now, lockedUntil: null, lastError: null })
    .where(and(inArray(jobs.id, list.map((job) => job.id)), heldClaims(list), isNull(jobs.doneAt)))
    .returning({ id: jobs.id });
  return new Set(marked.map((row) => row.id));
}

/**
 * Runs several jobs of one kind through its batch handler (see JobHandler.runBatch for the contract) and
 * returns each job's outcome.
 */
async function runMany(db: Db, now: Date, handlers: JobHandlers, handler: JobHandler, list: JobRow[], log?: (m: string) => void): Promise<Outcome[]> {
  if (handler.transactional === false) {
    let failures: Map<number, unknown>;
    try {
      failures = (await handler.runBatch!({ db, jobs: list, now })) ?? new Map();
    } catch (error) {
      failures = new Map(list.map((job) => [job.id, error]));
    }
    const succeeded = list.filter((job) => !failures.has(job.id));
    const marked = await markDone(db, succeeded, now);
    const outcomes: Outcome[] = succeeded.map((job) => (marked.has(job.id) ? "done" : "lost"));
    for (const job of list) if (failures.has(job.id)) outcomes.push(await fail(db, now, handler, job, failures.get(job.id), log));
    return outcomes;
  }
  try {
    await db.transaction(async (tx) => {
      await handler.runBatch!({ db: tx, jobs: list, now });
      const marked = await markDone(tx, list, now);
      if (marked.size < list.length) throw new LeaseLost();
    });
    return list.map(() => "done" as const);
  } catch (error) {
    // Rolled back: each job runs alone, so a job that cannot run fails alone (and a job another runner took
    // over is reported lost by its own fence).
    if (!(error instanceof LeaseLost)) log?.(`[jobs] a batch of ${list.length} ${list[0]!.kind} jobs failed, running them one by one: ${errorText(error)}`);
    const outcomes: Outcome[] = [];
    for (const job of list) outcomes.push(await runOne(db, now, handlers, job, log));
    return outcomes;
  }
}

async function runOne(db: Db, now: Date, handlers: JobHandlers, job: JobRow, log?: (m: string) => void): Promise<Outcome> {
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
    return fail(db, now, handler, job, error, log);
  }
}

/** A failed run: back to the queue after the backoff, or dead (attempts used up, or a permanent failure). Fenced. */
async function fail(db: Db, now: Date, handler: JobHandler | undefined, job: JobRow, error: unknown, log?: (m: string) => void): Promise<Outcome> {
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
