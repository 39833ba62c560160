import type { Db } from "@/db/types";
import { enqueueJobs } from "./enqueue";

/** Engine-wide work that recurs: one job per kind and time slot, whichever instance ticks first. */
export type PeriodicJob = { kind: string; everyMs: number };

/** The idempotency key of a periodic job's slot at `now`: the same for every instance ticking in that slot. Pure. */
export function periodicSlot(job: PeriodicJob, now: Date): { key: string; runAt: Date } {
  const slot = Math.floor(now.getTime() / job.everyMs);
  return { key: `periodic:${job.kind}@${slot}`, runAt: new Date(slot * job.everyMs) };
}

/**
 * Enqueues the current slot of every periodic job (a no-op for slots already enqueued). One attempt each: a
 * failed slot is not retried, the next slot runs anyway (its error stays on the job row).
 */
export async function enqueuePeriodic(db: Db, now: Date, list: PeriodicJob[]): Promise<void> {
  await enqueueJobs(
    db,
    list.map((job) => {
      const { key, runAt } = periodicSlot(job, now);
      return { kind: job.kind, runAt, idempotencyKey: key, maxAttempts: 1 };
    }),
  );
}
