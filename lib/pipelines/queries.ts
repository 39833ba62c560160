import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { deals, pipelines, stages } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";

export type PipelineSummaryDTO = {
  id: string;
  name: string;
  archived: boolean;
  stageCount: number;
  /** Open, not deleted deals. */
  openDeals: number;
};

export type StageSettingsDTO = {
  id: string;
  name: string;
  probability: number;
  rottingDays: number | null;
  /** Every deal the stage holds: open, won, lost and soft-deleted (all of them move when the stage is deleted). */
  dealCount: number;
  /** Its open, not deleted deals: what the board's column counts (the badge shows this). */
  openDealCount: number;
};

/** Every pipeline of the workspace, active and archived, in the workspace's order (settings page). */
export async function listPipelineSummaries(ctx: Ctx): Promise<PipelineSummaryDTO[]> {
  const stageCounts = ctx.db
    .select({ pipelineId: stages.pipelineId, n: sql<number>`count(*)::int`.as("stage_n") })
    .from(stages)
    .where(eq(stages.workspaceId, ctx.workspaceId))
    .groupBy(stages.pipelineId)
    .as("stage_counts");
  const openCounts = ctx.db
    .select({ pipelineId: deals.pipelineId, n: sql<number>`count(*)::int`.as("open_n") })
    .from(deals)
    .where(and(eq(deals.workspaceId, ctx.workspaceId), eq(deals.status, "open"), sql`${deals.deletedAt} is null`))
    .groupBy(deals.pipelineId)
    .as("open_counts");
  const rows = await ctx.db
    .select({
      id: pipelines.id,
      name: pipelines.name,
      archivedAt: pipelines.archivedAt,
      stageCount: sql<number>`coalesce(${stageCounts.n}, 0)::int`,
      openDeals: sql<number>`coalesce(${openCounts.n}, 0)::int`,
    })
    .from(pipelines)
    .leftJoin(stageCounts, eq(stageCounts.pipelineId, pipelines.id))
    .leftJoin(openCounts, eq(openCounts.pipelineId, pipelines.id))
    .where(eq(pipelines.workspaceId, ctx.workspaceId))
    .orderBy(asc(pipelines.position), asc(pipelines.createdAt));
  return rows.map((r) => ({ id: r.id, name: r.name, archived: r.archivedAt !== null, stageCount: r.stageCount, openDeals: r.openDeals }));
}

/**
 * The stages of one pipeline of the workspace, in order, each with the number of deals it holds, counting closed
 * and soft-deleted deals too (what deleteStage has to move), and the number of those that are open and not deleted
 * (what the board counts). Another workspace's pipeline is NOT_FOUND.
 */
export async function listStagesWithDealCounts(ctx: Ctx, pipelineId: string): Promise<StageSettingsDTO[]> {
  const [pipeline] = await ctx.db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.id, pipelineId), eq(pipelines.workspaceId, ctx.workspaceId)));
  if (!pipeline) throw new AppError("NOT_FOUND");
  // Counted by stage (like deleteStage), with no status or deleted_at filter.
  return ctx.db
    .select({
      id: stages.id,
      name: stages.name,
      probability: stages.probability,
      rottingDays: stages.rottingDays,
      dealCount: sql<number>`count(${deals.id})::int`,
      openDealCount: sql<number>`(count(${deals.id}) filter (where ${deals.status} = 'open' and ${deals.deletedAt} is null))::int`,
    })
    .from(stages)
    .leftJoin(deals, and(eq(deals.stageId, stages.id), eq(deals.workspaceId, ctx.workspaceId)))
    .where(and(eq(stages.workspaceId, ctx.workspaceId), eq(stages.pipelineId, pipelineId)))
    .groupBy(stages.id)
    .orderBy(asc(stages.position), asc(stages.createdAt));
}
