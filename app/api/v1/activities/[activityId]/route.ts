/** /api/v1/activities/[activityId] — public REST API (see lib/api/resources/activities.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { getActivityOp, updateActivityOp, deleteActivityOp } from "@/lib/api/resources/activities";

export const dynamic = "force-dynamic";

export const GET = handle(getActivityOp);
export const PATCH = handle(updateActivityOp);
export const DELETE = handle(deleteActivityOp);
