/** /api/v1/pipelines/[pipelineId]/stages/[stageId] — public REST API (see lib/api/resources/pipelines.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { updateStageOp, deleteStageOp } from "@/lib/api/resources/pipelines";

export const dynamic = "force-dynamic";

export const PATCH = handle(updateStageOp);
export const DELETE = handle(deleteStageOp);
