import path from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { sql } from "drizzle-orm";
import type { Db } from "./types";

export const migrationsFolder = path.join(/*turbopackIgnore: true*/ process.cwd(), "db", "migrations");

/**
 * Applies the committed drizzle-kit migrations. Under an advisory lock so several app instances starting
 * at once against one PostgreSQL do not race; on PGlite the lock is trivially ours.
 * Uses drizzle's own migration bookkeeping table (drizzle.__drizzle_migrations).
 */
export async function applyMigrations(db: Db, folder = migrationsFolder): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727073)`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const last = await tx.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    const lastAt = Number(rows<{ created_at: string | number | null }>(last)[0]?.created_at ?? 0);
    for (const m of migrations) {
      if (m.folderMillis <= lastAt) continue;
      for (const statement of m.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`,
      );
    }
  });
}

/** postgres.js returns an array, PGlite returns { rows }: read either. */
export function rows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
