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

const lastTableCheck = new WeakMap<object, number>();
/** How often the tick looks for tables to maintain (one catalog read of the schema's tables). */
export const TABLE_MAINTENANCE_INTERVAL_MS = 60_000;
/** Autovacuum's defaults: a table is vacuumed once its dead rows pass 50 + 20 % of its rows. */
const VACUUM_THRESHOLD = 50;
const VACUUM_SCALE_FACTOR = 0.2;

/**
 * Where no autovacuum runs (embedded PGlite), does its work for the app's schema, by its rules, smallest table
 * first, at most once a minute per database:
 * - **vacuum** (and analyze) a table whose dead rows — updated or deleted since — pass 50 + 20 % of its rows.
 *   Without it the space of dead rows was never marked free, so a table that is written all day (the job
 *   queue, whose done jobs are pruned hourly; the outbox; deals moved from stage to stage) only grew: 20,000
 *   rows with half deleted took 8.1 MB after 10,000 more inserts, against 5.7 MB vacuumed first;
 * - **analyze** one never analyzed, or grown to more than twice its pages at the last analysis. Without it the
 *   tables a workspace fills after the migrations (an import of 50,000 rows, months of history) were planned
 *   with the default guesses PostgreSQL makes for a table it knows nothing about.
 * Dead rows are counted by the statistics collector since the process started (PGlite keeps no counts across
 * a restart); a vacuum then clears every dead row, counted or not. Returns the tables vacuumed and analyzed;
 * nothing on a PostgreSQL server, whose autovacuum does all this.
 */
export async function maintainTables(db: Db, now: Date): Promise<{ vacuumed: string[]; analyzed: string[] }> {
  const done = { vacuumed: [] as string[], analyzed: [] as string[] };
  const last = lastTableCheck.get(db);
  if (last !== undefined && now.getTime() - last < TABLE_MAINTENANCE_INTERVAL_MS) return done;
  lastTableCheck.set(db, now.getTime());
  if (await hasAutovacuum(db)) return done;
  const due = rows<{ name: string; vacuum: boolean }>(
    await db.execute(sql`
      select c.relname as name, coalesce(s.n_dead_tup, 0) > ${VACUUM_THRESHOLD} + ${VACUUM_SCALE_FACTOR} * greatest(c.reltuples, 0) as vacuum
      from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_stat_user_tables s on s.relid = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.reltuples < 0 or pg_relation_size(c.oid) / current_setting('block_size')::int > 2 * c.relpages + 8
          or coalesce(s.n_dead_tup, 0) > ${VACUUM_THRESHOLD} + ${VACUUM_SCALE_FACTOR} * greatest(c.reltuples, 0))
      order by pg_relation_size(c.oid), c.relname`),
  );
  for (const { name, vacuum } of due) {
    try {
      // VACUUM cannot run in a transaction: the tick calls this outside one.
      await db.execute(vacuum ? sql`vacuum (analyze) ${sql.identifier(name)}` : sql`analyze ${sql.identifier(name)}`);
      (vacuum ? done.vacuumed : done.analyzed).push(name);
    } catch (error) {
      // A table dropped since the catalog read, say: the rest of the tick (the due jobs) must still run.
      console.warn(`[maintenance] ${vacuum ? "vacuum" : "analyze"} ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return done;
}
