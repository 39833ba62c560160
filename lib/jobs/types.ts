import type { jobs } from "@/db/schema";
import type { Db } from "@/db/types";

export type JobRow = typeof jobs.$inferSelect;

/** What a handler gets: the job as claimed (its `attempts` already counts this run) and the tick's clock. */
export type JobContext = {
  /** A transaction that also marks the job done (transactional handlers), or the plain handle. */
  db: Db;
  job: JobRow;
  now: Date;
};

/**
 * One kind of job. By default `run` executes inside the same transaction that marks the job done, so a
 * database-only effect happens exactly once even if the process dies half-way (the transaction rolls back and
 * the job is claimed again after its lease). Handlers with an external effect (HTTP, email) set
 * `transactional: false`, open their own transactions and must be idempotent by themselves (a unique key per
 * effect), because a crash between the effect and "done" runs them again.
 */
export type JobHandler = {
  run: (job: JobContext) => Promise<void>;
  transactional?: boolean;
  /** Called (in a transaction) when a failure used up the last attempt, e.g. to mark a workflow run failed. */
  onDead?: (job: JobContext, error: string) => Promise<void>;
  /**
   * Runs many claimed jobs of this kind at once, set-based: a handful of statements for the whole batch instead
   * of a handful per job (the runner claims up to `batchSize` of them together). Same guarantees as `run`:
   *   - transactional (the default): inside one transaction that also marks every job of the batch done, all or
   *     nothing. A throw — or a job of the batch whose lease another runner took over meanwhile — rolls the
   *     whole batch back, and each job then runs alone through `run` (its own transaction, retries, fence), so
   *     one bad job fails alone;
   *   - not transactional: returns the jobs that failed (job id → error); they are retried with backoff or end
   *     dead exactly as if they had failed alone, the others are marked done. A throw fails every job of the
   *     batch with that error (the handler must stay idempotent per effect, as `run` must).
   */
  runBatch?: (batch: JobBatchContext) => Promise<Map<number, unknown> | void>;
  /** The most jobs of this kind one `runBatch` call takes (default DEFAULT_KIND_BATCH_SIZE). */
  batchSize?: number;
};

/** What a batch handler gets: the jobs as claimed (same kind, each `attempts` counting this run) and the clock. */
export type JobBatchContext = {
  /** The batch's transaction (transactional handlers), or the plain handle. */
  db: Db;
  jobs: JobRow[];
  now: Date;
};

export type JobHandlers = Record<string, JobHandler>;

/** A failure that retrying cannot fix (the record is gone, the configuration is invalid): dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}
