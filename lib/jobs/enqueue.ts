import { jobs } from "@/db/schema";
import type { Db } from "@/db/types";

export type NewJob = {
  kind: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  workspaceId?: string | null;
  /** One job per effect: a second enqueue with the same key does nothing. */
  idempotencyKey?: string | null;
  maxAttempts?: number;
};

/**
 * Adds jobs to the queue; call it inside the transaction of the change that causes them, so the job exists
 * exactly when the change does. Keys already present are skipped. Returns the ids of the jobs actually added.
 */
export async function enqueueJobs(db: Db, list: NewJob[]): Promise<number[]> {
  if (list.length === 0) return [];
  const inserted = await db
    .insert(jobs)
    .values(
      list.map((j) => ({
        kind: j.kind,
        payload: j.payload ?? {},
        runAt: j.runAt,
        workspaceId: j.workspaceId ?? null,
        idempotencyKey: j.idempotencyKey ?? null,
        maxAttempts: j.maxAttempts ?? 5,
      })),
    )
    .onConflictDoNothing({ target: jobs.idempotencyKey })
    .returning({ id: jobs.id });
  return inserted.map((r) => r.id);
}

export async function enqueueJob(db: Db, job: NewJob): Promise<number | null> {
  const [id] = await enqueueJobs(db, [job]);
  return id ?? null;
}
