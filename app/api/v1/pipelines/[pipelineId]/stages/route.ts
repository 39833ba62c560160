/** /api/v1/pipelines/[pipelineId]/stages — public REST API (see lib/api/resources/pipelines.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { addStageOp } from "@/lib/api/resources/pipelines";

export const dynamic = "force-dynamic";

export const POST = handle(addStageOp);
