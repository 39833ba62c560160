/** /api/v1/companies/[companyId] — public REST API (see lib/api/resources/parties.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { getCompanyOp, updateCompanyOp, deleteCompanyOp } from "@/lib/api/resources/parties";

export const dynamic = "force-dynamic";

export const GET = handle(getCompanyOp);
export const PATCH = handle(updateCompanyOp);
export const DELETE = handle(deleteCompanyOp);
