/** /api/v1/me — public REST API (see lib/api/resources/me.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { meOp } from "@/lib/api/resources/me";

export const dynamic = "force-dynamic";

export const GET = handle(meOp);
