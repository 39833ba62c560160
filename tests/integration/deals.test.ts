import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { contacts, dealEvents, deals, pipelines, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, deleteDeal, markLost, markWon, moveDeal, reopenDeal, restoreDeal, updateDeal } from "@/lib/deals/commands";
import { firstPaintPerColumn, getBoard, getDeal, listDeals, listPipelineEntryStages, listPipelines } from "@/lib/deals/queries";
import { addStage, deleteStage, duplicatePipeline, createPipeline } from "@/lib/pipelines/commands";
import { updateWorkspace } from "@/lib/workspaces/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
});
afterAll(() => t.close());

const newDeal = (ctx: Ctx, title: string, extra: Record<string, unknown> = {}) =>
  createDeal(ctx, createDealSchema.parse({ title, value: "1000.50", pipelineId, stageId: stageIds[0], ...extra }));

const eventsOf = (dealId: string) => t.db.select().from(dealEvents).where(eq(dealEvents.dealId, dealId)).orderBy(asc(dealEvents.id));

describe("creating deals", () => {
  it("stores the value in minor units and records a created event", async () => {
    const deal = await newDeal(owner, "Big one");
    expect(deal.value).toBe(100050);
    expect(deal.currency).toBe("USD");
    expect(deal.ownerId).toBe(a.users.owner);
    const events = await eventsOf(deal.id);
    expect(events.map((e) => e.type)).toEqual(["created"]);
    expect(events[0]!.toStageId).toBe(stageIds[0]);
  });

  it("refuses an amount with more decimals than the currency allows", async () => {
    await expect(newDeal(owner, "Bad", { value: "10.001" })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { value: ["errors.invalidAmount"] } });
    await expect(newDeal(owner, "Yen", { value: "10.5", currency: "JPY" })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("creates the contact and company on the fly", async () => {
    const deal = await newDeal(owner, "With parties", { newContactName: "Ada Lovelace", newContactEmail: "ADA@example.com", newCompanyName: "Engines Ltd" });
    const [contact] = await t.db.select().from(contacts).where(eq(contacts.id, deal.contactId!));
    expect(contact).toMatchObject({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", companyId: deal.companyId });
  });

  it("refuses a stage of another workspace (not found)", async () => {
    const bCtx = await b.ctx("owner");
    await expect(newDeal(bCtx, "Sneaky")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("moving deals", () => {
  it("writes one stage_changed event and resets stage_entered_at", async () => {
    const deal = await newDeal(owner, "Mover");
    const later = at(owner, "2026-03-12T10:00:00Z");
    const { stageChanged } = await moveDeal(later, { dealId: deal.id, toStageId: stageIds[2]! });
    expect(stageChanged).toBe(true);
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row!.stageId).toBe(stageIds[2]);
    expect(row!.stageEnteredAt.toISOString()).toBe("2026-03-12T10:00:00.000Z");
    const events = await eventsOf(deal.id);
    expect(events.filter((e) => e.type === "stage_changed")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ fromStageId: stageIds[0], toStageId: stageIds[2] });
  });

  it("reorders within a column by writing only the moved deal's position", async () => {
    const stage = stageIds[3]!;
    const d1 = await newDeal(owner, "c1", { stageId: stage });
    const d2 = await newDeal(owner, "c2", { stageId: stage });
    const d3 = await newDeal(owner, "c3", { stageId: stage });
    // column is now c3, c2, c1 (new deals go on top); move c1 between c3 and c2
    const before = await t.db.select({ id: deals.id, position: deals.position }).from(deals).where(eq(deals.stageId, stage));
    await moveDeal(owner, { dealId: d1.id, toStageId: stage, beforeId: d3.id, afterId: d2.id });
    const after = await t.db.select({ id: deals.id, position: deals.position }).from(deals).where(eq(deals.stageId, stage)).orderBy(asc(deals.position));
    expect(after.map((r) => r.id)).toEqual([d3.id, d1.id, d2.id]);
    const changed = after.filter((r) => before.find((x) => x.id === r.id)!.position !== r.position);
    expect(changed.map((r) => r.id)).toEqual([d1.id]);
    expect((await eventsOf(d1.id)).filter((e) => e.type === "stage_changed")).toHaveLength(0);
  });

  it("with stale neighbours that left the column, the deal goes on top instead of a guessed position", async () => {
    const stage = stageIds[4]!;
    const top = await newDeal(owner, "already here", { stageId: stage });
    const gone = await newDeal(owner, "gone", { stageId: stage });
    await moveDeal(owner, { dealId: gone.id, toStageId: stageIds[3]! });
    const mover = await newDeal(owner, "stale drop");
    await moveDeal(owner, { dealId: mover.id, toStageId: stage, beforeId: gone.id, afterId: null });
    const column = await t.db.select({ id: deals.id }).from(deals).where(eq(deals.stageId, stage)).orderBy(asc(deals.position));
    expect(column.map((d) => d.id).slice(0, 2)).toEqual([mover.id, top.id]);
  });

  it("two concurrent moves of one deal leave a consistent deal and a complete history", async () => {
    const deal = await newDeal(owner, "Contested");
    const other = await a.ctx("rep");
    await Promise.all([
      moveDeal(at(owner, "2026-03-11T00:00:00Z"), { dealId: deal.id, toStageId: stageIds[1]! }),
      moveDeal(at(other, "2026-03-11T00:00:01Z"), { dealId: deal.id, toStageId: stageIds[4]! }),
    ]);
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    const moves = (await eventsOf(deal.id)).filter((e) => e.type === "stage_changed");
    expect(moves).toHaveLength(2);
    // The chain is unbroken: each move starts where the previous one ended, and ends where the deal is.
    expect(moves[0]!.fromStageId).toBe(stageIds[0]);
    expect(moves[1]!.fromStageId).toBe(moves[0]!.toStageId);
    expect(moves[1]!.toStageId).toBe(row!.stageId);
    expect(row!.version).toBe(2);
  });

  it("moves a deal to another pipeline's first stage and records both pipelines", async () => {
    const other = await createPipeline(owner, { name: "Elsewhere" });
    const entries = await listPipelineEntryStages(owner);
    const entry = entries.find((e) => e.pipelineId === other.pipeline.id)!;
    expect(entry.firstStageId).toBe(other.stages[0]!.id);
    expect(entries.find((e) => e.pipelineId === pipelineId)!.firstStageId).toBe(stageIds[0]);
    const deal = await newDeal(owner, "Traveller");
    await moveDeal(owner, { dealId: deal.id, toStageId: entry.firstStageId });
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row!.pipelineId).toBe(other.pipeline.id);
    expect((await eventsOf(deal.id)).at(-1)!.data).toEqual({ fromPipelineId: pipelineId, toPipelineId: other.pipeline.id });
    expect((await listPipelineEntryStages(await b.ctx("owner"))).map((e) => e.pipelineId)).not.toContain(other.pipeline.id);
  });

  it("a deal id from another workspace is not found and stays unchanged", async () => {
    const deal = await newDeal(owner, "Mine");
    const bCtx = await b.ctx("owner");
    const bStage = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.workspaceId, b.workspaceId)))[0]!.id;
    await expect(moveDeal(bCtx, { dealId: deal.id, toStageId: bStage })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateDeal(bCtx, { dealId: deal.id, title: "hacked" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(markWon(bCtx, deal.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteDeal(bCtx, deal.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getDeal(bCtx, deal.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // and A's deal cannot be moved into B's stage either
    await expect(moveDeal(owner, { dealId: deal.id, toStageId: bStage })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ title: "Mine", stageId: stageIds[0], status: "open", deletedAt: null, version: 0 });
  });
});

describe("won, lost, reopen, delete", () => {
  it("winning makes the contact a customer; lost keeps the reason; reopen clears it", async () => {
    const deal = await newDeal(owner, "Closer", { newContactName: "Grace Hopper" });
    await markWon(owner, deal.id);
    const [c] = await t.db.select().from(contacts).where(eq(contacts.id, deal.contactId!));
    expect(c!.lifecycle).toBe("customer");
    await markLost(owner, deal.id, "Price");
    let [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ status: "lost", lostReason: "Price" });
    expect(row!.closedAt).not.toBeNull();
    await reopenDeal(owner, deal.id);
    [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ status: "open", lostReason: null, closedAt: null });
    expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(["created", "won", "lost", "reopened"]);
  });

  it("winning twice records one event", async () => {
    const deal = await newDeal(owner, "Twice");
    await markWon(owner, deal.id);
    await markWon(owner, deal.id);
    expect((await eventsOf(deal.id)).filter((e) => e.type === "won")).toHaveLength(1);
  });

  it("soft-deletes and restores within 30 days, not after", async () => {
    const deal = await newDeal(owner, "Oops");
    await deleteDeal(owner, deal.id);
    await expect(getDeal(owner, deal.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await restoreDeal(at(owner, "2026-03-20T00:00:00Z"), deal.id);
    expect((await getDeal(owner, deal.id)).deal.title).toBe("Oops");
    await deleteDeal(owner, deal.id);
    await expect(restoreDeal(at(owner, "2026-05-01T00:00:00Z"), deal.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a currency-only edit keeps the amount, and refuses one the new currency cannot hold", async () => {
    const deal = await newDeal(owner, "Currency", { value: "1234.56" });
    await updateDeal(owner, { dealId: deal.id, currency: "EUR" });
    let [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ value: 123456, currency: "EUR" });
    await expect(updateDeal(owner, { dealId: deal.id, currency: "JPY" })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { currency: ["errors.currencyNeedsValue"] } });
    await updateDeal(owner, { dealId: deal.id, value: "1000" });
    await updateDeal(owner, { dealId: deal.id, currency: "JPY" });
    [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ value: 1000, currency: "JPY" });
    await updateDeal(owner, { dealId: deal.id, currency: "KWD" });
    [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ value: 1_000_000, currency: "KWD" });
  });

  it("records value, owner and close-date changes as events", async () => {
    const deal = await newDeal(owner, "Edit me");
    await updateDeal(owner, { dealId: deal.id, value: "2000", ownerId: a.users.rep, expectedCloseDate: "2026-04-30", title: "Edited" });
    const types = (await eventsOf(deal.id)).map((e) => e.type);
    expect(types).toEqual(["created", "value_changed", "owner_changed", "close_date_changed", "field_changed"]);
    await expect(updateDeal(owner, { dealId: deal.id, ownerId: b.users.owner })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});

describe("pipelines and stages", () => {
  it("deleting a stage that holds deals requires a target and moves them there with events", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Partners" });
    const deal = await createDeal(owner, createDealSchema.parse({ title: "P1", pipelineId: pipeline.id, stageId: st[1]!.id }));
    await expect(deleteStage(owner, { stageId: st[1]!.id })).rejects.toMatchObject({ code: "VALIDATION" });
    await deleteStage(owner, { stageId: st[1]!.id, moveToStageId: st[2]!.id });
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row!.stageId).toBe(st[2]!.id);
    expect((await eventsOf(deal.id)).at(-1)).toMatchObject({ type: "stage_changed", fromStageId: st[1]!.id, toStageId: st[2]!.id });
    expect(await t.db.select().from(stages).where(eq(stages.id, st[1]!.id))).toHaveLength(0);
  });

  it("duplicating copies stages and their settings, not deals", async () => {
    const src = await createPipeline(owner, { name: "Src", stages: [{ name: "A", probability: 10, rottingDays: 3 }, { name: "B", probability: 80, rottingDays: null }] });
    await createDeal(owner, createDealSchema.parse({ title: "stay", pipelineId: src.pipeline.id, stageId: src.stages[0]!.id }));
    const copy = await duplicatePipeline(owner, src.pipeline.id);
    expect(copy.pipeline.name).toBe("Src (copy)");
    const copied = await t.db.select().from(stages).where(eq(stages.pipelineId, copy.pipeline.id)).orderBy(asc(stages.position));
    expect(copied.map((s) => [s.name, s.probability, s.rottingDays])).toEqual([["A", 10, 3], ["B", 80, null]]);
    expect(await t.db.select().from(deals).where(eq(deals.pipelineId, copy.pipeline.id))).toHaveLength(0);
  });

  it("reps cannot manage pipelines", async () => {
    const rep = await a.ctx("rep");
    await expect(createPipeline(rep, { name: "Nope" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addStage(rep, { pipelineId, name: "X", probability: 1, rottingDays: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await t.db.select().from(pipelines).where(and(eq(pipelines.workspaceId, a.workspaceId), eq(pipelines.name, "Nope")))).toHaveLength(0);
  });

  it("B cannot duplicate, delete or add stages to A's pipeline", async () => {
    const bCtx = await b.ctx("owner");
    await expect(duplicatePipeline(bCtx, pipelineId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteStage(bCtx, { stageId: stageIds[4]! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addStage(bCtx, { pipelineId, name: "X", probability: 1, rottingDays: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("board and visibility", () => {
  it("aggregates counts, totals and weighted value per column in SQL and caps cards per column", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Board", stages: [{ name: "One", probability: 50, rottingDays: 1 }, { name: "Two", probability: 100, rottingDays: null }] });
    for (let i = 0; i < 5; i++) await createDeal(owner, createDealSchema.parse({ title: `d${i}`, value: "100.01", pipelineId: pipeline.id, stageId: st[0]!.id }));
    await createDeal(owner, createDealSchema.parse({ title: "eur", value: "10", currency: "EUR", pipelineId: pipeline.id, stageId: st[1]!.id }));
    const board = await getBoard(at(owner, "2026-03-20T00:00:00Z"), pipeline.id, {}, 3);
    const [one, two] = board.columns;
    expect(one).toMatchObject({ name: "One", count: 5, totals: [{ currency: "USD", value: 50005, weighted: 25003, weightedRaw: 2500250, n: 5 }] });
    expect(one!.cards).toHaveLength(3);
    expect(one!.cards.every((c) => c.stuck)).toBe(true); // 10 days in a 1-day stage
    expect(two!.totals).toEqual([{ currency: "EUR", value: 1000, weighted: 1000, weightedRaw: 100000, n: 1 }]);
    const stuckOnly = await getBoard(at(owner, "2026-03-20T00:00:00Z"), pipeline.id, { stuck: true });
    expect(stuckOnly.columns[1]!.count).toBe(0);
    expect(stuckOnly.columns[0]!.count).toBe(5);
    const searched = await getBoard(owner, pipeline.id, { q: "d3" });
    expect(searched.columns[0]!.cards.map((c) => c.title)).toEqual(["d3"]);
  });

  it("without a budget, shows firstPaintPerColumn(stages) cards per column, counted in SQL beside the totals", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Budget", stages: [{ name: "A", probability: 10, rottingDays: null }, { name: "B", probability: 20, rottingDays: null }] });
    for (let i = 0; i < 14; i++) await createDeal(owner, createDealSchema.parse({ title: `b${i}`, value: "1", pipelineId: pipeline.id, stageId: st[0]!.id }));
    const firstColumn = async () => (await getBoard(owner, pipeline.id, {})).columns[0]!;
    expect(firstPaintPerColumn(2)).toBe(12);
    expect(await firstColumn()).toMatchObject({ count: 14, cards: { length: 12 } });
    for (const name of ["C", "D"]) await addStage(owner, { pipelineId: pipeline.id, name, probability: 30, rottingDays: null });
    expect(firstPaintPerColumn(4)).toBe(7);
    expect((await firstColumn()).cards).toHaveLength(7);
    for (const name of ["E", "F", "G", "H", "I", "J"]) await addStage(owner, { pipelineId: pipeline.id, name, probability: 40, rottingDays: null });
    expect(firstPaintPerColumn(10)).toBe(3);
    expect((await firstColumn()).cards).toHaveLength(3);
    // another workspace's pipeline: nothing is counted, the board is not found
    await expect(getBoard(await b.ctx("owner"), pipeline.id, {})).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a rep sees only own deals when the workspace says so, in every read", async () => {
    const rep = await a.ctx("rep");
    const mine = await newDeal(rep, "Rep's own");
    const theirs = await newDeal(owner, "Owner's");
    await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "own" });
    const limited = await a.ctx("rep");
    const board = await getBoard(limited, pipelineId, {}, 50); // every card, so a missing one is hidden by visibility, not the budget
    const titles = board.columns.flatMap((c) => c.cards.map((d) => d.title));
    expect(titles).toContain("Rep's own");
    expect(titles).not.toContain("Owner's");
    expect((await listDeals(limited, {})).rows.every((r) => r.ownerId === a.users.rep)).toBe(true);
    await expect(getDeal(limited, theirs.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(moveDeal(limited, { dealId: theirs.id, toStageId: stageIds[1]! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await getDeal(limited, mine.id)).deal.title).toBe("Rep's own");
    // managers still see everything
    const manager = await a.ctx("manager");
    expect((await getDeal(manager, theirs.id)).deal.title).toBe("Owner's");
    await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "all" });
  });

  it("the deal page shows time spent per stage from history", async () => {
    const deal = await newDeal(owner, "Timed");
    await moveDeal(at(owner, "2026-03-13T09:00:00Z"), { dealId: deal.id, toStageId: stageIds[1]! });
    const view = await getDeal(at(owner, "2026-03-14T09:00:00Z"), deal.id);
    const ms = Object.fromEntries(view.stages.map((s) => [s.id, s.ms]));
    expect(ms[stageIds[0]!]).toBe(3 * 86_400_000);
    expect(ms[stageIds[1]!]).toBe(86_400_000);
    expect(view.events.map((e) => e.type)).toEqual(["stage_changed", "created"]);
    expect(view.events[0]).toMatchObject({ fromStageName: "Lead in", toStageName: "Qualified" });
  });
});

void NOW;
