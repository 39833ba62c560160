import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openApiDocument } from "@/lib/api/openapi";

vi.mock("@/db/client", () => ({ getDb: async () => undefined }));

const v1 = path.resolve(import.meta.dirname, "../../app/api/v1");
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/v1 with the OpenAPI path it serves ("deals/[dealId]" → "/deals/{dealId}"). */
function routeFiles(): { file: string; path: string }[] {
  const out: { file: string; path: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(v1, path.dirname(full)).split(path.sep).join("/");
        out.push({ file: full, path: `/${rel.replace(/\[(\w+)\]/g, "{$1}")}` });
      }
    }
  };
  walk(v1);
  return out;
}

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiDocument() as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("has an operation for every exported route handler, and a route handler for every operation", async () => {
    const doc = openApiDocument();
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const served: string[] = [];
    for (const route of routeFiles()) {
      if (route.path === "/openapi.json") continue; // the document itself
      const mod = (await import(route.file)) as Record<string, unknown>;
      for (const m of methods) if (typeof mod[m] === "function") served.push(`${m} ${route.path}`);
    }
    expect(served.sort()).toEqual(documented);
    expect(documented.length).toBeGreaterThanOrEqual(25);
  });

  it("documents request bodies from the zod schemas that validate them (required fields, enums, formats)", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[]; properties: Record<string, { enum?: string[]; format?: string }> } }> } }>> };
    const createDeal = doc.paths["/deals"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(createDeal.required?.sort()).toEqual(["pipelineId", "stageId", "title"]);
    expect(createDeal.properties.at!.format).toBe("date-time");
    const updateDeal = doc.paths["/deals/{dealId}"]!.patch!.requestBody!.content["application/json"]!.schema;
    expect(updateDeal.properties.status!.enum).toEqual(["open", "won", "lost"]);
  });

  it("is served at /api/v1/openapi.json", async () => {
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const response = GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(((await response.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
