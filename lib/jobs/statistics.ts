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
/** How often the tick looks for stale tables (one catalog read of the schema's tables). */
export const TABLE_STATISTICS_INTERVAL_MS = 60_000;

/**
 * Where no autovacuum runs (embedded PGlite), analyzes every table of the app's schema whose planner statistics
 * are missing or stale by the same growth rule as `keepQueueStatistics` — never analyzed, or grown to more than
 * twice its pages at the last analysis — smallest first, at most once a minute per database. Without it the
 * tables a workspace fills after the migrations (an import of 50,000 rows, months of history) were planned with
 * the default guesses PostgreSQL makes for a table it knows nothing about. Returns the tables analyzed; nothing
 * on a PostgreSQL server, whose autovacuum does this.
 */
export async function keepTableStatistics(db: Db, now: Date): Promise<string[]> {
  const last = lastTableCheck.get(db);
  if (last !== undefined && now.getTime() - last < TABLE_STATISTICS_INTERVAL_MS) return [];
  lastTableCheck.set(db, now.getTime());
  if (await hasAutovacuum(db)) return [];
  const stale = rows<{ name: string }>(
    await db.execute(sql`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.reltuples < 0 or pg_relation_size(c.oid) / current_setting('block_size')::int > 2 * c.relpages + 8)
      order by pg_relation_size(c.oid), c.relname`),
  );
  for (const { name } of stale) await db.execute(sql`analyze ${sql.identifier(name)}`);
  return stale.map((t) => t.name);
}
