import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { sequenceEnrollments, stages, workspaces } from "@/db/schema";
import { createDeal, markWon } from "@/lib/deals/commands";
import { createContact } from "@/lib/contacts/commands";
import { saveGoal } from "@/lib/goals/commands";
import { saveGoalSchema } from "@/lib/goals/schema";
import { pipelineReview } from "@/lib/reports/review";
import { monthPeriod } from "@/lib/reports/period";
import { saveSequence } from "@/lib/sequences/commands";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { apiKeyFor, call } from "../helpers/api";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let keyA: string;
let keyB: string;

const dealInput = (pipelineId: string, stageId: string, title: string, value: string) => ({ title, pipelineId, stageId, value, ownerId: null, contactId: null, companyId: null, expectedCloseDate: null, source: null, notes: null, newContactName: null, newContactEmail: null, newCompanyName: null });

beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  keyA = await apiKeyFor(a, "owner");
  keyB = await apiKeyFor(b, "owner");
  const owner = await a.ctx("owner");
  const [stage] = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(stages.position).limit(1);
  for (const [title, value] of [["One", "1000"], ["Two", "2500.50"]] as const) {
    const deal = await createDeal(at(owner, "2026-03-02T10:00:00Z"), dealInput(stage!.pipelineId, stage!.id, title, value));
    await markWon(at(owner, "2026-03-20T10:00:00Z"), deal.id);
  }
});
afterAll(() => t.close());

describe("reports API", () => {
  it("answers the pipeline review of a month with the page's numbers, money in major units", async () => {
    const { GET } = await import("@/app/api/v1/reports/pipeline-review/route");
    const r = await call(GET, "GET", "/reports/pipeline-review?month=2026-03", { key: keyA });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ period: { key: "2026-03", kind: "month", from: "2026-03-01", to: "2026-03-31" }, currency: "USD", wonRevenue: 3500.5, dealsWon: 2, averageDealSize: 1750.25, winRate: 1 });
    const same = await pipelineReview({ ...(await a.ctx("owner")), now: new Date() }, { period: monthPeriod("2026-03", "UTC"), pipelineId: null, ownerId: null });
    expect(r.json.salesCycleDays).toBe(same.current.salesCycleDays);
    expect((r.json.stages as unknown[]).length).toBe(same.stages!.funnel.length);
    expect(r.json.stages).toEqual(expect.arrayContaining([expect.objectContaining({ stageId: expect.any(String), entered: expect.any(Number), openValue: expect.any(Number) })]));
    const range = await call(GET, "GET", "/reports/pipeline-review?from=2026-03-01&to=2026-03-10", { key: keyA });
    expect(range.json).toMatchObject({ period: { kind: "range", from: "2026-03-01", to: "2026-03-10" }, dealsWon: 0 });
  });

  it("422 for a malformed period, 404 for another workspace's pipeline, 401 without a key", async () => {
    const { GET } = await import("@/app/api/v1/reports/pipeline-review/route");
    const bad = await call(GET, "GET", "/reports/pipeline-review?month=2026-13&quarter=2026-Q5", { key: keyA });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors!).sort()).toEqual(["month", "quarter"]);
    const reversed = await call(GET, "GET", "/reports/pipeline-review?from=2026-03-10&to=2026-03-01", { key: keyA });
    expect(reversed.status).toBe(422);
    const halfRange = await call(GET, "GET", "/reports/pipeline-review?from=2026-03-10", { key: keyA });
    expect(Object.keys(halfRange.json.errors!)).toEqual(["to"]);
    const [foreign] = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).limit(1);
    expect((await call(GET, "GET", `/reports/pipeline-review?pipelineId=${foreign!.pipelineId}`, { key: keyB })).status).toBe(404);
    expect((await call(GET, "GET", "/reports/pipeline-review", { key: null })).status).toBe(401);
  });

  it("answers the forecast and the goals with their progress", async () => {
    const { GET: forecast } = await import("@/app/api/v1/reports/forecast/route");
    const f = await call(forecast, "GET", "/reports/forecast", { key: keyA });
    expect(f.status).toBe(200);
    expect((f.json.months as unknown[]).length).toBe(6);
    await saveGoal(await a.ctx("owner"), saveGoalSchema.parse({ metric: "won_value", period: "month", target: "5000" }));
    const { GET: goals } = await import("@/app/api/v1/goals/route");
    const g = await call(goals, "GET", "/goals", { key: keyA });
    expect(g.status).toBe(200);
    expect(g.json.data).toEqual([expect.objectContaining({ userId: null, metric: "won_value", period: "month", target: 5000, reached: false })]);
    expect((await call(goals, "GET", "/goals", { key: keyB })).json.data).toEqual([]);
  });
});

describe("sequence enrollments API", () => {
  it("enrolls and removes a contact; 409 twice, 422 without email, 404 from another workspace", async () => {
    const owner = await a.ctx("owner", { now: new Date() });
    const seq = await saveSequence(owner, saveSequenceSchema.parse({
      name: "Outbound",
      windowDays: [1, 2, 3, 4, 5],
      windowStartMinute: 480,
      windowEndMinute: 1080,
      dailyLimit: 100,
      stopOnMeeting: true,
      stopOnDealWon: true,
      stopOnDealLost: true,
      stopOnUnsubscribe: true,
      stopOnBounce: true,
      stopCompanyOnReply: false,
      autoReplyPauseDays: 3,
      steps: [{ kind: "email", delayAmount: 1, delayUnit: "business_days", variants: [{ subject: "Hi", body: "Hello" }] }],
    }));
    const ada = await createContact(owner, { firstName: "Ada", email: "ada@example.com" });
    const noMail = await createContact(owner, { firstName: "Bo" });
    const { POST } = await import("@/app/api/v1/sequences/[sequenceId]/enrollments/route");
    const { DELETE } = await import("@/app/api/v1/sequences/[sequenceId]/enrollments/[enrollmentId]/route");
    const params = { sequenceId: seq.id };

    expect((await call(POST, "POST", "/", { key: keyB, params, body: { contactId: ada.id } })).status).toBe(404);
    const enrolled = await call(POST, "POST", "/", { key: keyA, params, body: { contactId: ada.id } });
    expect(enrolled.status).toBe(201);
    expect(enrolled.json).toMatchObject({ sequenceId: seq.id, contactId: ada.id, status: "active" });
    expect((await call(POST, "POST", "/", { key: keyA, params, body: { contactId: ada.id } })).status).toBe(409);
    const refused = await call(POST, "POST", "/", { key: keyA, params, body: { contactId: noMail.id } });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.json.errors!)).toEqual(["contactId"]);
    const bad = await call(POST, "POST", "/", { key: keyA, params, body: { contactId: "nope", extra: 1 } });
    expect(Object.keys(bad.json.errors!).sort()).toEqual(["contactId", "extra"]);

    const enrollmentId = enrolled.json.id as string;
    expect((await call(DELETE, "DELETE", "/", { key: keyB, params: { ...params, enrollmentId } })).status).toBe(404);
    // A rep limited to their own deals may not remove a colleague's enrollment (the owner's, here).
    const repKey = await apiKeyFor(a, "rep");
    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, a.workspaceId));
    try {
      expect((await call(DELETE, "DELETE", "/", { key: repKey, params: { ...params, enrollmentId } })).status).toBe(404);
    } finally {
      await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, a.workspaceId));
    }
    expect((await call(DELETE, "DELETE", "/", { key: keyA, params: { ...params, enrollmentId } })).status).toBe(204);
    const [row] = await t.db.select().from(sequenceEnrollments).where(and(eq(sequenceEnrollments.id, enrollmentId)));
    expect(row).toMatchObject({ status: "stopped", stopReason: "removed" });
    expect((await call(DELETE, "DELETE", "/", { key: keyA, params: { ...params, enrollmentId } })).status).toBe(422);
  });
});
