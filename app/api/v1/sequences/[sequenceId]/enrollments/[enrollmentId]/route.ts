/** /api/v1/sequences/[sequenceId]/enrollments/[enrollmentId] — public REST API (see lib/api/resources/reports.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { removeEnrollmentOp } from "@/lib/api/resources/reports";

export const dynamic = "force-dynamic";

export const DELETE = handle(removeEnrollmentOp);
