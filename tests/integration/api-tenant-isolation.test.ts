/**
 * Tenant isolation of the public API, generated: every route file under app/api/v1 is found on disk and every
 * method it exports is called with an API key of workspace B aimed at workspace A — a real id of A in every
 * `[param]`, A's ids in every query parameter and in every body field that takes an id. Each item route must
 * answer 404 (or 401/403 where the permission check comes first), no answer may carry any of A's ids or data,
 * nothing may crash (5xx), and A's rows must be exactly as before. New route files are picked up without
 * touching this test; a new `[param]` this test cannot fill fails it until one of A's ids is named for it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows } from "@/db/migrate";
import type { ApiOperation } from "@/lib/api/operation";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { apiKeyFor, call } from "../helpers/api";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

type Handler = Parameters<typeof call>[0];
type Route = { file: string; apiPath: string; params: string[]; methods: Record<string, Handler> };

const root = path.resolve(import.meta.dirname, "../..");
const apiDir = path.join(root, "app", "api", "v1");
const routeFiles = (fs.readdirSync(apiDir, { recursive: true, encoding: "utf8" }) as string[])
  .filter((f) => /(^|[\\/])route\.(ts|tsx|js)$/.test(f))
  .sort();

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const routes: Route[] = [];
for (const rel of routeFiles) {
  const mod = (await import(path.join(apiDir, rel))) as Record<string, unknown>;
  const dir = path.dirname(rel) === "." ? "" : path.dirname(rel).split(path.sep).join("/");
  const params = [...dir.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  const methods: Record<string, Handler> = {};
  for (const m of METHODS) if (typeof mod[m] === "function") methods[m] = mod[m] as Handler;
  routes.push({ file: path.join("app/api/v1", rel), apiPath: `/${dir.replace(/\[([^\]]+)\]/g, "{$1}")}`, params, methods });
}
const { saveSequence } = await import("@/lib/sequences/commands");
const { saveSequenceSchema } = await import("@/lib/sequences/schema");
const { apiOperations } = (await import("@/lib/api/operations")) as { apiOperations: ApiOperation[] };

const MARK = "AlphaSecret7781";
let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let keyA: string;
let keysB: Record<"admin" | "rep", string>;
/** One real id of A for every kind of id a path, query or body may name. */
let idsOfA: Record<string, string>;

async function tableNames(): Promise<string[]> {
  const result = await t.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  return rows<{ name: string }>(result).map((r) => r.name);
}

/** Row count and content checksum of each table, limited to A's rows (workspace_id, A's row, A's members). */
async function snapshotOfA(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tableNames()) {
    const cols = new Set(
      rows<{ name: string }>(await t.db.execute(sql`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = ${table}`)).map((r) => r.name),
    );
    const where =
      table === "workspaces"
        ? sql`x.id = ${a.workspaceId}`
        : table === "users"
          ? sql`x.id in (select user_id from memberships where workspace_id = ${a.workspaceId})`
          : cols.has("workspace_id")
            ? sql`x.workspace_id = ${a.workspaceId}`
            : undefined;
    if (!where) continue;
    const result = await t.db.execute(sql`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${sql.identifier(table)} x where ${where}`);
    const [row] = rows<{ n: number; h: string }>(result);
    out[table] = `${row!.n} rows ${row!.h}`;
  }
  return out;
}

/** A's id for a path/query/body field name (`dealId`, `toStageId`, `ownerId`…), or undefined. */
function idFor(name: string): string | undefined {
  if (idsOfA[name]) return idsOfA[name];
  const m = /([A-Z]?[a-z]+)Id$/.exec(name);
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase();
  return idsOfA[`${kind}Id`] ?? (["owner", "assignee", "user", "member", "actor"].includes(kind) ? idsOfA.userId : undefined);
}

const samples: unknown[] = ["Hijacked", 10, true, "2026-03-11T10:00:00.000Z", "2026-03-11", "hijack@example.com", "USD", [], {}];

/**
 * A body that passes the operation's schema (so the call reaches the code that must refuse it) and names A's
 * ids wherever a field takes one: each field gets A's id if it takes an id, else the first sample it accepts;
 * fields the whole schema still rejects are dropped until it passes.
 */
function hostileBody(op: ApiOperation | undefined): Record<string, unknown> {
  const schema = op?.body as z.ZodType | undefined;
  if (!schema) return { name: "Hijacked", dealId: idsOfA.dealId, contactId: idsOfA.contactId };
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const body: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const candidates = [idFor(key), ...samples].filter((v) => v !== undefined);
    const value = candidates.find((v) => field.safeParse(v).success);
    if (value !== undefined && field.safeParse(undefined).success === false) body[key] = value;
    else if (value !== undefined && idFor(key)) body[key] = value;
    else if (value !== undefined && Object.keys(body).length < 3) body[key] = value;
  }
  for (let i = 0; i < 20; i++) {
    const parsed = schema.safeParse(body);
    if (parsed.success) break;
    const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? "")));
    if (![...bad].some((k) => k in body)) break;
    for (const k of bad) delete body[k];
  }
  return body;
}

/** A query string naming A's ids in every id parameter the operation's query schema knows (plus a search). */
function hostileQuery(op: ApiOperation | undefined): string {
  const shape = (op?.query as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  const q = new URLSearchParams();
  for (const key of Object.keys(shape)) {
    const id = idFor(key);
    if (id) q.set(key, id);
  }
  if ("q" in shape) q.set("q", MARK);
  const s = q.toString();
  return s ? `?${s}` : "";
}

const opOf = (route: Route, method: string) => apiOperations.find((o) => o.path === route.apiPath && o.method === method);

beforeAll(async () => {
  process.env.API_RATE_LIMIT_PER_MINUTE = "1000000";
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  keyA = await apiKeyFor(a, "admin");
  keysB = { admin: await apiKeyFor(b, "admin"), rep: await apiKeyFor(b, "rep") };

  // A's records, created through A's own key (so they are exactly what the API itself makes).
  const post = async (apiPath: string, body: unknown, params: Record<string, string> = {}) => {
    const route = routes.find((r) => r.apiPath === apiPath)!;
    const res = await call(route.methods.POST!, "POST", apiPath, { key: keyA, body, params });
    expect(res.status, `${apiPath}: ${JSON.stringify(res.json)}`).toBe(201);
    return res.json;
  };
  const pipeline = await post("/pipelines", { name: `${MARK} pipeline`, stages: [{ name: `${MARK} intro`, probability: 10 }, { name: `${MARK} won`, probability: 90 }] });
  const stageList = pipeline.stages as { id: string }[];
  const company = await post("/companies", { name: `${MARK} Co` });
  const contact = await post("/contacts", { firstName: MARK, email: "alpha-secret@example.com", companyId: company.id });
  const deal = await post("/deals", { title: `${MARK} deal`, pipelineId: pipeline.id, stageId: stageList[0]!.id, contactId: contact.id, companyId: company.id });
  const activity = await post("/activities", { type: "call", subject: `${MARK} call`, dueDate: "2026-03-12", dealId: deal.id });
  // Sequences are built in the app (the API enrolls): one of A's, and the contact enrolled in it through the API.
  const sequence = await saveSequence(
    await a.ctx("owner"),
    saveSequenceSchema.parse({
      name: `${MARK} sequence`,
      windowDays: [1, 2, 3, 4, 5],
      windowStartMinute: 0,
      windowEndMinute: 1440,
      dailyLimit: 100,
      stopOnMeeting: true,
      stopOnDealWon: true,
      stopOnDealLost: true,
      stopOnUnsubscribe: true,
      stopOnBounce: true,
      stopCompanyOnReply: false,
      autoReplyPauseDays: 3,
      steps: [{ kind: "email", delayAmount: 1, delayUnit: "business_days", variants: [{ subject: `${MARK} hello`, body: "Hi" }] }],
    }),
  );
  const enrollment = await post(`/sequences/{sequenceId}/enrollments`, { contactId: contact.id, dealId: deal.id }, { sequenceId: sequence.id });
  idsOfA = {
    pipelineId: pipeline.id as string,
    stageId: stageList[0]!.id,
    companyId: company.id as string,
    contactId: contact.id as string,
    dealId: deal.id as string,
    activityId: activity.id as string,
    sequenceId: sequence.id,
    enrollmentId: enrollment.id as string,
    userId: a.users.rep,
    workspaceId: a.workspaceId,
  };
});
afterAll(() => t.close());

describe("public API tenant isolation (every route under app/api/v1)", () => {
  it("finds the route files, each with at least one method", () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const r of routes) expect(Object.keys(r.methods), r.file).not.toHaveLength(0);
    expect(routes.some((r) => r.params.includes("dealId"))).toBe(true);
  });

  it("has one of A's ids for every [param] (a new route param needs one here)", () => {
    for (const r of routes) for (const p of r.params) expect(idFor(p), `${r.file}: no id of A for [${p}]`).toBeDefined();
  });

  it("A's own key reaches A's records through every item GET (the ids are real)", async () => {
    for (const r of routes.filter((x) => x.params.length && x.methods.GET)) {
      const params = Object.fromEntries(r.params.map((p) => [p, idFor(p)!]));
      const res = await call(r.methods.GET!, "GET", r.apiPath, { key: keyA, params });
      expect(res.status, `${r.file} GET as A`).toBe(200);
    }
  });

  for (const role of ["admin", "rep"] as const) {
    it(`a ${role} key of B aimed at A's ids: not found, nothing of A in any answer, A unchanged`, async () => {
      const before = await snapshotOfA();
      const secrets = [MARK, ...Object.values(idsOfA)];
      const calls: string[] = [];
      for (const r of routes) {
        const params = Object.fromEntries(r.params.map((p) => [p, idFor(p)!]));
        for (const [method, handler] of Object.entries(r.methods)) {
          const op = opOf(r, method);
          const apiPath = r.apiPath.replace(/\{([^}]+)\}/g, (_, p: string) => params[p]!) + (method === "GET" ? hostileQuery(op) : "");
          const body = method === "GET" || method === "DELETE" ? undefined : hostileBody(op);
          const res = await call(handler, method, apiPath, { key: keysB[role], params, body });
          const where = `${r.file} ${method} as B ${role} (${res.status}) body ${JSON.stringify(body)}`;
          calls.push(where);
          expect(res.status, where).toBeLessThan(500);
          if (r.params.length) expect([401, 403, 404], where).toContain(res.status);
          const text = JSON.stringify(res.json);
          for (const s of secrets) expect(text.includes(s), `${where} answered with A's ${s}: ${text.slice(0, 300)}`).toBe(false);
        }
      }
      if (process.env.ISOLATION_DEBUG) console.log(calls.join("\n"));
      expect(calls.length).toBeGreaterThanOrEqual(routes.length);
      expect(await snapshotOfA()).toEqual(before);
    });
  }

  it("the same calls without a key are 401 (or public), and change nothing of A", async () => {
    const before = await snapshotOfA();
    for (const r of routes) {
      const params = Object.fromEntries(r.params.map((p) => [p, idFor(p)!]));
      for (const [method, handler] of Object.entries(r.methods)) {
        const res = await call(handler, method, r.apiPath, { key: null, params, body: method === "GET" || method === "DELETE" ? undefined : hostileBody(opOf(r, method)) });
        const isPublic = !opOf(r, method); // routes without an API operation (the OpenAPI document) are public by design
        if (!isPublic) expect(res.status, `${r.file} ${method} signed out`).toBe(401);
        expect(JSON.stringify(res.json).includes(MARK)).toBe(false);
      }
    }
    expect(await snapshotOfA()).toEqual(before);
  });
});
