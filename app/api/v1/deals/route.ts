/** /api/v1/deals — public REST API (see lib/api/resources/deals.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { listDealsOp, createDealOp } from "@/lib/api/resources/deals";

export const dynamic = "force-dynamic";

export const GET = handle(listDealsOp);
export const POST = handle(createDealOp);
