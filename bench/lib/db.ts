import fs from "node:fs";
import * as schema from "@/db/schema";
import { applyMigrations } from "@/db/migrate";
import { pgliteExtensions, pgliteStartParams } from "@/db/pglite";
import { appPool } from "@/db/postgres";
import type { Db } from "@/db/types";

export type BenchDb = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

/**
 * Opens (and migrates) the database a bench run works on, through the same drivers and settings as the app:
 * PGlite in `dir` (with the app's start parameters, PGLITE_SETTINGS included), or PostgreSQL at `url`. Only
 * one process may hold a PGlite directory: close it before `next start`.
 */
export async function openBenchDb(target: { kind: "pglite"; dir: string } | { kind: "postgres"; url: string }): Promise<BenchDb> {
  if (target.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = appPool(postgres(target.url, { max: 4, onnotice: () => {} }));
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
    await applyMigrations(db);
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  fs.mkdirSync(target.dir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // Exactly as the app's server opens it (db/client.ts): PostgreSQL's default 128 MB of shared buffers would
  // stay resident for good in PGlite's WebAssembly memory (decision 49), so a child measured with them would
  // carry ~100 MB the server does not.
  const client = new PGlite(target.dir, { extensions: await pgliteExtensions(), startParams: pgliteStartParams(PGlite.defaultStartParams) });
  await client.waitReady;
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  await applyMigrations(db);
  return { db, kind: "pglite", close: () => client.close() };
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A throw-away database on the PostgreSQL server of DATABASE_URL (never the configured database itself):
 * created empty, dropped by `drop()`.
 */
export async function createScratchDatabase(url: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  return {
    url: withDatabase(url, name),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end({ timeout: 5 });
    },
  };
}
