import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { dealEvents, deals, stages } from "@/db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { apiKeyFor, call } from "../helpers/api";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

const collection = () => import("@/app/api/v1/deals/route");
const item = () => import("@/app/api/v1/deals/[dealId]/route");

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let keyA: string;
let keyB: string;
let stageIds: string[];
let pipelineId: string;

beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  keyA = await apiKeyFor(a, "admin");
  keyB = await apiKeyFor(b, "admin");
  const rows = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(stages.position);
  stageIds = rows.map((s) => s.id);
  pipelineId = rows[0]!.pipelineId;
});
afterAll(() => t.close());

describe("deals API", () => {
  it("answers 401 without a key, with an unknown key and with a revoked one", async () => {
    const { GET } = await collection();
    for (const key of [null, "pw_nope", "Basic abc"]) {
      const r = await call(GET, "GET", "/deals", { key });
      expect(r.status).toBe(401);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(r.headers.get("www-authenticate")).toBe("Bearer");
      expect(r.json).toMatchObject({ status: 401, title: "Unauthorized" });
    }
  });

  it("creates a deal with money in major units, reads it back with its history, lists it", async () => {
    const { POST, GET } = await collection();
    const created = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Big one", pipelineId, stageId: stageIds[0], value: 1234.5, currency: "usd" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: "Big one", value: 1234.5, currency: "USD", status: "open", stageId: stageIds[0], ownerId: a.users.admin });
    const [row] = await t.db.select().from(deals).where(eq(deals.id, created.json.id as string));
    expect(row!.value).toBe(123450);

    const one = await call((await item()).GET, "GET", `/deals/${created.json.id}`, { key: keyA, params: { dealId: created.json.id as string } });
    expect(one.status).toBe(200);
    expect((one.json.events as { type: string }[]).map((e) => e.type)).toEqual(["created"]);

    const list = await call(GET, "GET", `/deals?pipelineId=${pipelineId}&q=big`, { key: keyA });
    expect(list.status).toBe(200);
    expect(list.json.data!.map((d) => d.id)).toContain(created.json.id);
  });

  it("refuses every bad field at once with 422 problem+json", async () => {
    const { POST } = await collection();
    const r = await call(POST, "POST", "/deals", { key: keyA, body: { title: "", pipelineId: "nope", stageId: stageIds[0], value: -1, currency: "dollars", expectedCloseDate: "2026-13-01", color: "red" } });
    expect(r.status).toBe(422);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(Object.keys(r.json.errors!).sort()).toEqual(["color", "currency", "expectedCloseDate", "pipelineId", "title", "value"]);
  });

  it("refuses more decimals than the currency has, and a stage of another workspace", async () => {
    const { POST } = await collection();
    const decimals = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Yen", pipelineId, stageId: stageIds[0], value: 10.5, currency: "JPY" } });
    expect(decimals.status).toBe(422);
    expect(Object.keys(decimals.json.errors!)).toEqual(["value"]);
    const [foreign] = await t.db.select().from(stages).where(eq(stages.workspaceId, b.workspaceId)).limit(1);
    const other = await call(POST, "POST", "/deals", { key: keyA, body: { title: "X", pipelineId: foreign!.pipelineId, stageId: foreign!.id } });
    expect(other.status).toBe(422);
    expect(Object.keys(other.json.errors!)).toEqual(["stageId"]);
  });

  it("moves, wins, loses and reopens in PATCH, and stage requirements answer 422 naming the missing fields", async () => {
    const { POST } = await collection();
    const { PATCH } = await item();
    const created = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Mover", pipelineId, stageId: stageIds[0] } });
    const dealId = created.json.id as string;
    await t.db.update(stages).set({ requiredFields: ["expectedCloseDate", "value"] }).where(eq(stages.id, stageIds[2]!));
    const refused = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { stageId: stageIds[2] } });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.json.errors!).sort()).toEqual(["expectedCloseDate", "value"]);
    const moved = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { stageId: stageIds[2], expectedCloseDate: "2026-04-01", value: 99 } });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ stageId: stageIds[2], value: 99, expectedCloseDate: "2026-04-01" });
    const lostWithout = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { status: "lost" } });
    expect(lostWithout.status).toBe(422);
    expect(Object.keys(lostWithout.json.errors!)).toEqual(["lostReason"]);
    const lost = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { status: "lost", lostReason: "Price" } });
    expect(lost.json).toMatchObject({ status: "lost", lostReason: "Price" });
    const reopened = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { status: "open" } });
    expect(reopened.json).toMatchObject({ status: "open", lostReason: null });
    const won = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { status: "won" } });
    expect(won.json).toMatchObject({ status: "won" });
    const types = (await t.db.select({ type: dealEvents.type }).from(dealEvents).where(eq(dealEvents.dealId, dealId)).orderBy(dealEvents.occurredAt, dealEvents.id)).map((e) => e.type);
    expect(types).toEqual(["created", "value_changed", "close_date_changed", "stage_changed", "lost", "reopened", "won"]);
  });

  it("a failed step of a PATCH changes nothing (one transaction)", async () => {
    const { POST } = await collection();
    const { PATCH } = await item();
    const created = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Atomic", pipelineId, stageId: stageIds[0] } });
    const dealId = created.json.id as string;
    // the title change would succeed, the move is refused by the stage's requirements: neither may stay
    const r = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { title: "Renamed", stageId: stageIds[2] } });
    expect(r.status).toBe(422);
    const [row] = await t.db.select().from(deals).where(eq(deals.id, dealId));
    expect(row!.title).toBe("Atomic");
  });

  it("writes history at `at` with an admin's key, refuses `at` in the future and from a rep's key", async () => {
    const { POST } = await collection();
    const { PATCH } = await item();
    const created = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Old", pipelineId, stageId: stageIds[0], at: "2025-01-05T10:00:00Z" } });
    expect(created.status).toBe(201);
    expect(created.json.createdAt).toBe("2025-01-05T10:00:00.000Z");
    const dealId = created.json.id as string;
    const moved = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { stageId: stageIds[1], at: "2025-02-01T10:00:00Z" } });
    expect(moved.json.stageEnteredAt).toBe("2025-02-01T10:00:00.000Z");
    const won = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { status: "won", at: "2025-03-01T10:00:00+01:00" } });
    expect(won.json.closedAt).toBe("2025-03-01T09:00:00.000Z");
    const events = await t.db.select({ type: dealEvents.type, at: dealEvents.occurredAt }).from(dealEvents).where(eq(dealEvents.dealId, dealId)).orderBy(dealEvents.occurredAt);
    expect(events.map((e) => [e.type, e.at.toISOString()])).toEqual([
      ["created", "2025-01-05T10:00:00.000Z"],
      ["stage_changed", "2025-02-01T10:00:00.000Z"],
      ["won", "2025-03-01T09:00:00.000Z"],
    ]);
    const outOfOrder = await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyA, params: { dealId }, body: { status: "open", at: "2025-02-15T00:00:00Z" } });
    expect(outOfOrder.status).toBe(422);
    expect(Object.keys(outOfOrder.json.errors!)).toEqual(["at"]);
    const future = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Future", pipelineId, stageId: stageIds[0], at: "2999-01-01T00:00:00Z" } });
    expect(future.status).toBe(422);
    expect(Object.keys(future.json.errors!)).toEqual(["at"]);
    const repKey = await apiKeyFor(a, "rep");
    const rep = await call(POST, "POST", "/deals", { key: repKey, body: { title: "Rep", pipelineId, stageId: stageIds[0], at: "2025-01-01T00:00:00Z" } });
    expect(rep.status).toBe(403);
  });

  it("validates custom fields by type", async () => {
    const { createCustomField } = await import("@/lib/custom-fields/commands");
    await createCustomField(await a.ctx("owner"), { entity: "deal", label: "Seats", type: "number", options: [] });
    const { POST } = await collection();
    const bad = await call(POST, "POST", "/deals", { key: keyA, body: { title: "CF", pipelineId, stageId: stageIds[0], customFields: { seats: "many" } } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors!)).toEqual(["customFields.seats"]);
    const good = await call(POST, "POST", "/deals", { key: keyA, body: { title: "CF", pipelineId, stageId: stageIds[0], customFields: { seats: 12 } } });
    expect(good.status).toBe(201);
    expect(good.json.customFields).toEqual({ seats: 12 });
  });

  it("money custom fields go in and come out in major units, stored as minor units", async () => {
    const { createCustomField } = await import("@/lib/custom-fields/commands");
    await createCustomField(await a.ctx("owner"), { entity: "deal", label: "Budget", type: "money", options: [], currency: "EUR" });
    const { POST } = await collection();
    const created = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Budgeted", pipelineId, stageId: stageIds[0], customFields: { budget: 1234.5 } } });
    expect(created.status).toBe(201);
    expect(created.json.customFields).toEqual({ budget: 1234.5 });
    const [row] = await t.db.select().from(deals).where(eq(deals.id, created.json.id as string));
    expect(row!.custom).toEqual({ budget: 123450 });
    const got = await call((await item()).GET, "GET", "/", { key: keyA, params: { dealId: row!.id } });
    expect(got.json.customFields).toEqual({ budget: 1234.5 });
  });

  it("pages with a cursor through every deal exactly once", async () => {
    const { POST, GET } = await collection();
    for (let i = 0; i < 5; i++) await call(POST, "POST", "/deals", { key: keyB, body: { title: `Page ${i}`, pipelineId: (await t.db.select().from(stages).where(eq(stages.workspaceId, b.workspaceId)).limit(1))[0]!.pipelineId, stageId: (await t.db.select().from(stages).where(eq(stages.workspaceId, b.workspaceId)).limit(1))[0]!.id } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(GET, "GET", `/deals?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key: keyB });
      expect(page.status).toBe(200);
      seen.push(...page.json.data!.map((d) => d.title as string));
      cursor = page.json.nextCursor ?? null;
    } while (cursor);
    expect(seen).toEqual(["Page 0", "Page 1", "Page 2", "Page 3", "Page 4"]);
    const bad = await call(GET, "GET", "/deals?cursor=garbage", { key: keyB });
    expect(bad.status).toBe(422);
  });

  it("a key of workspace B can neither read nor change a deal of workspace A (404, nothing changes)", async () => {
    const { POST, GET } = await collection();
    const { GET: GET1, PATCH, DELETE } = await item();
    const created = await call(POST, "POST", "/deals", { key: keyA, body: { title: "Secret", pipelineId, stageId: stageIds[0] } });
    const dealId = created.json.id as string;
    expect((await call(GET1, "GET", `/deals/${dealId}`, { key: keyB, params: { dealId } })).status).toBe(404);
    expect((await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyB, params: { dealId }, body: { title: "Mine" } })).status).toBe(404);
    expect((await call(PATCH, "PATCH", `/deals/${dealId}`, { key: keyB, params: { dealId }, body: { status: "won" } })).status).toBe(404);
    expect((await call(DELETE, "DELETE", `/deals/${dealId}`, { key: keyB, params: { dealId } })).status).toBe(404);
    expect((await call(GET1, "GET", `/deals/not-a-uuid`, { key: keyA, params: { dealId: "not-a-uuid" } })).status).toBe(404);
    const listB = await call(GET, "GET", "/deals?limit=200", { key: keyB });
    expect(listB.json.data!.map((d) => d.id)).not.toContain(dealId);
    const [row] = await t.db.select().from(deals).where(and(eq(deals.id, dealId)));
    expect(row).toMatchObject({ title: "Secret", status: "open", deletedAt: null });
    expect((await call(DELETE, "DELETE", `/deals/${dealId}`, { key: keyA, params: { dealId } })).status).toBe(204);
    expect((await call(GET1, "GET", `/deals/${dealId}`, { key: keyA, params: { dealId } })).status).toBe(404);
  });
});
