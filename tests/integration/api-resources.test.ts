import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { activities, companies, contacts, deals, pipelines, stages } from "@/db/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { apiKeyFor, call } from "../helpers/api";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

const routes = {
  pipelines: () => import("@/app/api/v1/pipelines/route"),
  pipeline: () => import("@/app/api/v1/pipelines/[pipelineId]/route"),
  stages: () => import("@/app/api/v1/pipelines/[pipelineId]/stages/route"),
  stage: () => import("@/app/api/v1/pipelines/[pipelineId]/stages/[stageId]/route"),
  contacts: () => import("@/app/api/v1/contacts/route"),
  contact: () => import("@/app/api/v1/contacts/[contactId]/route"),
  companies: () => import("@/app/api/v1/companies/route"),
  company: () => import("@/app/api/v1/companies/[companyId]/route"),
  activities: () => import("@/app/api/v1/activities/route"),
  activity: () => import("@/app/api/v1/activities/[activityId]/route"),
};

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let keyA: string;
let keyB: string;
let repKeyA: string;

beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  keyA = await apiKeyFor(a, "admin");
  keyB = await apiKeyFor(b, "admin");
  repKeyA = await apiKeyFor(a, "rep");
});
afterAll(() => t.close());

describe("pipelines and stages API", () => {
  it("creates a pipeline with its stages, adds, edits, reorders and deletes stages (moving deals), archives", async () => {
    const { POST, GET } = await routes.pipelines();
    const created = await call(POST, "POST", "/pipelines", { key: keyA, body: { name: "Partners", stages: [{ name: "Intro", probability: 10, rottingDays: 7 }, { name: "Pilot", probability: 50 }, { name: "Signed", probability: 90 }] } });
    expect(created.status).toBe(201);
    const pipelineId = created.json.id as string;
    const stageList = created.json.stages as { id: string; name: string; probability: number; rottingDays: number | null }[];
    expect(stageList.map((s) => [s.name, s.probability, s.rottingDays])).toEqual([["Intro", 10, 7], ["Pilot", 50, null], ["Signed", 90, null]]);
    const params = { pipelineId };

    const added = await call((await routes.stages()).POST, "POST", `/pipelines/${pipelineId}/stages`, { key: keyA, params, body: { name: "Legal", probability: 80, afterStageId: stageList[1]!.id } });
    expect(added.status).toBe(201);
    expect((added.json.stages as { name: string }[]).map((s) => s.name)).toEqual(["Intro", "Pilot", "Legal", "Signed"]);
    const legal = (added.json.stages as { id: string; name: string }[]).find((s) => s.name === "Legal")!;

    const { PATCH, DELETE } = await routes.stage();
    const edited = await call(PATCH, "PATCH", "/", { key: keyA, params: { pipelineId, stageId: legal.id }, body: { name: "Legal review", rottingDays: 14, afterStageId: null } });
    expect(edited.status).toBe(200);
    expect((edited.json.stages as { name: string; rottingDays: number | null }[]).map((s) => [s.name, s.rottingDays])).toEqual([["Legal review", 14], ["Intro", 7], ["Pilot", null], ["Signed", null]]);

    await t.db.insert(deals).values({ workspaceId: a.workspaceId, pipelineId, stageId: legal.id, title: "In legal", value: 0, currency: "USD", position: 1, stageEnteredAt: new Date(), ownerId: a.users.owner });
    const refused = await call(DELETE, "DELETE", "/", { key: keyA, params: { pipelineId, stageId: legal.id } });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.json.errors!)).toEqual(["moveToStageId"]);
    const deleted = await call(DELETE, "DELETE", `/?moveToStageId=${stageList[0]!.id}`, { key: keyA, params: { pipelineId, stageId: legal.id } });
    expect(deleted.status).toBe(204);
    const [moved] = await t.db.select().from(deals).where(eq(deals.title, "In legal"));
    expect(moved!.stageId).toBe(stageList[0]!.id);

    const renamed = await call((await routes.pipeline()).PATCH, "PATCH", "/", { key: keyA, params, body: { name: "Partnerships" } });
    expect(renamed.json).toMatchObject({ name: "Partnerships", archived: false });
    expect((await call((await routes.pipeline()).DELETE, "DELETE", "/", { key: keyA, params })).status).toBe(204);
    const listed = await call(GET, "GET", "/pipelines", { key: keyA });
    expect(listed.json.data!.map((p) => p.id)).not.toContain(pipelineId);
    const withArchived = await call(GET, "GET", "/pipelines?includeArchived=true", { key: keyA });
    expect(withArchived.json.data!.find((p) => p.id === pipelineId)).toMatchObject({ archived: true });
  });

  it("422 for each bad field, 403 for a rep, 404 across workspaces", async () => {
    const { POST } = await routes.pipelines();
    const bad = await call(POST, "POST", "/pipelines", { key: keyA, body: { name: "", stages: [{ name: "X", probability: 101 }], extra: 1 } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors!).sort()).toEqual(["extra", "name", "stages.0.probability"]);
    expect((await call(POST, "POST", "/pipelines", { key: repKeyA, body: { name: "Mine" } })).status).toBe(403);
    const [foreign] = await t.db.select().from(pipelines).where(eq(pipelines.workspaceId, a.workspaceId)).limit(1);
    const [foreignStage] = await t.db.select().from(stages).where(eq(stages.pipelineId, foreign!.id)).limit(1);
    expect((await call((await routes.pipeline()).GET, "GET", "/", { key: keyB, params: { pipelineId: foreign!.id } })).status).toBe(404);
    expect((await call((await routes.pipeline()).PATCH, "PATCH", "/", { key: keyB, params: { pipelineId: foreign!.id }, body: { name: "Stolen" } })).status).toBe(404);
    expect((await call((await routes.stage()).PATCH, "PATCH", "/", { key: keyB, params: { pipelineId: foreign!.id, stageId: foreignStage!.id }, body: { name: "Stolen" } })).status).toBe(404);
    expect((await call((await routes.stage()).DELETE, "DELETE", "/", { key: keyB, params: { pipelineId: foreign!.id, stageId: foreignStage!.id } })).status).toBe(404);
    expect((await call((await routes.stages()).POST, "POST", "/", { key: keyB, params: { pipelineId: foreign!.id }, body: { name: "X", probability: 1 } })).status).toBe(404);
    const [unchanged] = await t.db.select().from(pipelines).where(eq(pipelines.id, foreign!.id));
    expect(unchanged!.name).toBe(foreign!.name);
    expect((await call((await routes.pipelines()).GET, "GET", "/pipelines", { key: null })).status).toBe(401);
  });
});

describe("contacts and companies API", () => {
  it("creates, reads, lists, patches (only the fields sent) and deletes", async () => {
    const company = await call((await routes.companies()).POST, "POST", "/companies", { key: keyA, body: { name: "Globex", domain: "https://www.globex.com/about" } });
    expect(company.status).toBe(201);
    expect(company.json).toMatchObject({ name: "Globex", domain: "globex.com" });
    const companyId = company.json.id as string;
    const created = await call((await routes.contacts()).POST, "POST", "/contacts", { key: keyA, body: { firstName: "Hank", lastName: "Scorpio", email: "Hank@Globex.com", companyId } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ firstName: "Hank", email: "hank@globex.com", companyId, lifecycle: "lead", ownerId: a.users.admin });
    const contactId = created.json.id as string;
    const patched = await call((await routes.contact()).PATCH, "PATCH", "/", { key: keyA, params: { contactId }, body: { title: "CEO", lifecycle: "qualified" } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ firstName: "Hank", lastName: "Scorpio", email: "hank@globex.com", title: "CEO", lifecycle: "qualified", companyId });
    const got = await call((await routes.contact()).GET, "GET", "/", { key: keyA, params: { contactId } });
    expect(got.json).toMatchObject({ id: contactId, title: "CEO" });
    const listed = await call((await routes.contacts()).GET, "GET", "/contacts?q=scorp", { key: keyA });
    expect(listed.json.data!.map((c) => c.id)).toEqual([contactId]);
    const dup = await call((await routes.contacts()).POST, "POST", "/contacts", { key: keyA, body: { firstName: "Other", email: "hank@globex.com" } });
    expect(dup.status).toBe(409);
    const companyPatched = await call((await routes.company()).PATCH, "PATCH", "/", { key: keyA, params: { companyId }, body: { phone: "+1 555" } });
    expect(companyPatched.json).toMatchObject({ name: "Globex", domain: "globex.com", phone: "+1 555" });
    expect((await call((await routes.companies()).GET, "GET", "/companies?q=globex", { key: keyA })).json.data!.map((c) => c.id)).toEqual([companyId]);
    expect((await call((await routes.contact()).DELETE, "DELETE", "/", { key: keyA, params: { contactId } })).status).toBe(204);
    expect((await call((await routes.contact()).GET, "GET", "/", { key: keyA, params: { contactId } })).status).toBe(404);
    expect((await call((await routes.company()).DELETE, "DELETE", "/", { key: keyA, params: { companyId } })).status).toBe(204);
  });

  it("422 for each bad field; a key of B neither reads nor changes A's contact or company", async () => {
    const bad = await call((await routes.contacts()).POST, "POST", "/contacts", { key: keyA, body: { firstName: "", email: "nope", lifecycle: "vip", timeZone: "Mars/Base", companyId: "x" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors!).sort()).toEqual(["companyId", "email", "firstName", "lifecycle", "timeZone"]);
    const badCompany = await call((await routes.companies()).POST, "POST", "/companies", { key: keyA, body: { name: "", domain: "not a domain" } });
    expect(Object.keys(badCompany.json.errors!).sort()).toEqual(["domain", "name"]);

    const contact = await call((await routes.contacts()).POST, "POST", "/contacts", { key: keyA, body: { firstName: "Private" } });
    const company = await call((await routes.companies()).POST, "POST", "/companies", { key: keyA, body: { name: "Private Co" } });
    const contactId = contact.json.id as string;
    const companyId = company.json.id as string;
    for (const [route, params] of [[routes.contact, { contactId }], [routes.company, { companyId }]] as const) {
      const r = await route();
      expect((await call(r.GET, "GET", "/", { key: keyB, params })).status).toBe(404);
      expect((await call(r.PATCH, "PATCH", "/", { key: keyB, params, body: { phone: "1" } })).status).toBe(404);
      expect((await call(r.DELETE, "DELETE", "/", { key: keyB, params })).status).toBe(404);
    }
    // B cannot link A's company to its own contact either
    const link = await call((await routes.contacts()).POST, "POST", "/contacts", { key: keyB, body: { firstName: "Spy", companyId } });
    expect(link.status).toBe(422);
    expect((await call((await routes.contacts()).GET, "GET", "/contacts?limit=200", { key: keyB })).json.data!.map((c) => c.id)).not.toContain(contactId);
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contactId)))[0]!.phone).toBeNull();
    expect((await t.db.select().from(companies).where(eq(companies.id, companyId)))[0]!.phone).toBeNull();
  });
});

describe("activities API", () => {
  it("schedules (timed in a time zone, or all-day), completes, edits and deletes", async () => {
    const { POST, GET } = await routes.activities();
    const created = await call(POST, "POST", "/activities", { key: keyA, body: { type: "call", subject: "Intro call", dueDate: "2026-03-12", dueTime: "09:30", timeZone: "Asia/Shanghai", durationMinutes: 30 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ type: "call", subject: "Intro call", dueAt: "2026-03-12T01:30:00.000Z", dueDate: null, durationMinutes: 30, done: false, assigneeId: a.users.admin });
    const activityId = created.json.id as string;
    const allDay = await call(POST, "POST", "/activities", { key: keyA, body: { type: "task", subject: "Send deck", dueDate: "2026-03-13" } });
    expect(allDay.json).toMatchObject({ dueAt: null, dueDate: "2026-03-13" });
    const { PATCH, DELETE, GET: GET1 } = await routes.activity();
    const done = await call(PATCH, "PATCH", "/", { key: keyA, params: { activityId }, body: { done: true } });
    expect(done.json).toMatchObject({ done: true, subject: "Intro call", dueAt: "2026-03-12T01:30:00.000Z" });
    const edited = await call(PATCH, "PATCH", "/", { key: keyA, params: { activityId }, body: { subject: "Intro call (moved)", dueTime: "10:00", timeZone: "Asia/Shanghai" } });
    expect(edited.json).toMatchObject({ subject: "Intro call (moved)", dueAt: "2026-03-12T02:00:00.000Z", done: true });
    const open = await call(GET, "GET", "/activities?done=false", { key: keyA });
    expect(open.json.data!.map((x) => x.id)).toEqual([allDay.json.id]);
    expect((await call(GET1, "GET", "/", { key: keyA, params: { activityId } })).json).toMatchObject({ id: activityId });
    expect((await call(DELETE, "DELETE", "/", { key: keyA, params: { activityId } })).status).toBe(204);
    expect((await t.db.select().from(activities).where(eq(activities.id, activityId)))).toEqual([]);
  });

  it("422 for each bad field; B's key cannot see or change A's activity", async () => {
    const { POST } = await routes.activities();
    const bad = await call(POST, "POST", "/activities", { key: keyA, body: { type: "party", subject: "", dueDate: "tomorrow", dueTime: "25:00", durationMinutes: 0, timeZone: "Nowhere/City" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors!).sort()).toEqual(["dueDate", "dueTime", "durationMinutes", "subject", "type"]);
    const zone = await call(POST, "POST", "/activities", { key: keyA, body: { type: "call", subject: "x", dueDate: "2026-03-12", timeZone: "Nowhere/City" } });
    expect(Object.keys(zone.json.errors!)).toEqual(["timeZone"]);
    const created = await call(POST, "POST", "/activities", { key: keyA, body: { type: "call", subject: "A only", dueDate: "2026-03-12" } });
    const activityId = created.json.id as string;
    const r = await routes.activity();
    expect((await call(r.GET, "GET", "/", { key: keyB, params: { activityId } })).status).toBe(404);
    expect((await call(r.PATCH, "PATCH", "/", { key: keyB, params: { activityId }, body: { done: true } })).status).toBe(404);
    expect((await call(r.DELETE, "DELETE", "/", { key: keyB, params: { activityId } })).status).toBe(404);
    const [row] = await t.db.select().from(activities).where(and(eq(activities.id, activityId)));
    expect(row!.doneAt).toBeNull();
  });
});
