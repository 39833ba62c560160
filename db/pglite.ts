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

/**
 * Memory settings of the embedded PostgreSQL. PGlite runs PostgreSQL inside a WebAssembly memory that grows
 * and never shrinks, so every buffer PostgreSQL touches once stays in the server's RSS for good: PostgreSQL's
 * defaults (128 MB of shared buffers, 64 MB for maintenance) are the floor of a long-running server, not a cache
 * that gives memory back. The data files sit on the host's file system, so pages evicted from shared buffers
 * are read back from the OS page cache (a copy, not a disk read). So the embedded server keeps 32 MB of shared
 * buffers (PostgreSQL's default is 128 MB) and 16 MB for maintenance (index builds in migrations; default 64 MB):
 * measured on the 100,000-deal benchmark, PGlite's resident memory went from ~189 MB to ~57 MB and the server's
 * steady RSS from 691 to 400 MB (with the heap ceiling of scripts/server-node-options.mjs). A bigger database
 * that is read hot can be given more with PGLITE_SETTINGS. See docs/operations.md ("Memory").
 */
export const PGLITE_MEMORY_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: "32MB",
  work_mem: "4MB",
  maintenance_work_mem: "16MB",
  temp_buffers: "8MB",
};

const SETTING_NAME = /^[a-z_]+$/;
const SETTING_VALUE = /^[A-Za-z0-9._-]+$/;

/**
 * The start parameters of the app's PGlite: PGlite's own defaults, then our memory settings, then
 * `PGLITE_SETTINGS` (comma-separated `name=value`, e.g. `shared_buffers=256MB,work_mem=8MB`) from the operator.
 * A malformed entry is refused with an error naming it rather than silently ignored.
 */
export function pgliteStartParams(defaults: readonly string[], env: Record<string, string | undefined> = process.env): string[] {
  const settings: Record<string, string> = { ...PGLITE_MEMORY_SETTINGS };
  for (const entry of (env.PGLITE_SETTINGS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf("=");
    const name = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (eq < 1 || !SETTING_NAME.test(name) || !SETTING_VALUE.test(value)) throw new Error(`PGLITE_SETTINGS: "${entry}" is not name=value (e.g. shared_buffers=64MB)`);
    settings[name] = value;
  }
  return [...defaults, ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
}
