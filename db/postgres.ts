/**
 * How Pipewise talks to a PostgreSQL server through postgres.js (decision 62): every statement with parameters
 * is a named prepared statement of its pooled connection, so PostgreSQL parses and plans a query once per
 * connection instead of on every call.
 *
 * drizzle hands each query to postgres.js as `unsafe(text, params, { prepare: false })` unless the query was
 * built with drizzle's own `.prepare()`, so PostgreSQL parsed and planned every statement again. The query texts
 * come from our code (values are always parameters), so the set of texts is bounded, and the saving is the
 * whole planning time: the board's first-cards query spends ~3 ms of its ~9 ms there.
 *
 * Turn it off with DATABASE_PREPARE=0 behind a pooler that cannot keep named statements across transactions
 * (PgBouncer before 1.21 in transaction mode, or with `max_prepared_statements = 0`).
 */

/** The part of a postgres.js `sql` instance this wraps (the pool, or a transaction's or savepoint's own `sql`). */
type PostgresSql = {
  unsafe: (query: string, args?: unknown, options?: Record<string, unknown>) => unknown;
} & Partial<Record<"begin" | "savepoint", (...args: unknown[]) => Promise<unknown>>>;

/** Whether statements are prepared (DATABASE_PREPARE, on unless "0" or "false"). */
export function preparedStatementsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const value = (env.DATABASE_PREPARE ?? "").trim().toLowerCase();
  return value !== "0" && value !== "false";
}

/**
 * A postgres.js pool as the app uses it: statements prepared unless DATABASE_PREPARE turns it off. The app's pool
 * (db/client.ts), the tests' and the benchmark's all go through here, so they run in the same mode.
 */
export function appPool<T extends object>(client: T, env: Record<string, string | undefined> = process.env): T {
  return preparedStatementsEnabled(env) ? prepareStatements(client) : client;
}

/**
 * At most this many distinct statement texts are prepared per pool; later new texts run unprepared. Each
 * prepared statement holds its parse tree and plans in every server backend that ran it (~70 KB each for the
 * app's queries, measured with pg_log_backend_memory_contexts), until postgres.js retires the connection
 * (after 30–60 minutes), and postgres.js never deallocates one. The app's hot statements come first (every
 * request signs in and every board reads the same shapes); what is left over are rarer shapes such as an
 * `in (…)` list of every length, which would otherwise grow a backend without bound.
 */
export const PREPARED_STATEMENTS_PER_POOL = 500;

/**
 * Makes `sql.unsafe` prepare its statements, on the pool and in every transaction and savepoint opened from it
 * (postgres.js gives each its own `sql`). Statements without parameters still go by the simple protocol
 * (postgres.js's rule), so migrations' multi-statement scripts are unaffected.
 */
export function prepareStatements<T extends object>(client: T, limit = PREPARED_STATEMENTS_PER_POOL): T {
  return wrap(client, new Set<string>(), limit);
}

function wrap<T extends object>(client: T, prepared: Set<string>, limit: number): T {
  const sql = client as unknown as PostgresSql;
  const unsafe = sql.unsafe.bind(sql);
  const prepare = (query: string) => {
    if (prepared.has(query)) return true;
    if (prepared.size >= limit) return false;
    prepared.add(query);
    return true;
  };
  sql.unsafe = (query, args, options) => {
    // unsafe(query, options) is postgres.js's other form
    const [params, given] = Array.isArray(args) || args === undefined ? [args ?? [], options] : [[], args as Record<string, unknown>];
    return unsafe(query, params, prepare(query) ? { ...given, prepare: true } : given);
  };
  for (const method of ["begin", "savepoint"] as const) {
    const open = sql[method]?.bind(sql);
    if (!open) continue;
    // begin(run) / begin(options, run); savepoint(run) / savepoint(name, run)
    sql[method] = (...args: unknown[]) => {
      const run = args[args.length - 1] as (tx: PostgresSql) => unknown;
      return open(...args.slice(0, -1), (tx: PostgresSql) => run(wrap(tx, prepared, limit)));
    };
  }
  return client;
}
