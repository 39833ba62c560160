import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { deals, domainEvents, jobs, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createContact } from "@/lib/contacts/commands";
import { createDeal, markLost, markWon, moveDeal, reopenDeal, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { emitEvent } from "@/lib/events/emit";
import { emitStuckDeals } from "@/lib/events/sweeps";
import { jobHandlers } from "@/lib/jobs/handlers";
import { runDueJobs } from "@/lib/jobs/runner";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  owner = await a.ctx("owner");
  const rows = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(asc(stages.position));
  pipelineId = rows[0]!.pipelineId;
  stageIds = rows.map((s) => s.id);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.delete(jobs);
  await t.db.delete(domainEvents);
});

const newDeal = (title: string, extra: Record<string, unknown> = {}) => createDeal(owner, createDealSchema.parse({ title, value: "100", pipelineId, stageId: stageIds[0], ...extra }));
const events = () => t.db.select().from(domainEvents).orderBy(asc(domainEvents.id));

describe("domain events are written with the change", () => {
  it("records deal created with its pipeline and stage, and enqueues its dispatch", async () => {
    const deal = await newDeal("Created");
    const [event] = await events();
    expect(event).toMatchObject({ type: "deal.created", subjectType: "deal", subjectId: deal.id, actorId: a.users.owner, depth: 0, chain: [], data: { pipelineId, stageId: stageIds[0] } });
    expect(event!.occurredAt.toISOString()).toBe(NOW.toISOString());
    const [job] = await t.db.select().from(jobs);
    expect(job).toMatchObject({ kind: "dispatch-event", payload: { eventId: event!.id }, idempotencyKey: `event:${event!.id}`, workspaceId: a.workspaceId });
  });

  it("writes nothing when the change is rolled back", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await createDeal({ ...owner, db: tx }, createDealSchema.parse({ title: "Doomed", value: "1", pipelineId, stageId: stageIds[0] }));
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await events()).toEqual([]);
    expect(await t.db.select().from(jobs)).toEqual([]);
  });

  it("fires field changed once per saved change, listing every changed field", async () => {
    const deal = await newDeal("Fields");
    await t.db.delete(domainEvents);
    await updateDeal(at(owner, "2026-03-11T10:00:00Z"), updateDealSchema.parse({ dealId: deal.id, title: "Fields v2", value: "250", source: "Referral" }));
    const list = await events();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ type: "deal.field_changed", subjectId: deal.id });
    expect((list[0]!.data.fields as string[]).sort()).toEqual(["currency", "source", "title", "value"].sort());
    // Saving the same values again changes nothing and fires nothing.
    await updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, title: "Fields v2" }));
    expect(await events()).toHaveLength(1);
  });

  it("fires stage changed with from and to, not for a reorder inside the column", async () => {
    const deal = await newDeal("Mover");
    await t.db.delete(domainEvents);
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[0]! });
    expect(await events()).toEqual([]);
    await moveDeal(owner, { dealId: deal.id, toStageId: stageIds[2]! });
    const [event] = await events();
    expect(event).toMatchObject({ type: "deal.stage_changed", data: { pipelineId, stageId: stageIds[2], fromStageId: stageIds[0], toStageId: stageIds[2] } });
  });

  it("fires won, lost and reopened once each (repeating a status is a no-op)", async () => {
    const deal = await newDeal("Closer");
    await t.db.delete(domainEvents);
    await markWon(owner, deal.id);
    await markWon(owner, deal.id);
    await reopenDeal(owner, deal.id);
    await markLost(owner, deal.id, "Price");
    expect((await events()).map((e) => [e.type, e.data.reason ?? null])).toEqual([
      ["deal.won", null],
      ["deal.reopened", null],
      ["deal.lost", "Price"],
    ]);
  });

  it("fires contact created", async () => {
    const contact = await createContact(owner, { firstName: "Ada", email: "ada-events@example.com" });
    const [event] = await events();
    expect(event).toMatchObject({ type: "contact.created", subjectType: "contact", subjectId: contact.id });
  });

  it("carries an automated change's depth and causal chain", async () => {
    const deal = await newDeal("Caused");
    await t.db.delete(domainEvents);
    const automated = { ...owner, automation: { depth: 1, chain: ["wf-1:" + deal.id, "wf-2:" + deal.id] } };
    await moveDeal(automated, { dealId: deal.id, toStageId: stageIds[1]! });
    expect((await events())[0]).toMatchObject({ depth: 2, chain: ["wf-1:" + deal.id, "wf-2:" + deal.id] });
  });

  it("writes a deduplicated event once", async () => {
    const deal = await newDeal("Once");
    await t.db.delete(domainEvents);
    const first = await emitEvent(t.db, owner, { type: "deal.stuck", subjectId: deal.id, dedupeKey: "k" });
    const second = await emitEvent(t.db, owner, { type: "deal.stuck", subjectId: deal.id, dedupeKey: "k" });
    expect(first).toEqual(expect.any(Number));
    expect(second).toBeNull();
    expect(await events()).toHaveLength(1);
  });
});

describe("deal became stuck", () => {
  it("is emitted once per stay, dated when the deal became stuck, and again after a new stay", async () => {
    const [stage] = await t.db.select().from(stages).where(eq(stages.id, stageIds[0]!));
    expect(stage!.rottingDays).toBe(14);
    await t.db.delete(deals); // only this test's deal ages
    const deal = await newDeal("Stalling");
    await t.db.update(deals).set({ stageEnteredAt: new Date("2026-02-20T09:00:00Z") }).where(eq(deals.id, deal.id));
    await t.db.delete(domainEvents);
    expect(await emitStuckDeals(t.db, NOW)).toBe(1);
    expect(await emitStuckDeals(t.db, NOW)).toBe(0);
    const [event] = await events();
    expect(event).toMatchObject({ type: "deal.stuck", subjectId: deal.id, actorId: null, data: { stageId: stageIds[0], rottingDays: 14 } });
    expect(event!.occurredAt.toISOString()).toBe("2026-03-06T09:00:00.000Z");
    // Moving on and stalling again is a new stay.
    await moveDeal(at(owner, "2026-03-10T10:00:00Z"), { dealId: deal.id, toStageId: stageIds[1]! });
    expect(await emitStuckDeals(t.db, new Date("2026-03-20T10:00:00Z"))).toBe(0);
    expect(await emitStuckDeals(t.db, new Date("2026-03-24T10:00:00Z"))).toBe(1);
    const stuck = (await events()).filter((e) => e.type === "deal.stuck");
    expect(stuck).toHaveLength(2);
    // Won deals are never stuck.
    await markWon(owner, deal.id);
    expect(await emitStuckDeals(t.db, new Date("2026-06-01T10:00:00Z"))).toBe(0);
  });
});

describe("dispatch", () => {
  it("turns events into done dispatch jobs on the next tick, even with no workflow listening", async () => {
    await newDeal("Quiet");
    const stats = await runDueJobs(t.db, NOW, jobHandlers, { kinds: ["dispatch-event"] });
    expect(stats).toMatchObject({ claimed: 1, done: 1 });
    const open = await t.db.select().from(jobs).where(and(eq(jobs.kind, "dispatch-event")));
    expect(open.every((j) => j.doneAt)).toBe(true);
  });
});
