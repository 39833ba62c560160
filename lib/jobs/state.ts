import type { JobRow } from "./types";

export type JobState = "done" | "running" | "dead" | "pending";

/** A job's state at `now`, derived from its columns (no status column to drift). Pure. */
export function jobState(job: Pick<JobRow, "doneAt" | "lockedUntil" | "attempts" | "maxAttempts">, now: Date): JobState {
  if (job.doneAt) return "done";
  if (job.lockedUntil && job.lockedUntil > now) return "running";
  if (job.attempts >= job.maxAttempts) return "dead";
  return "pending";
}
