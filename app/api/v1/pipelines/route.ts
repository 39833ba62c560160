/** /api/v1/pipelines — public REST API (see lib/api/resources/pipelines.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { listPipelinesOp, createPipelineOp } from "@/lib/api/resources/pipelines";

export const dynamic = "force-dynamic";

export const GET = handle(listPipelinesOp);
export const POST = handle(createPipelineOp);
