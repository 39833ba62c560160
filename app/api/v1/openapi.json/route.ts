/** GET /api/v1/openapi.json — the OpenAPI 3.1 document of the public API, generated from its zod schemas. Public. */
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

export function GET() {
  return new Response(JSON.stringify(openApiDocument()), {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
