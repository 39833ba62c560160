import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import * as schema from "@/db/schema";
import type { Db } from "@/db/types";
import { withDatabase } from "./global-setup";
import { pgliteExtensions } from "@/db/pglite";
import { appPool } from "@/db/postgres";

export type TestDb = { db: Db; close: () => Promise<void> };

/** A fresh, migrated database for one test file: PGlite by default, PostgreSQL when DATABASE_URL is set. */
export async function createTestDb(): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  const template = inject("pgTemplate");
  if (url && template) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const name = `pipewise_test_${randomUUID().replaceAll("-", "")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    const client = appPool(postgres(withDatabase(url, name), { max: 5, onnotice: () => {} }));
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
    return {
      db,
      close: async () => {
        await client.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const file = inject("pgliteTemplate");
  if (!file) throw new Error("global setup did not provide a database template");
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = new PGlite({ loadDataDir: new Blob([fs.readFileSync(file)]), extensions: await pgliteExtensions() });
  await client.waitReady;
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  return { db, close: () => client.close() };
}
