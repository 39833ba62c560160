/** /api/v1/companies — public REST API (see lib/api/resources/parties.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { listCompaniesOp, createCompanyOp } from "@/lib/api/resources/parties";

export const dynamic = "force-dynamic";

export const GET = handle(listCompaniesOp);
export const POST = handle(createCompanyOp);
