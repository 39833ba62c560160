import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { pipelines, stages } from "@/db/schema";
import type { ApiKeyCtx } from "../../api-keys/authenticate";
import { getPipeline, listPipelines } from "../../deals/queries";
import { addStage, createPipeline, deleteStage, renamePipeline, reorderStage, setPipelineArchived, updateStage } from "../../pipelines/commands";
import { stageInputSchema } from "../../pipelines/schema";
import { AppError } from "../../errors";
import { z } from "../../validation";
import { pathId } from "../body";
import { defineOperation, iso } from "../operation";
import { timestamp } from "./common";

export const stageSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  probability: z.number().int().describe("Win probability, 0-100."),
  rottingDays: z.number().int().nullable().describe("Days after which a deal in this stage counts as stuck."),
  requiredFields: z.array(z.string()).describe("Fields a deal must have to enter the stage."),
});
export const pipelineSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  archived: z.boolean(),
  createdAt: timestamp,
  stages: z.array(stageSchema).describe("In board order."),
});

type StageRow = { id: string; name: string; probability: number; rottingDays: number | null; requiredFields: string[] };
const stageDTO = (s: StageRow) => ({ id: s.id, name: s.name, probability: s.probability, rottingDays: s.rottingDays, requiredFields: s.requiredFields });

async function pipelineDTO(ctx: ApiKeyCtx, pipelineId: string) {
  const { pipeline, stages: list } = await getPipeline(ctx, pipelineId);
  return { id: pipeline.id, name: pipeline.name, archived: pipeline.archivedAt !== null, createdAt: iso(pipeline.createdAt)!, stages: list.map(stageDTO) };
}

export const listPipelinesOp = defineOperation({
  method: "GET",
  path: "/pipelines",
  operationId: "listPipelines",
  summary: "List pipelines with their stages",
  tag: "Pipelines",
  permission: "deals.read",
  query: z.object({ includeArchived: z.enum(["true", "false"]).optional().describe("Default: false.") }),
  response: z.object({ data: z.array(pipelineSchema) }),
  async run(ctx, { query }) {
    const list = await listPipelines(ctx, { includeArchived: query.includeArchived === "true" });
    const ids = list.map((p) => p.id);
    const [meta, stageRows] = ids.length
      ? await Promise.all([
          ctx.db.select({ id: pipelines.id, createdAt: pipelines.createdAt }).from(pipelines).where(and(eq(pipelines.workspaceId, ctx.workspaceId), inArray(pipelines.id, ids))),
          ctx.db
            .select({ id: stages.id, pipelineId: stages.pipelineId, name: stages.name, probability: stages.probability, rottingDays: stages.rottingDays, requiredFields: stages.requiredFields })
            .from(stages)
            .where(and(eq(stages.workspaceId, ctx.workspaceId), inArray(stages.pipelineId, ids)))
            .orderBy(asc(stages.position)),
        ])
      : [[], []];
    return {
      data: list.map((p) => ({
        id: p.id,
        name: p.name,
        archived: p.archivedAt !== null,
        createdAt: iso(meta.find((m) => m.id === p.id)?.createdAt)!,
        stages: stageRows.filter((s) => s.pipelineId === p.id).map(stageDTO),
      })),
    };
  },
});

export const getPipelineOp = defineOperation({
  method: "GET",
  path: "/pipelines/{pipelineId}",
  operationId: "getPipeline",
  summary: "Get a pipeline",
  tag: "Pipelines",
  permission: "deals.read",
  response: pipelineSchema,
  run: (ctx, { params }) => pipelineDTO(ctx, pathId(params.pipelineId)),
});

const stageBody = z.strictObject({
  name: stageInputSchema.shape.name,
  probability: z.number().int().min(0).max(100),
  rottingDays: z.number().int().min(1).max(3650).nullable().optional(),
});

export const createPipelineOp = defineOperation({
  method: "POST",
  path: "/pipelines",
  operationId: "createPipeline",
  summary: "Create a pipeline",
  description: "Without `stages`, the default stage set is created.",
  tag: "Pipelines",
  permission: "pipelines.manage",
  body: z.strictObject({ name: z.string().trim().min(1).max(80), stages: z.array(stageBody).min(1).max(30).optional() }),
  status: 201,
  response: pipelineSchema,
  async run(ctx, { body }) {
    const created = await createPipeline(ctx, { name: body.name, stages: body.stages?.map((s) => ({ ...s, rottingDays: s.rottingDays ?? null })) });
    return pipelineDTO(ctx, created.pipeline.id);
  },
});

export const updatePipelineOp = defineOperation({
  method: "PATCH",
  path: "/pipelines/{pipelineId}",
  operationId: "updatePipeline",
  summary: "Rename, archive or restore a pipeline",
  tag: "Pipelines",
  permission: "pipelines.manage",
  body: z.strictObject({ name: z.string().trim().min(1).max(80).optional(), archived: z.boolean().optional() }),
  response: pipelineSchema,
  async run(ctx, { params, body }) {
    const pipelineId = pathId(params.pipelineId);
    await ctx.db.transaction(async (tx) => {
      const t = { ...ctx, db: tx };
      if (body.name !== undefined) await renamePipeline(t, { pipelineId, name: body.name });
      if (body.archived !== undefined) await setPipelineArchived(t, pipelineId, body.archived);
      if (body.name === undefined && body.archived === undefined) await getPipeline(t, pipelineId);
    });
    return pipelineDTO(ctx, pipelineId);
  },
});

export const deletePipelineOp = defineOperation({
  method: "DELETE",
  path: "/pipelines/{pipelineId}",
  operationId: "deletePipeline",
  summary: "Archive a pipeline",
  description: "Pipelines are archived, not erased, so their deals keep their history; `PATCH {\"archived\": false}` restores one.",
  tag: "Pipelines",
  permission: "pipelines.manage",
  status: 204,
  async run(ctx, { params }) {
    await setPipelineArchived(ctx, pathId(params.pipelineId), true);
    return null;
  },
});

/** The stage {stageId} of pipeline {pipelineId} in this workspace, else 404. */
async function stageOf(ctx: ApiKeyCtx, params: Record<string, string>) {
  const { pipeline, stages: list } = await getPipeline(ctx, pathId(params.pipelineId));
  const stageId = pathId(params.stageId);
  const stage = list.find((s) => s.id === stageId);
  if (!stage) throw new AppError("NOT_FOUND");
  return { pipeline, stage, list };
}

const placement = z.uuid().nullable().optional().describe("Put the stage right after this stage of the same pipeline (null: first).");

/** Moves a stage right after `afterStageId` (null: first), computing both neighbours for the domain's reorder. */
async function place(ctx: ApiKeyCtx, list: { id: string }[], stageId: string, afterStageId: string | null) {
  const others = list.filter((s) => s.id !== stageId);
  if (afterStageId === null) return reorderStage(ctx, { stageId, beforeId: null, afterId: others[0]?.id ?? null });
  const index = others.findIndex((s) => s.id === afterStageId);
  if (index < 0) throw new AppError("VALIDATION", "errors.stageNotFound", { afterStageId: ["errors.stageNotFound"] });
  return reorderStage(ctx, { stageId, beforeId: afterStageId, afterId: others[index + 1]?.id ?? null });
}

export const addStageOp = defineOperation({
  method: "POST",
  path: "/pipelines/{pipelineId}/stages",
  operationId: "addStage",
  summary: "Add a stage",
  description: "Added last, or right after `afterStageId`.",
  tag: "Pipelines",
  permission: "pipelines.manage",
  body: stageBody.extend({ afterStageId: placement }),
  status: 201,
  response: pipelineSchema,
  async run(ctx, { params, body }) {
    const pipelineId = pathId(params.pipelineId);
    await ctx.db.transaction(async (tx) => {
      const t = { ...ctx, db: tx };
      const stage = await addStage(t, { pipelineId, name: body.name, probability: body.probability, rottingDays: body.rottingDays ?? null });
      if (body.afterStageId !== undefined) await place(t, (await getPipeline(t, pipelineId)).stages, stage.id, body.afterStageId);
    });
    return pipelineDTO(ctx, pipelineId);
  },
});

export const updateStageOp = defineOperation({
  method: "PATCH",
  path: "/pipelines/{pipelineId}/stages/{stageId}",
  operationId: "updateStage",
  summary: "Update or reorder a stage",
  tag: "Pipelines",
  permission: "pipelines.manage",
  body: z.strictObject({ name: stageBody.shape.name.optional(), probability: stageBody.shape.probability.optional(), rottingDays: stageBody.shape.rottingDays, afterStageId: placement }),
  response: pipelineSchema,
  async run(ctx, { params, body }) {
    await ctx.db.transaction(async (tx) => {
      const t = { ...ctx, db: tx };
      const { stage, list } = await stageOf(t, params);
      if (body.name !== undefined || body.probability !== undefined || body.rottingDays !== undefined) {
        await updateStage(t, { stageId: stage.id, name: body.name ?? stage.name, probability: body.probability ?? stage.probability, rottingDays: body.rottingDays === undefined ? stage.rottingDays : body.rottingDays });
      }
      if (body.afterStageId !== undefined) await place(t, list, stage.id, body.afterStageId);
    });
    return pipelineDTO(ctx, params.pipelineId!);
  },
});

export const deleteStageOp = defineOperation({
  method: "DELETE",
  path: "/pipelines/{pipelineId}/stages/{stageId}",
  operationId: "deleteStage",
  summary: "Delete a stage",
  description: "A stage that holds deals needs `moveToStageId` (a stage of the same pipeline): its deals move there first, with their history.",
  tag: "Pipelines",
  permission: "pipelines.manage",
  query: z.object({ moveToStageId: z.uuid().optional() }),
  status: 204,
  async run(ctx, { params, query }) {
    await ctx.db.transaction(async (tx) => {
      const t = { ...ctx, db: tx };
      const { stage } = await stageOf(t, params);
      await deleteStage(t, { stageId: stage.id, moveToStageId: query.moveToStageId ?? null });
    });
    return null;
  },
});

export const pipelineOperations = [listPipelinesOp, createPipelineOp, getPipelineOp, updatePipelineOp, deletePipelineOp, addStageOp, updateStageOp, deleteStageOp];
