/**
 * Child process of the engine benchmark. Modes (argv[2]), target database as JSON in argv[3]:
 *   throughput <target> <jobs>   no-op jobs through runDueJobs vs the floor: the same claim statement and the
 *                                same per-job "mark done" transaction, written by hand through the same driver
 *   hold <target> <jobs> <leaseMs>  enqueues jobs whose handler never ends, claims them, prints "claimed" and
 *                                waits to be killed (SIGKILL) holding them
 *   recover <target> <killedAt>  ticks every second with the real clock until every held job is done; prints
 *                                how long after the kill that was
 * Prints one JSON line.
 */
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { rows } from "@/db/migrate";
import { DEFAULT_LEASE_MS } from "@/lib/jobs/claim";
import { runDueJobs } from "@/lib/jobs/runner";
import { openBenchDb } from "../lib/db";

type Target = Parameters<typeof openBenchDb>[0];
const rssMb = () => process.resourceUsage().maxRSS / 1024;

async function enqueue(db: Awaited<ReturnType<typeof openBenchDb>>["db"], kind: string, n: number, runAt: Date) {
  await db.execute(sql`insert into jobs (kind, payload, run_at, idempotency_key, max_attempts)
    select ${kind}, jsonb_build_object('n', i), ${runAt.toISOString()}::timestamptz, ${kind} || ':' || i, 5 from generate_series(1, ${n}) as i`);
}

async function throughput(target: Target, n: number) {
  const bench = await openBenchDb(target);
  const { db } = bench;
  try {
    const now = new Date();
    const past = new Date(now.getTime() - 1000);
    await enqueue(db, "bench-noop", n, past);
    let started = performance.now();
    let done = 0;
    while (done < n) {
      const stats = await runDueJobs(db, now, { "bench-noop": { run: async () => {} } }, { maxJobs: n, kinds: ["bench-noop"] });
      if (stats.done === 0) break;
      done += stats.done;
    }
    const appMs = performance.now() - started;
    const [left] = await db.select({ n: count() }).from(jobs).where(and(eq(jobs.kind, "bench-noop"), isNull(jobs.doneAt)));

    // The floor: the claim statement (FOR UPDATE SKIP LOCKED, lease, attempt count) in batches of 25 and one
    // fenced "done" update per job in its own transaction — the runner's SQL, by hand.
    await enqueue(db, "bench-floor", n, past);
    const lockedUntil = new Date(now.getTime() + DEFAULT_LEASE_MS).toISOString();
    started = performance.now();
    let floorDone = 0;
    for (;;) {
      const batch = rows<{ id: number; attempts: number }>(
        await db.execute(sql`with due as (
            select id from jobs where done_at is null and run_at <= ${now.toISOString()}::timestamptz
              and (locked_until is null or locked_until <= ${now.toISOString()}::timestamptz) and attempts < max_attempts and kind in ('bench-floor')
            order by run_at, id limit 25 for update skip locked)
          update jobs set locked_until = ${lockedUntil}::timestamptz, attempts = jobs.attempts + 1,
            last_error = case when jobs.locked_until is not null then 'lease expired' else jobs.last_error end
          from due where jobs.id = due.id returning jobs.*`),
      );
      if (batch.length === 0) break;
      for (const job of batch) {
        await db.transaction(async (tx) => {
          await tx.execute(sql`update jobs set done_at = ${now.toISOString()}::timestamptz, locked_until = null, last_error = null
            where id = ${job.id} and attempts = ${job.attempts} and done_at is null returning id`);
        });
        floorDone++;
      }
    }
    const floorMs = performance.now() - started;
    return { jobs: n, done, left: left!.n, appMs, floorDone, floorMs, peakRssMb: rssMb() };
  } finally {
    await bench.close();
  }
}

async function hold(target: Target, n: number, leaseMs: number) {
  const bench = await openBenchDb(target);
  const now = new Date();
  await enqueue(bench.db, "bench-held", n, new Date(now.getTime() - 1000));
  // Claims a batch of all of them, then hangs inside the first one until killed (the runner's heartbeat renews
  // their lease meanwhile, as a live runner's does: the kill, not the hang, is what lets them go).
  setInterval(() => {}, 60_000); // stay alive until killed
  await runDueJobs(bench.db, now, { "bench-held": { transactional: false, run: () => (process.stdout.write("claimed\n"), new Promise(() => {})) } }, { batchSize: n, maxJobs: n, leaseMs, kinds: ["bench-held"] });
}

async function recover(target: Target, killedAt: number) {
  const bench = await openBenchDb(target);
  try {
    const reopenedMs = Date.now() - killedAt;
    for (;;) {
      await runDueJobs(bench.db, new Date(), { "bench-held": { run: async () => {} } }, { kinds: ["bench-held"] });
      const [left] = await bench.db.select({ n: count() }).from(jobs).where(and(eq(jobs.kind, "bench-held"), isNull(jobs.doneAt)));
      if (left!.n === 0) break;
      if (Date.now() - killedAt > 15 * 60_000) throw new Error(`${left!.n} held jobs still not done 15 minutes after the kill`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const [twice] = rows<{ n: number }>(await bench.db.execute(sql`select count(*)::int as n from jobs where kind = 'bench-held' and attempts <> 2`));
    return { pickedUpMs: Date.now() - killedAt, reopenedMs, notExactlyTwoAttempts: twice!.n };
  } finally {
    await bench.close();
  }
}

async function main() {
  const [mode, target, a, b] = process.argv.slice(2);
  const t = JSON.parse(target!) as Target;
  const result = mode === "throughput" ? await throughput(t, Number(a)) : mode === "hold" ? await hold(t, Number(a), Number(b)) : await recover(t, Number(a));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
