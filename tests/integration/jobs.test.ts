import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";
import { claimDueJobs, LEASE_EXPIRED } from "@/lib/jobs/claim";
import { enqueueJob, enqueueJobs } from "@/lib/jobs/enqueue";
import { runDueJobs } from "@/lib/jobs/runner";
import { PermanentJobError, type JobHandler, type JobHandlers } from "@/lib/jobs/types";
import { jobState } from "@/lib/jobs/state";
import { listDeadJobs, queueSummary } from "@/lib/jobs/queries";
import { retryJob } from "@/lib/jobs/commands";
import { enqueuePeriodic } from "@/lib/jobs/schedule";
import { pruneJobs } from "@/lib/jobs/handlers/prune-jobs";
import { AppError } from "@/lib/errors";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

const T0 = new Date("2026-03-10T09:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  // Each effect a test handler has, written in the job's transaction: duplicates would show as extra rows.
  await t.db.execute(sql`create table test_job_effects (job_id bigint not null, runner text not null)`);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.delete(jobs);
  await t.db.execute(sql`delete from test_job_effects`);
});

const recordEffect = (runner: string): JobHandler => ({
  async run({ db, job }) {
    await db.execute(sql`insert into test_job_effects (job_id, runner) values (${job.id}, ${runner})`);
  },
});

async function effects(): Promise<{ job_id: string; n: number }[]> {
  return rows<{ job_id: string; n: number }>(await t.db.execute(sql`select job_id::text, count(*)::int as n from test_job_effects group by job_id`));
}

const jobRow = async (id: number) => (await t.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;

describe("enqueueing", () => {
  it("adds a job once per idempotency key", async () => {
    const first = await enqueueJob(t.db, { kind: "noop", runAt: T0, idempotencyKey: "k-1" });
    const second = await enqueueJob(t.db, { kind: "noop", runAt: T0, idempotencyKey: "k-1", payload: { other: true } });
    expect(first).toEqual(expect.any(Number));
    expect(second).toBeNull();
    expect(await t.db.select().from(jobs)).toHaveLength(1);
  });

  it("refuses a duplicate key at the database level too", async () => {
    await t.db.insert(jobs).values({ kind: "noop", runAt: T0, idempotencyKey: "dup" });
    await expect(t.db.insert(jobs).values({ kind: "noop", runAt: T0, idempotencyKey: "dup" })).rejects.toThrow();
  });

  it("allows any number of jobs without a key", async () => {
    await enqueueJobs(t.db, [{ kind: "noop", runAt: T0 }, { kind: "noop", runAt: T0 }]);
    expect(await t.db.select().from(jobs)).toHaveLength(2);
  });

  it("enqueues one periodic job per slot, whoever ticks", async () => {
    const list = [{ kind: "sweep", everyMs: 5 * MIN }];
    await enqueuePeriodic(t.db, later(1_000), list);
    await enqueuePeriodic(t.db, later(2 * MIN), list); // same 5-minute slot (another instance)
    await enqueuePeriodic(t.db, later(5 * MIN), list); // next slot
    const all = await t.db.select().from(jobs).orderBy(asc(jobs.runAt));
    expect(all.map((j) => j.runAt.toISOString())).toEqual(["2026-03-10T09:00:00.000Z", "2026-03-10T09:05:00.000Z"]);
    expect(all.every((j) => j.maxAttempts === 1)).toBe(true);
  });
});

describe("claiming", () => {
  it("claims due jobs oldest first, up to the batch size, under a lease", async () => {
    await enqueueJobs(t.db, [
      { kind: "noop", runAt: later(-2 * MIN) },
      { kind: "noop", runAt: later(-1 * MIN) },
      { kind: "noop", runAt: later(-3 * MIN) },
      { kind: "noop", runAt: later(1 * MIN) }, // not due yet
    ]);
    const claimed = await claimDueJobs(t.db, T0, { batchSize: 2, leaseMs: MIN });
    expect(claimed.map((j) => j.runAt.toISOString())).toEqual([later(-3 * MIN).toISOString(), later(-2 * MIN).toISOString()]);
    expect(claimed.every((j) => j.attempts === 1 && j.lockedUntil?.getTime() === later(MIN).getTime())).toBe(true);
    // The leased ones are not claimed again; the remaining due one is.
    const next = await claimDueJobs(t.db, T0, { batchSize: 10, leaseMs: MIN });
    expect(next).toHaveLength(1);
    expect(await claimDueJobs(t.db, T0, { batchSize: 10 })).toHaveLength(0);
  });

  it("never claims a job that is done or out of attempts", async () => {
    await t.db.insert(jobs).values([
      { kind: "noop", runAt: T0, doneAt: T0 },
      { kind: "noop", runAt: T0, attempts: 3, maxAttempts: 3 },
    ]);
    expect(await claimDueJobs(t.db, later(MIN))).toHaveLength(0);
  });
});

describe("two runners ticking at once", () => {
  it("run each of 1,000 jobs exactly once", async () => {
    const ids = await enqueueJobs(
      t.db,
      Array.from({ length: 1000 }, (_, i) => ({ kind: "effect", runAt: new Date(T0.getTime() - i), idempotencyKey: `bulk-${i}` })),
    );
    expect(ids).toHaveLength(1000);
    const runner = (name: string) => runDueJobs(t.db, T0, { effect: recordEffect(name) }, { batchSize: 10, maxJobs: 2000 });
    const [one, two] = await Promise.all([runner("one"), runner("two")]);
    expect(one.claimed + two.claimed).toBe(1000);
    expect(one.done + two.done).toBe(1000);
    // Both really took part (the claims interleaved rather than one runner draining the queue alone).
    expect(one.claimed).toBeGreaterThan(0);
    expect(two.claimed).toBeGreaterThan(0);
    const counts = await effects();
    expect(counts).toHaveLength(1000);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const [left] = rows<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from jobs where done_at is null`));
    expect(left!.n).toBe(0);
  });
});

describe("crash safety", () => {
  it("loses nothing when a runner dies mid-batch: its jobs run after the lease expires", async () => {
    await enqueueJobs(t.db, Array.from({ length: 5 }, (_, i) => ({ kind: "effect", runAt: T0, idempotencyKey: `crash-${i}` })));
    // The "killed" runner claimed three jobs and never reported back.
    const orphaned = await claimDueJobs(t.db, T0, { batchSize: 3, leaseMs: 2 * MIN });
    expect(orphaned).toHaveLength(3);
    const handlers = { effect: recordEffect("survivor") };
    // While the lease holds, another runner only gets the two unclaimed jobs.
    const during = await runDueJobs(t.db, later(MIN), handlers, { leaseMs: 2 * MIN });
    expect(during).toMatchObject({ claimed: 2, done: 2 });
    // After the lease, the orphans are claimed again (second attempt) and run once.
    const claimedAgain = await claimDueJobs(t.db, later(2 * MIN + 1), { batchSize: 10 });
    expect(claimedAgain.map((j) => j.id).sort()).toEqual(orphaned.map((j) => j.id).sort());
    expect(claimedAgain.every((j) => j.attempts === 2 && j.lastError === LEASE_EXPIRED)).toBe(true);
    // That claim was abandoned too; the next runner picks them up once more and finishes them.
    const after = await runDueJobs(t.db, later(10 * MIN), handlers);
    expect(after).toMatchObject({ claimed: 3, done: 3 });
    const counts = await effects();
    expect(counts).toHaveLength(5);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const done = await t.db.select().from(jobs);
    expect(done.every((j) => j.doneAt && j.lastError === null)).toBe(true);
  });

  it("keeps a long job's lease alive while it runs (heartbeat)", async () => {
    const id = (await enqueueJob(t.db, { kind: "long", runAt: T0 }))!;
    const LEASE = 90;
    let seen: Date | null = null;
    const handlers: JobHandlers = {
      long: {
        transactional: false,
        async run() {
          await new Promise((r) => setTimeout(r, LEASE * 3));
          seen = (await jobRow(id)).lockedUntil;
        },
      },
    };
    expect(await runDueJobs(t.db, T0, handlers, { leaseMs: LEASE })).toMatchObject({ claimed: 1, done: 1 });
    expect(seen!.getTime()).toBeGreaterThan(T0.getTime() + LEASE * 2); // extended past the first lease and more
  });

  it("does not run jobs of its batch that another runner took over while it was stalled past its lease", async () => {
    await enqueueJobs(t.db, Array.from({ length: 3 }, (_, i) => ({ kind: "slow", runAt: T0, idempotencyKey: `slow-${i}` })));
    const LEASE = 60; // ms of real time
    let tookOver: Awaited<ReturnType<typeof runDueJobs>> | undefined;
    const record = async (job: { id: number }, runner: string) => {
      await t.db.execute(sql`insert into test_job_effects (job_id, runner) values (${job.id}, ${runner})`);
    };
    const other: JobHandlers = { slow: { transactional: false, run: ({ job }) => record(job, "other") } };
    const stalled: JobHandlers = {
      slow: {
        transactional: false, // like webhooks and workflow steps: nothing would roll a repeat back
        async run({ job }) {
          await record(job, "first");
          if (tookOver) return;
          // The process stalls (CPU-bound, the event loop blocked: no heartbeat) past the lease…
          const until = performance.now() + LEASE * 2;
          while (performance.now() < until);
          // …and another instance ticks meanwhile: every job of the first runner's batch looks abandoned.
          tookOver = await runDueJobs(t.db, later(10 * MIN), other, { leaseMs: MIN });
        },
      },
    };
    const first = await runDueJobs(t.db, T0, stalled, { leaseMs: LEASE, batchSize: 3, maxJobs: 3 });
    expect(tookOver).toMatchObject({ claimed: 3, done: 3 });
    // The stalled runner's own job was re-run by the other (at least once); the rest of its batch it leaves alone.
    expect(first).toMatchObject({ claimed: 3, done: 0, lost: 3 });
    const counts = Object.fromEntries((await effects()).map((c) => [c.job_id, c.n]));
    expect(Object.values(counts).sort()).toEqual([1, 1, 2]);
  });

  it("rolls back a transactional job's effect when it fails half-way, so the retry does it once", async () => {
    const id = (await enqueueJob(t.db, { kind: "flaky", runAt: T0 }))!;
    let calls = 0;
    const flaky: JobHandler = {
      async run({ db, job }) {
        await db.execute(sql`insert into test_job_effects (job_id, runner) values (${job.id}, 'flaky')`);
        calls += 1;
        if (calls === 1) throw new Error("connection reset");
      },
    };
    expect(await runDueJobs(t.db, T0, { flaky })).toMatchObject({ claimed: 1, retried: 1 });
    expect(await effects()).toHaveLength(0);
    expect(await runDueJobs(t.db, later(10 * MIN), { flaky })).toMatchObject({ done: 1 });
    expect(await effects()).toEqual([{ job_id: String(id), n: 1 }]);
  });

  it("fences a runner whose lease was taken over: its late result is discarded", async () => {
    const id = (await enqueueJob(t.db, { kind: "slow", runAt: T0 }))!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow: JobHandler = {
      transactional: false,
      async run() {
        started();
        await gate;
      },
    };
    const stale = runDueJobs(t.db, T0, { slow }, { leaseMs: MIN });
    await running;
    // The lease ran out; another runner takes the job over and finishes it.
    const fresh = await runDueJobs(t.db, later(2 * MIN), { slow: { transactional: false, run: async () => {} } });
    expect(fresh).toMatchObject({ claimed: 1, done: 1 });
    release();
    expect(await stale).toMatchObject({ claimed: 1, lost: 1, done: 0 });
    const row = await jobRow(id);
    expect(row.attempts).toBe(2);
    expect(row.doneAt?.toISOString()).toBe(later(2 * MIN).toISOString());
  });

  it.skipIf(!process.env.DATABASE_URL)("rolls back a transactional job whose lease was taken over (PostgreSQL)", async () => {
    const id = (await enqueueJob(t.db, { kind: "slow", runAt: T0 }))!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slowEffect: JobHandler = {
      async run({ db, job }) {
        await db.execute(sql`insert into test_job_effects (job_id, runner) values (${job.id}, 'stale')`);
        started();
        await gate;
      },
    };
    const stale = runDueJobs(t.db, T0, { slow: slowEffect }, { leaseMs: MIN });
    await running;
    expect(await runDueJobs(t.db, later(2 * MIN), { slow: recordEffect("fresh") })).toMatchObject({ done: 1 });
    release();
    expect(await stale).toMatchObject({ lost: 1 });
    const all = rows<{ runner: string }>(await t.db.execute(sql`select runner from test_job_effects where job_id = ${id}`));
    expect(all.map((r) => r.runner)).toEqual(["fresh"]);
  });
});

describe("retries, backoff and dead jobs", () => {
  it("reschedules a failing job with exponential backoff and clears the error on success", async () => {
    const id = (await enqueueJob(t.db, { kind: "wobbly", runAt: T0, maxAttempts: 5 }))!;
    let failures = 2;
    const handlers: JobHandlers = {
      wobbly: {
        async run() {
          if (failures-- > 0) throw new Error("upstream 503");
        },
      },
    };
    expect(await runDueJobs(t.db, T0, handlers)).toMatchObject({ retried: 1 });
    let row = await jobRow(id);
    expect(row).toMatchObject({ attempts: 1, lastError: "upstream 503", lockedUntil: null, doneAt: null });
    expect(row.runAt.toISOString()).toBe(later(30_000).toISOString());
    // Not due before the backoff has passed.
    expect(await runDueJobs(t.db, later(29_000), handlers)).toMatchObject({ claimed: 0 });
    expect(await runDueJobs(t.db, later(30_000), handlers)).toMatchObject({ retried: 1 });
    row = await jobRow(id);
    expect(row.attempts).toBe(2);
    expect(row.runAt.toISOString()).toBe(later(30_000 + 60_000).toISOString());
    expect(await runDueJobs(t.db, later(90_000), handlers)).toMatchObject({ done: 1 });
    row = await jobRow(id);
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    expect(jobState(row, later(90_000))).toBe("done");
  });

  it("marks a job dead after its last attempt, calls onDead once, and never runs it again", async () => {
    const id = (await enqueueJob(t.db, { kind: "broken", runAt: T0, maxAttempts: 3, workspaceId: a.workspaceId }))!;
    const deaths: string[] = [];
    const handlers: JobHandlers = {
      broken: {
        run: async () => {
          throw new Error("webhook answered 500");
        },
        onDead: async ({ job }, error) => {
          deaths.push(`${job.id}:${error}`);
        },
      },
    };
    let now = T0;
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await runDueJobs(t.db, now, handlers));
      now = new Date(now.getTime() + 3_600_000);
    }
    expect(outcomes.map((o) => (o.dead ? "dead" : o.retried ? "retried" : "idle"))).toEqual(["retried", "retried", "dead", "idle", "idle"]);
    expect(deaths).toEqual([`${id}:webhook answered 500`]);
    const row = await jobRow(id);
    expect(jobState(row, now)).toBe("dead");
    expect(row).toMatchObject({ attempts: 3, lastError: "webhook answered 500" });
  });

  it("kills a job at once on a permanent failure or an unknown kind", async () => {
    const gone = (await enqueueJob(t.db, { kind: "gone", runAt: T0 }))!;
    const invalid = (await enqueueJob(t.db, { kind: "invalid", runAt: T0 }))!;
    const unknown = (await enqueueJob(t.db, { kind: "nobody-handles-this", runAt: T0 }))!;
    const stats = await runDueJobs(t.db, T0, {
      gone: { run: async () => Promise.reject(new AppError("NOT_FOUND")) },
      invalid: { run: async () => Promise.reject(new PermanentJobError("stage no longer exists")) },
    });
    expect(stats).toMatchObject({ claimed: 3, dead: 3 });
    for (const id of [gone, invalid, unknown]) {
      const row = await jobRow(id);
      expect(jobState(row, T0)).toBe("dead");
      expect(row.attempts).toBe(1);
    }
    expect((await jobRow(unknown)).lastError).toContain('no handler for job kind "nobody-handles-this"');
  });

  it("lists a workspace's dead jobs for admins only, and retry gives them a fresh start", async () => {
    const mine = (await enqueueJob(t.db, { kind: "broken", runAt: T0, maxAttempts: 1, workspaceId: a.workspaceId, payload: { url: "https://example.com/hook" } }))!;
    const theirs = (await enqueueJob(t.db, { kind: "broken", runAt: T0, maxAttempts: 1, workspaceId: b.workspaceId }))!;
    await runDueJobs(t.db, T0, { broken: { run: async () => Promise.reject(new Error("boom")) } });
    const admin = await a.ctx("admin", { now: later(MIN) });
    const dead = await listDeadJobs(admin);
    expect(dead.map((j) => j.id)).toEqual([mine]);
    expect(dead[0]).toMatchObject({ kind: "broken", lastError: "boom", attempts: 1, payload: { url: "https://example.com/hook" } });
    expect(await queueSummary(admin)).toMatchObject({ dead: 1, pending: 0, running: 0 });
    await expect(listDeadJobs(await a.ctx("manager"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(retryJob(await a.ctx("rep"), mine)).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another workspace's job is not found, and stays dead.
    await expect(retryJob(admin, theirs)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(jobState(await jobRow(theirs), later(MIN))).toBe("dead");

    await retryJob(admin, mine);
    expect(await listDeadJobs(admin)).toEqual([]);
    await expect(retryJob(admin, mine)).rejects.toMatchObject({ code: "NOT_FOUND" }); // not dead any more
    const ran: number[] = [];
    expect(await runDueJobs(t.db, later(MIN), { broken: { run: async ({ job }) => void ran.push(job.id) } })).toMatchObject({ done: 1 });
    expect(ran).toEqual([mine]);
  });
});

describe("pruning", () => {
  it("deletes done jobs after 30 days and keeps the rest", async () => {
    const day = 86_400_000;
    await t.db.insert(jobs).values([
      { kind: "old-done", runAt: T0, doneAt: new Date(T0.getTime() - 31 * day) },
      { kind: "recent-done", runAt: T0, doneAt: new Date(T0.getTime() - 29 * day) },
      { kind: "old-dead-periodic", runAt: new Date(T0.getTime() - 31 * day), attempts: 1, maxAttempts: 1 },
      { kind: "old-dead-workspace", runAt: new Date(T0.getTime() - 31 * day), attempts: 1, maxAttempts: 1, workspaceId: a.workspaceId },
      { kind: "pending", runAt: new Date(T0.getTime() - 31 * day) },
    ]);
    await t.db.transaction((tx) => pruneJobs.run({ db: tx as Db, now: T0, job: {} as never }));
    const left = (await t.db.select({ kind: jobs.kind }).from(jobs)).map((j) => j.kind).sort();
    expect(left).toEqual(["old-dead-workspace", "pending", "recent-done"]);
  });
});
