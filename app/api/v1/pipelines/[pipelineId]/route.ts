/** /api/v1/pipelines/[pipelineId] — public REST API (see lib/api/resources/pipelines.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { getPipelineOp, updatePipelineOp, deletePipelineOp } from "@/lib/api/resources/pipelines";

export const dynamic = "force-dynamic";

export const GET = handle(getPipelineOp);
export const PATCH = handle(updatePipelineOp);
export const DELETE = handle(deletePipelineOp);
