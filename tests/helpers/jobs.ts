import { afterAll, beforeAll, beforeEach } from "vitest";
import { sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { Db } from "@/db/types";
import { createTestDb, type TestDb } from "./db";

/**
 * The job-engine harness of a test file: a fresh database for the file plus a scratch table `effectsTable`
 * (created with `columns`, e.g. "job_id bigint not null, n int not null") where test handlers record their runs;
 * the jobs table and the effects table are emptied before each test. Call it at the top level of the file.
 */
export function jobEngineHarness(effectsTable: string, columns: string): { readonly db: Db } {
  let t: TestDb | undefined;
  beforeAll(async () => {
    t = await createTestDb();
    await t.db.execute(sql.raw(`create table ${effectsTable} (${columns})`));
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await t!.db.delete(jobs);
    await t!.db.execute(sql.raw(`delete from ${effectsTable}`));
  });
  return {
    get db() {
      if (!t) throw new Error("jobEngineHarness: the database is opened in beforeAll");
      return t.db;
    },
  };
}
