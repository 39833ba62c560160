/** /api/v1/sequences/[sequenceId]/enrollments — public REST API (see lib/api/resources/reports.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { enrollOp } from "@/lib/api/resources/reports";

export const dynamic = "force-dynamic";

export const POST = handle(enrollOp);
