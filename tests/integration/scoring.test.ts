import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { contacts, domainEvents, jobs, scoreEvents, scoringRules, scoringSettings, stages, workflowRuns, workflows } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createContact } from "@/lib/contacts/commands";
import { createDeal, markLost, markWon, moveDeal, reopenDeal } from "@/lib/deals/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { jobHandlers } from "@/lib/jobs/handlers";
import { runDueJobs } from "@/lib/jobs/runner";
import { addScoringRule, deleteScoringRule, saveScoringSettings } from "@/lib/scoring/commands";
import { runScoreDecay } from "@/lib/scoring/decay";
import { getScoreHistory, listHotLeads, listScoringRules } from "@/lib/scoring/queries";
import { applyScoringRules } from "@/lib/scoring/rules";
import { scoringRuleSchema, scoringSettingsSchema } from "@/lib/scoring/schema";
import { saveWorkflow } from "@/lib/workflows/commands";
import { saveWorkflowSchema, type WorkflowInput } from "@/lib/workflows/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  const rows = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(asc(stages.position));
  pipelineId = rows[0]!.pipelineId;
  stageIds = rows.map((s) => s.id);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.delete(scoringRules);
  await t.db.delete(scoringSettings);
  await t.db.delete(workflows);
  await t.db.delete(jobs);
});

let n = 0;
const newContact = () => createContact(owner, { firstName: "Lead", lastName: String(++n), email: `lead-${n}-${Date.now()}@example.com` });
const newDeal = async (contactId: string, ctx = owner) => createDeal(ctx, createDealSchema.parse({ title: `Deal ${++n}`, value: "100", pipelineId, stageId: stageIds[0], contactId }));
const rule = (eventType: string, points: number, stageId?: string) => addScoringRule(owner, scoringRuleSchema.parse({ eventType, points, stageId }));
const settings = (weeklyDecay: number, cap: number | "" = "", hotThreshold: number | "" = "") => saveScoringSettings(owner, scoringSettingsSchema.parse({ weeklyDecay, cap, hotThreshold }));
const drain = (now = NOW) => runDueJobs(t.db, now, jobHandlers, { maxJobs: 1000 });
const scoreOf = async (id: string) => (await t.db.select({ score: contacts.score }).from(contacts).where(eq(contacts.id, id)))[0]!.score;

describe("rules", () => {
  it("adds a rule's points when its event happens, once per event, with the event in the history", async () => {
    await rule("deal.won", 20);
    const contact = await newContact();
    const deal = await newDeal(contact.id);
    await markWon(owner, deal.id);
    await drain();
    expect(await scoreOf(contact.id)).toBe(20);
    // Dispatching the same event again scores nothing more.
    const [won] = await t.db.select().from(domainEvents).where(and(eq(domainEvents.subjectId, deal.id), eq(domainEvents.type, "deal.won")));
    expect(await applyScoringRules(t.db, won!, NOW)).toBe(0);
    expect(await scoreOf(contact.id)).toBe(20);
    // Won again after a reopen is a new event.
    await reopenDeal(owner, deal.id);
    await markWon(owner, deal.id);
    await drain();
    expect(await scoreOf(contact.id)).toBe(40);
    const { entries } = await getScoreHistory(owner, contact.id);
    expect(entries.map((e) => [e.reason, e.delta, e.eventType, e.deal?.id, e.scoreAfter])).toEqual([
      ["rule", 20, "deal.won", deal.id, 40],
      ["rule", 20, "deal.won", deal.id, 20],
    ]);
  });

  it("narrows deal rules to a stage", async () => {
    await rule("deal.stage_changed", 5, stageIds[2]);
    const contact = await newContact();
    const deal = await newDeal(contact.id);
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[1]! });
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[2]! });
    await drain();
    expect(await scoreOf(contact.id)).toBe(5);
    const [listed] = await listScoringRules(owner);
    expect(listed).toMatchObject({ eventType: "deal.stage_changed", stageName: "Demo", points: 5 });
  });

  it("keeps scores between 0 and the cap, recording what was asked and what applied", async () => {
    await settings(0, 30);
    await rule("deal.won", 20);
    await rule("deal.lost", -50);
    const contact = await newContact();
    const first = await newDeal(contact.id);
    const second = await newDeal(contact.id);
    await markWon(owner, first.id);
    await markWon(owner, second.id);
    await drain();
    expect(await scoreOf(contact.id)).toBe(30);
    await reopenDeal(owner, second.id);
    await markLost(owner, second.id, "Price");
    await drain();
    expect(await scoreOf(contact.id)).toBe(0);
    const { entries } = await getScoreHistory(owner, contact.id);
    expect(entries.map((e) => [e.requested, e.delta, e.scoreAfter])).toEqual([
      [-50, -30, 0],
      [20, 10, 30],
      [20, 20, 20],
    ]);
  });

  it("scores the contact of a contact event", async () => {
    await rule("contact.created", 3);
    const contact = await newContact();
    await drain();
    expect(await scoreOf(contact.id)).toBe(3);
  });
});

describe("the hot threshold", () => {
  const assignToManager = (): WorkflowInput => ({
    name: "Hot leads to the manager",
    enabled: true,
    trigger: { type: "contact.score_crossed" },
    conditions: { match: "all", rules: [] },
    actions: [{ type: "change_owner", mode: "user", userId: a.users.manager }],
  });

  it("emits 'score crossed' once when a contact becomes hot, and a workflow can assign it to a senior rep", async () => {
    await settings(0, "", 25);
    await rule("deal.stage_changed", 15);
    const workflow = await saveWorkflow(owner, saveWorkflowSchema.parse(assignToManager()));
    const contact = await newContact();
    const deal = await newDeal(contact.id);
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[1]! }); // 15
    await drain();
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contact.id)))[0]!.ownerId).toBe(a.users.owner);
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[2]! }); // 30: hot
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[3]! }); // 45: still hot, no new crossing
    await drain();
    const crossings = await t.db.select().from(domainEvents).where(and(eq(domainEvents.subjectId, contact.id), eq(domainEvents.type, "contact.score_crossed")));
    expect(crossings).toHaveLength(1);
    expect(crossings[0]!.data).toEqual({ from: 15, to: 30, threshold: 25 });
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contact.id)))[0]!.ownerId).toBe(a.users.manager);
    expect((await t.db.select().from(workflowRuns).where(eq(workflowRuns.workflowId, workflow.id))).map((r) => r.status)).toEqual(["completed"]);
  });

  it("lets a workflow add points (custom events), recorded with the workflow's name", async () => {
    const workflow = await saveWorkflow(
      owner,
      saveWorkflowSchema.parse({ name: "Big deal bonus", enabled: true, trigger: { type: "deal.created" }, conditions: { match: "all", rules: [{ field: "deal.value", op: "gt", value: "50" }] }, actions: [{ type: "adjust_score", points: 15 }] }),
    );
    const contact = await newContact();
    await newDeal(contact.id);
    await drain();
    expect(await scoreOf(contact.id)).toBe(15);
    const { entries } = await getScoreHistory(owner, contact.id);
    expect(entries[0]).toMatchObject({ reason: "workflow", delta: 15, workflow: { id: workflow.id, name: "Big deal bonus" } });
  });

  it("does not loop: a workflow adding points on crossing the threshold crosses nothing again", async () => {
    await settings(0, "", 10);
    await saveWorkflow(
      owner,
      saveWorkflowSchema.parse({ name: "More on hot", enabled: true, trigger: { type: "contact.score_crossed" }, conditions: { match: "all", rules: [] }, actions: [{ type: "adjust_score", points: 100 }] }),
    );
    await rule("contact.created", 10);
    const contact = await newContact();
    const stats = await drain();
    expect(stats.claimed).toBeLessThan(10);
    expect(await scoreOf(contact.id)).toBe(110);
  });
});

describe("weekly decay", () => {
  it("takes the decay off for each whole quiet week, once, never below 0, and restarts after new points", async () => {
    await t.db.update(contacts).set({ score: 0 }).where(eq(contacts.workspaceId, a.workspaceId)); // only this test's contact decays
    await settings(5);
    await rule("contact.created", 12);
    const contact = await newContact();
    await drain();
    expect(await scoreOf(contact.id)).toBe(12);
    expect(await runScoreDecay(t.db, new Date(NOW.getTime() + 6 * DAY))).toBe(0);
    expect(await runScoreDecay(t.db, new Date(NOW.getTime() + 15 * DAY))).toBe(2);
    expect(await scoreOf(contact.id)).toBe(2);
    expect(await runScoreDecay(t.db, new Date(NOW.getTime() + 15 * DAY))).toBe(0); // already applied
    expect(await runScoreDecay(t.db, new Date(NOW.getTime() + 22 * DAY))).toBe(1);
    expect(await scoreOf(contact.id)).toBe(0); // 2 − 5, floored
    const { entries } = await getScoreHistory(owner, contact.id);
    expect(entries.map((e) => [e.reason, e.delta])).toEqual([
      ["decay", -2],
      ["decay", -5],
      ["decay", -5],
      ["rule", 12],
    ]);
  });

  it("does nothing in workspaces without decay", async () => {
    await rule("contact.created", 12);
    const contact = await newContact();
    await drain();
    expect(await runScoreDecay(t.db, new Date(NOW.getTime() + 60 * DAY))).toBe(0);
    expect(await scoreOf(contact.id)).toBe(12);
  });
});

describe("hot leads and access", () => {
  it("ranks contacts by score for every member; only admins change rules", async () => {
    await t.db.update(contacts).set({ score: 0 }).where(eq(contacts.workspaceId, a.workspaceId));
    const low = await newContact();
    const high = await newContact();
    await t.db.update(contacts).set({ score: 5 }).where(eq(contacts.id, low.id));
    await t.db.update(contacts).set({ score: 50 }).where(eq(contacts.id, high.id));
    const rep = await a.ctx("rep");
    expect((await listHotLeads(rep)).map((c) => [c.id, c.score])).toEqual([
      [high.id, 50],
      [low.id, 5],
    ]);
    await expect(addScoringRule(rep, scoringRuleSchema.parse({ eventType: "deal.won", points: 5 }))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(saveScoringSettings(await a.ctx("manager"), scoringSettingsSchema.parse({ weeklyDecay: 1 }))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps workspaces apart", async () => {
    const aRule = await rule("contact.created", 7);
    const bOwner = await b.ctx("owner");
    await expect(deleteScoringRule(bOwner, aRule.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addScoringRule(bOwner, scoringRuleSchema.parse({ eventType: "deal.stage_changed", stageId: stageIds[2], points: 5 }))).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { stageId: ["errors.stageNotFound"] },
    });
    const contact = await newContact();
    await expect(getScoreHistory(bOwner, contact.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // B's rules never score A's events.
    await addScoringRule(bOwner, scoringRuleSchema.parse({ eventType: "contact.created", points: 99 }));
    await drain();
    expect(await scoreOf(contact.id)).toBe(7);
    expect(await listScoringRules(owner)).toHaveLength(1);
    await deleteScoringRule(owner, aRule.id);
    expect(await listScoringRules(owner)).toEqual([]);
    expect((await t.db.select().from(scoreEvents).where(eq(scoreEvents.contactId, contact.id))).length).toBe(1); // history stays
  });

  it("refuses a threshold above the cap", async () => {
    await expect(saveScoringSettings(at(owner, NOW.toISOString()), scoringSettingsSchema.parse({ weeklyDecay: 0, cap: 10, hotThreshold: 20 }))).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { hotThreshold: ["errors.thresholdAboveCap"] },
    });
  });
});
