import { and, gte, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { JobHandler } from "../types";

/** Done jobs are kept this long (their idempotency keys guard against late duplicates meanwhile). */
export const KEEP_DONE_JOBS_DAYS = 30;
const BATCH = 5_000;

/**
 * `prune-jobs` (hourly): deletes done jobs older than KEEP_DONE_JOBS_DAYS, and engine-wide periodic jobs that
 * died that long ago (workspace jobs that died stay until someone retries them or the workspace goes).
 */
export const pruneJobs: JobHandler = {
  async run({ db, now }) {
    const cutoff = new Date(now.getTime() - KEEP_DONE_JOBS_DAYS * 86_400_000);
    const old = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(isNotNull(jobs.doneAt), lt(jobs.doneAt, cutoff)))
      .limit(BATCH);
    await db.delete(jobs).where(inArray(jobs.id, old));
    const deadPeriodic = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(isNull(jobs.doneAt), isNull(jobs.workspaceId), gte(jobs.attempts, jobs.maxAttempts), lt(jobs.runAt, cutoff)))
      .limit(BATCH);
    await db.delete(jobs).where(inArray(jobs.id, deadPeriodic));
  },
};
