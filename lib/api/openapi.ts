import "server-only";
import { z } from "../validation";
import type { ApiOperation } from "./operation";
import { apiOperations } from "./operations";

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete out.$schema;
  return out;
}

const problemSchema: JsonSchema = {
  type: "object",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "422 only: every invalid field (dot path) with its problems." },
  },
};

const problem = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

function operationObject(op: ApiOperation) {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: "path", required: true, schema: { type: "string", format: "uuid" } }));
  const queryParams: unknown[] = [];
  if (op.query) {
    const js = schemaOf(op.query, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = schema as { description?: string };
      queryParams.push({ name, in: "query", required: js.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest });
    }
  }
  const status = String(op.status ?? 200);
  const success =
    status === "204"
      ? { description: "Done (no content)." }
      : { description: status === "201" ? "Created." : "OK.", content: { "application/json": { schema: op.response ? schemaOf(op.response, "output") : {} } } };
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    "x-permission": op.permission,
    parameters: [...pathParams, ...queryParams],
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body, "input") } } } } : {}),
    responses: {
      [status]: success,
      "401": { $ref: "#/components/responses/Unauthorized" },
      "403": { $ref: "#/components/responses/Forbidden" },
      "404": { $ref: "#/components/responses/NotFound" },
      ...(op.body || op.query ? { "422": { $ref: "#/components/responses/Invalid" } } : {}),
      "429": { $ref: "#/components/responses/RateLimited" },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the public API, generated from the operations' zod schemas — the same objects that
 * validate each request — so the reference cannot drift from what the server accepts.
 */
export function openApiDocument(serverUrl = "/api/v1") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of apiOperations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Pipewise API",
      version: "1.0.0",
      description:
        "The public REST API of a Pipewise workspace. Authenticate with `Authorization: Bearer <key>` (Settings → API). A key acts as the member who created it, with that member's current role and visibility. JSON bodies, camelCase fields; money is `value` in major units plus `currency`. Errors are `application/problem+json`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(apiOperations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API key: pw_…" } },
      schemas: { Problem: problemSchema },
      responses: {
        Unauthorized: problem("Missing, unknown or revoked key."),
        Forbidden: problem("The key's member may not do this (role), or `at` from a key not created by an admin."),
        NotFound: problem("No such record in the key's workspace."),
        Invalid: problem("Invalid input: `errors` lists every field's problems."),
        RateLimited: problem("Too many requests for this key; retry after `Retry-After` seconds.", { "Retry-After": { schema: { type: "integer" }, description: "Seconds until the key may call again." } }),
      },
    },
  };
}
