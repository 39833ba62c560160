import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { rows } from "@/db/migrate";
import { backoffMs } from "@/lib/jobs/backoff";
import { extendLeases } from "@/lib/jobs/claim";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { runDueJobs } from "@/lib/jobs/runner";
import { keepQueueStatistics, maintainTables, TABLE_MAINTENANCE_INTERVAL_MS } from "@/lib/jobs/statistics";
import { PermanentJobError, type JobHandler, type JobRow } from "@/lib/jobs/types";
import { jobEngineHarness } from "../helpers/jobs";

/** Batch handlers (JobHandler.runBatch): how the engine claims, groups, commits, retries and fences them. */

const T0 = new Date("2026-03-10T09:00:00Z");
const MIN = 60_000;
const later = (ms: number) => new Date(T0.getTime() + ms);
const t = jobEngineHarness("test_batch_effects", "job_id bigint not null, n int not null");

const effects = async () => rows<{ job_id: string; n: string }>(await t.db.execute(sql`select job_id::text, n::text from test_batch_effects order by job_id`)).map((r) => Number(r.job_id));
const record = (db: typeof t.db, list: JobRow[]) =>
  db.execute(sql`insert into test_batch_effects (job_id, n) select unnest(${`{${list.map((j) => j.id).join(",")}}`}::bigint[]), 1`);
const enqueue = (kind: string, n: number, extra: Partial<Parameters<typeof enqueueJobs>[1][number]> = {}) =>
  enqueueJobs(t.db, Array.from({ length: n }, (_, i) => ({ kind, runAt: later(-MIN), payload: { i }, ...extra })));
const job = async (id: number) => (await t.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;

describe("batch handlers", () => {
  it("claims a batchable kind beyond the engine's claim size, up to the kind's batch size, and runs it in one call", async () => {
    await enqueue("bulk", 30);
    await enqueue("single", 3);
    const calls: number[] = [];
    const bulk: JobHandler = { run: async () => {}, batchSize: 12, runBatch: async ({ db, jobs: list }) => void (calls.push(list.length), await record(db, list)) };
    const stats = await runDueJobs(t.db, T0, { bulk, single: { run: async () => {} } }, { batchSize: 5 });
    expect(stats).toMatchObject({ claimed: 33, done: 33, retried: 0, dead: 0, lost: 0 });
    // First claim: 5 of any kind (bulk, oldest), topped up to 12 bulk jobs; never more than 12 in one call.
    expect(calls[0]).toBe(12);
    expect(Math.max(...calls)).toBe(12);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(30);
    expect(await effects()).toHaveLength(30);
    expect((await t.db.select().from(jobs)).every((j) => j.doneAt?.getTime() === T0.getTime() && j.lockedUntil === null)).toBe(true);
  });

  it("rolls a failing transactional batch back and runs its jobs one by one: the bad job alone retries with backoff", async () => {
    const [bad, ...good] = await enqueue("bulk", 5);
    const bulk: JobHandler = {
      run: async ({ db, job: one }) => {
        if (one.id === bad) throw new Error("this one cannot run yet");
        await record(db, [one]);
      },
      runBatch: async ({ db, jobs: list }) => {
        await record(db, list); // rolled back with the rest of the batch
        if (list.some((j) => j.id === bad)) throw new Error("one job of the batch failed");
      },
    };
    const stats = await runDueJobs(t.db, T0, { bulk }, { log: () => {} });
    expect(stats).toMatchObject({ claimed: 5, done: 4, retried: 1, dead: 0 });
    expect(await effects()).toEqual(good); // once each: the batch's own writes were rolled back
    const retried = await job(bad!);
    expect(retried).toMatchObject({ doneAt: null, lastError: "this one cannot run yet", attempts: 1 });
    expect(retried.runAt.getTime()).toBe(T0.getTime() + backoffMs(1));
  });

  it("non-transactional: the jobs a batch reports failed retry with backoff or end dead, the others are done", async () => {
    const ids = await enqueue("send", 4, { maxAttempts: 2 });
    const failOnce = new Set([ids[1]]);
    const send: JobHandler = {
      transactional: false,
      run: async () => {
        throw new Error("batches only");
      },
      runBatch: async ({ jobs: list }) => {
        const failures = new Map<number, unknown>();
        for (const j of list) {
          if (j.id === ids[3]) failures.set(j.id, new PermanentJobError("address refused for good"));
          else if (failOnce.delete(j.id)) failures.set(j.id, new Error("4xx try later"));
        }
        return failures;
      },
    };
    expect(await runDueJobs(t.db, T0, { send }, { log: () => {} })).toMatchObject({ claimed: 4, done: 2, retried: 1, dead: 1 });
    expect(await job(ids[1]!)).toMatchObject({ doneAt: null, attempts: 1, lastError: "4xx try later", runAt: new Date(T0.getTime() + backoffMs(1)) });
    expect(await job(ids[3]!)).toMatchObject({ doneAt: null, attempts: 1, maxAttempts: 1, lastError: "PermanentJobError: address refused for good" });
    // Not due before its backoff; then done.
    expect(await runDueJobs(t.db, later(backoffMs(1) - 1), { send })).toMatchObject({ claimed: 0 });
    expect(await runDueJobs(t.db, later(backoffMs(1)), { send })).toMatchObject({ claimed: 1, done: 1 });
  });

  it("a thrown non-transactional batch fails each of its jobs (retried with backoff), none is marked done", async () => {
    await enqueue("send", 3);
    const send: JobHandler = { transactional: false, run: async () => {}, runBatch: async () => Promise.reject(new Error("SMTP pool closed")) };
    expect(await runDueJobs(t.db, T0, { send }, { log: () => {} })).toMatchObject({ claimed: 3, done: 0, retried: 3 });
    expect((await t.db.select().from(jobs)).every((j) => j.doneAt === null && j.lastError === "SMTP pool closed")).toBe(true);
  });

  it("a transactional batch that lost a job to another runner commits nothing of the batch: the rest run alone, the lost one is reported", async () => {
    const [first, taken, third] = await enqueue("bulk", 3);
    // Runs first in the same round: meanwhile our lease on `taken` ran out and another runner claimed it.
    await enqueueJobs(t.db, [{ kind: "takeover", runAt: later(-2 * MIN) }]);
    const takeover: JobHandler = {
      run: async ({ db }) => void (await db.execute(sql`update jobs set attempts = attempts + 1, locked_until = ${later(10 * MIN).toISOString()}::timestamptz where id = ${taken}`)),
    };
    const bulk: JobHandler = {
      run: async ({ db, job: one }) => void (await record(db, [one])),
      runBatch: async ({ db, jobs: list }) => void (await record(db, list)),
    };
    expect(await runDueJobs(t.db, T0, { bulk, takeover })).toMatchObject({ claimed: 4, done: 3, lost: 1 });
    expect(await effects()).toEqual([first, third]);
    expect(await job(taken!)).toMatchObject({ doneAt: null, attempts: 2 });
  });

  it("runs a non-transactional batch in the background while the runner goes on with the next batch", async () => {
    await enqueue("send", 4);
    await enqueue("render", 4);
    const order: string[] = [];
    let release!: () => void;
    const sending = new Promise<void>((r) => (release = r));
    const handlers: Record<string, JobHandler> = {
      send: { transactional: false, run: async () => {}, runBatch: async () => void (order.push("send started"), await sending, order.push("send finished")) },
      render: { run: async () => {}, runBatch: async () => void (order.push("render"), release()) },
    };
    expect(await runDueJobs(t.db, T0, handlers)).toMatchObject({ claimed: 8, done: 8 });
    expect(order).toEqual(["send started", "render", "send finished"]);
  });

  it("fences a batch's leases with array parameters: hundreds of claims twice in a row (a long row list hung PGlite)", async () => {
    const ids = await enqueue("held", 450);
    const held = (await t.db.select().from(jobs)).map((j) => ({ id: j.id, attempts: j.attempts }));
    expect((await extendLeases(t.db, held.slice(0, 300), later(MIN))).size).toBe(300);
    expect((await extendLeases(t.db, held, later(2 * MIN))).size).toBe(ids.length);
  }, 20_000);
});

describe("queue statistics on an embedded database", () => {
  // With DATABASE_URL the suite runs on a PostgreSQL server, whose autovacuum keeps the statistics: nothing to do.
  it.runIf(process.env.DATABASE_URL)("leaves the statistics to autovacuum on a PostgreSQL server", async () => {
    await enqueue("noop", 3000);
    expect(await keepQueueStatistics(t.db)).toBe(false);
  });

  it.skipIf(process.env.DATABASE_URL)("analyzes the jobs table when it was never analyzed or has doubled, as autovacuum would; not otherwise", async () => {
    const stats = async () => rows<{ reltuples: number }>(await t.db.execute(sql`select reltuples from pg_class where oid = 'jobs'::regclass`))[0]!;
    await enqueue("noop", 50);
    await t.db.execute(sql`analyze jobs`);
    expect(await keepQueueStatistics(t.db)).toBe(false); // fresh
    await enqueue("noop", 3000);
    expect(await keepQueueStatistics(t.db)).toBe(true); // grew past twice its pages
    expect(Number((await stats()).reltuples)).toBeGreaterThan(2000);
    expect(await keepQueueStatistics(t.db)).toBe(false);
  });
});

describe("table maintenance on an embedded database", () => {
  const none = { vacuumed: [], analyzed: [] };
  it.runIf(process.env.DATABASE_URL)("leaves every table to autovacuum on a PostgreSQL server", async () => {
    expect(await maintainTables(t.db, later(0))).toEqual(none);
  });

  it.skipIf(process.env.DATABASE_URL)("analyzes the schema's tables never analyzed or doubled, at most once a minute; not the fresh ones", async () => {
    const reltuples = async (name: string) => Number(rows<{ n: number }>(await t.db.execute(sql`select reltuples as n from pg_class where oid = ${name}::regclass`))[0]!.n);
    await t.db.execute(sql`create table stats_probe (id int primary key, label text)`);
    await t.db.execute(sql`insert into stats_probe select g, 'row ' || g from generate_series(1, 5000) g`);
    const first = await maintainTables(t.db, later(0));
    expect(first.analyzed).toContain("stats_probe"); // never analyzed
    expect(first.analyzed).toContain("deals"); // the app's tables, empty since the migrations, too
    expect(await reltuples("stats_probe")).toBe(5000);
    await t.db.execute(sql`insert into stats_probe select g, 'row ' || g from generate_series(5001, 20000) g`);
    expect(await maintainTables(t.db, later(TABLE_MAINTENANCE_INTERVAL_MS / 2))).toEqual(none); // not yet a minute
    // (the other tests' churn may have `jobs` vacuumed here: its dead rows are counted as they are reported)
    expect((await maintainTables(t.db, later(TABLE_MAINTENANCE_INTERVAL_MS))).analyzed).toEqual(["stats_probe"]); // doubled; the rest fresh
    expect(await reltuples("stats_probe")).toBe(20000);
    expect(Object.values(await maintainTables(t.db, later(2 * TABLE_MAINTENANCE_INTERVAL_MS))).flat()).not.toContain("stats_probe");
    await t.db.execute(sql`drop table stats_probe`);
  });

  it.skipIf(process.env.DATABASE_URL)("vacuums a table whose dead rows pass 50 + 20 % of its rows, so new rows reuse their space instead of growing it", async () => {
    const size = async () => Number(rows<{ n: number }>(await t.db.execute(sql`select pg_relation_size('vacuum_probe') as n`))[0]!.n);
    await t.db.execute(sql`create table vacuum_probe (id int primary key, label text)`);
    await t.db.execute(sql`insert into vacuum_probe select g, repeat('x', 200) from generate_series(1, 10000) g`);
    await maintainTables(t.db, later(3 * TABLE_MAINTENANCE_INTERVAL_MS)); // analyzed: 10,000 rows
    await t.db.execute(sql`delete from vacuum_probe where id <= 1000`); // 1,000 dead: under 50 + 2,000
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the statistics collector reports at most once a second
    await t.db.execute(sql`select 1`);
    expect((await maintainTables(t.db, later(4 * TABLE_MAINTENANCE_INTERVAL_MS))).vacuumed).not.toContain("vacuum_probe");
    await t.db.execute(sql`delete from vacuum_probe where id <= 5000`); // 5,000 dead
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await t.db.execute(sql`select 1`);
    const before = await size();
    const maintained = await maintainTables(t.db, later(5 * TABLE_MAINTENANCE_INTERVAL_MS));
    expect(maintained.vacuumed).toContain("vacuum_probe");
    expect(maintained.analyzed).not.toContain("vacuum_probe"); // the vacuum analyzes it too
    await t.db.execute(sql`insert into vacuum_probe select g, repeat('x', 200) from generate_series(20001, 24000) g`);
    expect(await size()).toBe(before); // the 4,000 new rows went where the deleted ones were
    expect(Object.values(await maintainTables(t.db, later(6 * TABLE_MAINTENANCE_INTERVAL_MS))).flat()).not.toContain("vacuum_probe");
    await t.db.execute(sql`drop table vacuum_probe`);
  });
});

