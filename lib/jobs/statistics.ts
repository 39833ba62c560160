import { sql } from "drizzle-orm";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";

/*
 * The queue's planner statistics where nothing else keeps them. PostgreSQL's autovacuum analyzes `jobs` as it
 * changes; embedded PGlite runs no autovacuum (one standalone backend), so the table was never analyzed and
 * the planner guessed a handful of due jobs: every claim then read and sorted *all* due jobs (a bitmap scan)
 * instead of reading the oldest few in index order — 5–10 ms a claim with 10,000 due, O(n²) over a burst of
 * sequence emails, against ~0.3 ms once analyzed. So the runner analyzes the table itself, by autovacuum's
 * growth rule: never analyzed, or twice the pages it had at the last analysis.
 */

const autovacuumRuns = new WeakMap<object, boolean>();

/** Whether an autovacuum launcher runs on this database (asked once per handle). */
async function hasAutovacuum(db: Db): Promise<boolean> {
  let known = autovacuumRuns.get(db);
  if (known === undefined) {
    const [row] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum launcher'`));
    known = Number(row?.n ?? 0) > 0;
    autovacuumRuns.set(db, known);
  }
  return known;
}

/**
 * Analyzes `jobs` when no autovacuum does and its statistics are missing or stale (the table has grown to more
 * than twice its pages at the last analysis). One catalog read per call otherwise; nothing on PostgreSQL.
 */
export async function keepQueueStatistics(db: Db): Promise<boolean> {
  if (await hasAutovacuum(db)) return false;
  const [table] = rows<{ reltuples: number; relpages: number; pages: number }>(
    await db.execute(sql`select reltuples, relpages, (pg_relation_size(oid) / current_setting('block_size')::int)::int as pages from pg_class where oid = 'jobs'::regclass`),
  );
  if (!table) return false;
  if (Number(table.reltuples) >= 0 && Number(table.pages) <= 2 * Number(table.relpages) + 8) return false;
  await db.execute(sql`analyze jobs`);
  return true;
}
