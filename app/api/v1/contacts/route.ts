/** /api/v1/contacts — public REST API (see lib/api/resources/parties.ts; reference at /api/v1/openapi.json). */
import { handle } from "@/lib/api/operation";
import { listContactsOp, createContactOp } from "@/lib/api/resources/parties";

export const dynamic = "force-dynamic";

export const GET = handle(listContactsOp);
export const POST = handle(createContactOp);
