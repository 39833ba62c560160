/** /api/v1/activities — public REST API (see lib/api/resources/activities.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { listActivitiesOp, createActivityOp } from "@/lib/api/resources/activities";

export const dynamic = "force-dynamic";

export const GET = handle(listActivitiesOp);
export const POST = handle(createActivityOp);
