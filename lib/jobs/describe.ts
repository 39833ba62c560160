import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { workflowRuns, workflows } from "@/db/schema";
import type { Ctx } from "../context";
import type { DeadJobDTO } from "./queries";

export type DescribedJob = DeadJobDTO & {
  /** For a workflow step: the workflow (its run log links from the failed-jobs list) and the step's action. */
  workflow: { id: string; name: string; step: number; actionType: string | null } | null;
};

/** What each failed job was about, for the failed-jobs list: workflow steps name their workflow and action. */
export async function describeJobs(ctx: Ctx, list: DeadJobDTO[]): Promise<DescribedJob[]> {
  const runIds = list.filter((j) => j.kind === "workflow-step" && typeof j.payload.runId === "string").map((j) => j.payload.runId as string);
  const runs = runIds.length
    ? await ctx.db
        .select({ id: workflowRuns.id, actions: workflowRuns.actions, workflowId: workflows.id, name: workflows.name })
        .from(workflowRuns)
        .innerJoin(workflows, eq(workflows.id, workflowRuns.workflowId))
        .where(and(eq(workflowRuns.workspaceId, ctx.workspaceId), inArray(workflowRuns.id, runIds)))
    : [];
  return list.map((job) => {
    const run = job.kind === "workflow-step" ? runs.find((r) => r.id === job.payload.runId) : undefined;
    const step = Number(job.payload.step);
    const action = run?.actions[step] as { type?: string } | undefined;
    return { ...job, workflow: run ? { id: run.workflowId, name: run.name, step, actionType: action?.type ?? null } : null };
  });
}
