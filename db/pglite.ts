import type { PGliteOptions } from "@electric-sql/pglite";

/**
 * The PostgreSQL extensions Pipewise uses (pg_trgm for search), loaded into every embedded database — the app's,
 * the test template and each test copy — so migrations that CREATE EXTENSION work the same as on PostgreSQL.
 * Loaded with dynamic import so a PostgreSQL deployment never loads PGlite.
 */
export async function pgliteExtensions(): Promise<NonNullable<PGliteOptions["extensions"]>> {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}
