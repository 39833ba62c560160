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
};

export type JobHandlers = Record<string, JobHandler>;

/** A failure that retrying cannot fix (the record is gone, the configuration is invalid): dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}
