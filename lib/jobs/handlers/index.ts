import type { PeriodicJob } from "../schedule";
import type { JobHandlers } from "../types";
import { pruneJobs } from "./prune-jobs";

/** Every job kind the engine knows, with the file that runs it. */
export const jobHandlers: JobHandlers = {
  "prune-jobs": pruneJobs,
};

/** Engine-wide work enqueued by every tick for its current time slot. */
export const periodicJobs: PeriodicJob[] = [{ kind: "prune-jobs", everyMs: 3_600_000 }];
