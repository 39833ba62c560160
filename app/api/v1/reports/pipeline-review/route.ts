/** /api/v1/reports/pipeline-review — public REST API (see lib/api/resources/reports.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { pipelineReviewOp } from "@/lib/api/resources/reports";

export const dynamic = "force-dynamic";

export const GET = handle(pipelineReviewOp);
