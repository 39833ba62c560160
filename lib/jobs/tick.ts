import type { Db } from "@/db/types";
import { jobHandlers, periodicJobs } from "./handlers";
import { runDueJobs, type RunOptions, type RunStats } from "./runner";
import { enqueuePeriodic } from "./schedule";
import { maintainTables } from "./statistics";

/**
 * One tick of the engine, as called by POST /api/cron/tick and the in-process ticker: enqueue this slot's
 * periodic jobs, then run what is due (workflow steps, event dispatch, reminders) within a time budget. On the
 * embedded database it also vacuums and analyzes the tables, which no autovacuum does there.
 */
export async function tick(db: Db, now: Date, opts: RunOptions = {}): Promise<RunStats> {
  await maintainTables(db, now);
  await enqueuePeriodic(db, now, periodicJobs);
  return runDueJobs(db, now, jobHandlers, { budgetMs: 20_000, log: (m) => console.warn(m), ...opts });
}
