import * as schema from "@/db/schema";
import { applyMigrations } from "@/db/migrate";
import type { Db } from "@/db/types";
import { appPool } from "@/db/postgres";

/** A drizzle client on `url` (migrated when `migrate`), with a pool big enough for the concurrent clients of a test. */
export async function openPg(url: string, opts: { max?: number; migrate?: boolean } = {}): Promise<{ db: Db; close: () => Promise<void> }> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = appPool(postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connect_timeout: 5, idle_timeout: 5 }));
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  if (opts.migrate) await applyMigrations(db);
  return { db, close: () => client.end({ timeout: 5 }) };
}
