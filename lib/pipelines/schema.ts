import { z } from "../validation";

/** Whole percent. A blank field is missing, not 0% (which is what z.coerce alone makes of ""). */
const probability = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().int().min(0).max(100));
const rottingDays = z
  .union([z.literal(""), z.null(), z.coerce.number().int().min(1).max(3650)])
  .transform((v) => (v === "" || v === null ? null : v));

export const stageInputSchema = z.object({
  name: z.string().trim().min(1).max(80),
  probability,
  rottingDays: rottingDays.optional().default(null),
});

export const createPipelineSchema = z.object({
  name: z.string().trim().min(1).max(80),
  /** Omitted: the default stage set. */
  stages: z.array(stageInputSchema).min(1).max(30).optional(),
});

export const renamePipelineSchema = z.object({ pipelineId: z.uuid(), name: z.string().trim().min(1).max(80) });
export const pipelineIdSchema = z.object({ pipelineId: z.uuid() });
export const movePipelineSchema = z.object({ pipelineId: z.uuid(), direction: z.enum(["up", "down"]) });

export const addStageSchema = stageInputSchema.extend({ pipelineId: z.uuid() });
export const updateStageSchema = stageInputSchema.extend({ stageId: z.uuid() });
export const reorderStageSchema = z.object({
  stageId: z.uuid(),
  beforeId: z.uuid().nullable().optional(),
  afterId: z.uuid().nullable().optional(),
});
export const deleteStageSchema = z.object({ stageId: z.uuid(), moveToStageId: z.uuid().nullable().optional() });
