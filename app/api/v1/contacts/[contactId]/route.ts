/** /api/v1/contacts/[contactId] — public REST API (see lib/api/resources/parties.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { getContactOp, updateContactOp, deleteContactOp } from "@/lib/api/resources/parties";

export const dynamic = "force-dynamic";

export const GET = handle(getContactOp);
export const PATCH = handle(updateContactOp);
export const DELETE = handle(deleteContactOp);
