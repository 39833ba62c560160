/** /api/v1/deals/[dealId] — public REST API (see lib/api/resources/deals.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { getDealOp, updateDealOp, deleteDealOp } from "@/lib/api/resources/deals";

export const dynamic = "force-dynamic";

export const GET = handle(getDealOp);
export const PATCH = handle(updateDealOp);
export const DELETE = handle(deleteDealOp);
