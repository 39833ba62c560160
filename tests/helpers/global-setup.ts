import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Builds one migrated database per run; every test file then starts from a copy of it.
 * PGlite: a dumped data directory (loadDataDir is ~0.7 s a file, a fresh PGlite ~5 s).
 * PostgreSQL (DATABASE_URL set): a template database; each file gets CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const { applyMigrations } = await import("../../db/migrate");
  const schema = await import("../../db/schema");
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const template = `pipewise_test_tpl_${process.pid}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    const tplUrl = withDatabase(url, template);
    const client = postgres(tplUrl, { max: 1, onnotice: () => {} });
    await applyMigrations(drizzle({ client, schema, casing: "snake_case" }) as never);
    await client.end();
    project.provide("pgTemplate", template);
    return async () => {
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { pgliteExtensions } = await import("../../db/pglite");
  const client = new PGlite({ extensions: await pgliteExtensions() });
  await applyMigrations(drizzle({ client, schema, casing: "snake_case" }) as never);
  const dump = await client.dumpDataDir("none");
  await client.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-test-")), "template.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate?: string;
    pgTemplate?: string;
  }
}
