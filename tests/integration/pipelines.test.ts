import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, isNull } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { dealEvents, deals, pipelines, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, deleteDeal, markLost, markWon } from "@/lib/deals/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { getBoard } from "@/lib/deals/queries";
import {
  addStage,
  createPipeline,
  deleteStage,
  duplicatePipeline,
  movePipeline,
  renamePipeline,
  reorderStage,
  setPipelineArchived,
  updateStage,
} from "@/lib/pipelines/commands";
import { defaultStages } from "@/lib/pipelines/defaults";
import { listPipelineSummaries, listStagesWithDealCounts } from "@/lib/pipelines/queries";
import { addStageSchema, updateStageSchema } from "@/lib/pipelines/schema";
import enPipelineSettings from "@/lib/i18n/messages/en/pipelineSettings.json";
import zhPipelineSettings from "@/lib/i18n/messages/zh-CN/pipelineSettings.json";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let manager: Ctx;
let defaultPipelineId: string;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  manager = await a.ctx("manager");
  defaultPipelineId = (await listPipelineSummaries(owner))[0]!.id;
});
afterAll(() => t.close());

const pipelineRow = async (id: string) => (await t.db.select().from(pipelines).where(eq(pipelines.id, id)))[0]!;
const stagesOf = (pipelineId: string) =>
  t.db.select().from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position));
const activeNames = async (ctx: Ctx) => (await listPipelineSummaries(ctx)).filter((p) => !p.archived).map((p) => p.name);
const newDeal = (ctx: Ctx, pipelineId: string, stageId: string, title: string) =>
  createDeal(ctx, createDealSchema.parse({ title, value: "100", pipelineId, stageId }));

describe("pipelines", () => {
  it("creates a pipeline with the default stage set", async () => {
    const { pipeline } = await createPipeline(manager, { name: "Inbound" });
    const rows = await stagesOf(pipeline.id);
    expect(rows.map((s) => s.name)).toEqual(["Lead in", "Qualified", "Demo", "Proposal", "Negotiation"]);
    expect(rows.map((s) => [s.probability, s.rottingDays])).toEqual(defaultStages.map((s) => [s.probability, s.rottingDays]));
  });

  it("renames a pipeline", async () => {
    const { pipeline } = await createPipeline(owner, { name: "Old name" });
    await renamePipeline(owner, { pipelineId: pipeline.id, name: "New name" });
    expect((await pipelineRow(pipeline.id)).name).toBe("New name");
  });

  it("moves a pipeline up and down; the ends stay put", async () => {
    const { db } = t;
    const ws = await createWorkspaceFixture(db, "Order");
    const ctx = await ws.ctx("admin");
    const second = (await createPipeline(ctx, { name: "Second" })).pipeline;
    const third = (await createPipeline(ctx, { name: "Third" })).pipeline;
    expect(await activeNames(ctx)).toEqual(["Sales pipeline", "Second", "Third"]);
    await movePipeline(ctx, { pipelineId: third.id, direction: "up" });
    expect(await activeNames(ctx)).toEqual(["Sales pipeline", "Third", "Second"]);
    await movePipeline(ctx, { pipelineId: third.id, direction: "up" });
    expect(await activeNames(ctx)).toEqual(["Third", "Sales pipeline", "Second"]);
    await movePipeline(ctx, { pipelineId: third.id, direction: "up" }); // already first
    expect(await activeNames(ctx)).toEqual(["Third", "Sales pipeline", "Second"]);
    await movePipeline(ctx, { pipelineId: second.id, direction: "down" }); // already last
    await movePipeline(ctx, { pipelineId: third.id, direction: "down" });
    expect(await activeNames(ctx)).toEqual(["Sales pipeline", "Third", "Second"]);
  });

  it("steps over archived pipelines, so every move changes the active list", async () => {
    const ws = await createWorkspaceFixture(t.db, "Skip");
    const ctx = await ws.ctx("owner");
    const middle = (await createPipeline(ctx, { name: "Middle" })).pipeline;
    const last = (await createPipeline(ctx, { name: "Last" })).pipeline;
    await setPipelineArchived(ctx, middle.id, true);
    expect(await activeNames(ctx)).toEqual(["Sales pipeline", "Last"]);
    await movePipeline(ctx, { pipelineId: last.id, direction: "up" });
    expect(await activeNames(ctx)).toEqual(["Last", "Sales pipeline"]);
  });

  it("archives and restores; the last active pipeline cannot be archived", async () => {
    const ws = await createWorkspaceFixture(t.db, "Archive");
    const ctx = await ws.ctx("owner");
    const [only] = await listPipelineSummaries(ctx);
    await expect(setPipelineArchived(ctx, only!.id, true)).rejects.toMatchObject({ code: "CONFLICT", message: "errors.lastPipeline" });
    expect((await pipelineRow(only!.id)).archivedAt).toBeNull();

    const extra = (await createPipeline(ctx, { name: "Extra" })).pipeline;
    await setPipelineArchived(ctx, only!.id, true);
    expect((await pipelineRow(only!.id)).archivedAt).toEqual(ctx.now);
    expect(await listPipelineSummaries(ctx)).toEqual([
      expect.objectContaining({ id: only!.id, archived: true }),
      expect.objectContaining({ id: extra.id, archived: false }),
    ]);
    // Now Extra is the last active one.
    await expect(setPipelineArchived(ctx, extra.id, true)).rejects.toMatchObject({ code: "CONFLICT" });
    // Archiving the archived one again is a no-op, not a refusal.
    await setPipelineArchived(ctx, only!.id, true);

    await setPipelineArchived(ctx, only!.id, false);
    expect((await pipelineRow(only!.id)).archivedAt).toBeNull();
    await setPipelineArchived(ctx, extra.id, true);
    expect((await pipelineRow(extra.id)).archivedAt).not.toBeNull();
  });

  it("duplicates with stages and their settings under the given name, without deals", async () => {
    const src = await createPipeline(owner, {
      name: "Enterprise",
      stages: [
        { name: "Discovery", probability: 15, rottingDays: 10 },
        { name: "Security review", probability: 60, rottingDays: null },
      ],
    });
    await newDeal(owner, src.pipeline.id, src.stages[0]!.id, "Stays behind");
    const copy = await duplicatePipeline(owner, src.pipeline.id, "Enterprise（副本）");
    expect(copy.pipeline.name).toBe("Enterprise（副本）");
    expect(copy.pipeline.id).not.toBe(src.pipeline.id);
    expect((await stagesOf(copy.pipeline.id)).map((s) => [s.name, s.probability, s.rottingDays])).toEqual([
      ["Discovery", 15, 10],
      ["Security review", 60, null],
    ]);
    expect(await t.db.select().from(deals).where(eq(deals.pipelineId, copy.pipeline.id))).toHaveLength(0);
    expect((await duplicatePipeline(owner, src.pipeline.id)).pipeline.name).toBe("Enterprise (copy)");
  });
});

describe("stages", () => {
  it("adds a stage at the end and updates its name, probability and rotting days", async () => {
    const { pipeline } = await createPipeline(owner, { name: "Stage edits" });
    const added = await addStage(owner, addStageSchema.parse({ pipelineId: pipeline.id, name: " Contract ", probability: "95", rottingDays: "" }));
    const rows = await stagesOf(pipeline.id);
    expect(rows.at(-1)).toMatchObject({ id: added.id, name: "Contract", probability: 95, rottingDays: null });
    expect(rows.at(-1)!.position).toBeGreaterThan(rows.at(-2)!.position);

    await updateStage(owner, updateStageSchema.parse({ stageId: added.id, name: "Signed contract", probability: 100, rottingDays: "7" }));
    expect((await stagesOf(pipeline.id)).at(-1)).toMatchObject({ name: "Signed contract", probability: 100, rottingDays: 7 });
  });

  it("validates probability 0–100 and rotting days (empty = never)", () => {
    expect(updateStageSchema.safeParse({ stageId: defaultPipelineId, name: "X", probability: 101 }).success).toBe(false);
    expect(updateStageSchema.safeParse({ stageId: defaultPipelineId, name: "X", probability: -1 }).success).toBe(false);
    expect(updateStageSchema.safeParse({ stageId: defaultPipelineId, name: "X", probability: 50, rottingDays: "0" }).success).toBe(false);
    expect(updateStageSchema.safeParse({ stageId: defaultPipelineId, name: " ", probability: 50 }).success).toBe(false);
    expect(updateStageSchema.safeParse({ stageId: defaultPipelineId, name: "X", probability: "" }).success).toBe(false); // blank is not 0 %
    expect(updateStageSchema.safeParse({ stageId: defaultPipelineId, name: "X", probability: "12.5" }).success).toBe(false);
    expect(updateStageSchema.parse({ stageId: defaultPipelineId, name: "X", probability: "0", rottingDays: "" })).toMatchObject({ probability: 0, rottingDays: null });
  });

  it("reorders a stage to a position strictly between its new neighbours, writing only that stage", async () => {
    const { pipeline } = await createPipeline(owner, { name: "Reorder" });
    const before = await stagesOf(pipeline.id);
    const [s0, s1, s2, s3, s4] = before;
    // Drag the last stage between the first and the second.
    await reorderStage(owner, { stageId: s4!.id, beforeId: s0!.id, afterId: s1!.id });
    const after = await stagesOf(pipeline.id);
    expect(after.map((s) => s.id)).toEqual([s0!.id, s4!.id, s1!.id, s2!.id, s3!.id]);
    const moved = after[1]!;
    expect(moved.position).toBeGreaterThan(s0!.position);
    expect(moved.position).toBeLessThan(s1!.position);
    for (const s of after.filter((x) => x.id !== s4!.id)) expect(s.position).toBe(before.find((x) => x.id === s.id)!.position);

    // To the very top (no neighbour above) and to the very end (no neighbour below).
    await reorderStage(owner, { stageId: s2!.id, beforeId: null, afterId: s0!.id });
    await reorderStage(owner, { stageId: s0!.id, beforeId: s3!.id, afterId: null });
    expect((await stagesOf(pipeline.id)).map((s) => s.id)).toEqual([s2!.id, s4!.id, s1!.id, s3!.id, s0!.id]);
  });

  it("keeps reordering correctly after midpoints run out of precision", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, {
      name: "Dense",
      stages: [{ name: "A", probability: 0, rottingDays: null }, { name: "B", probability: 0, rottingDays: null }, { name: "C", probability: 0, rottingDays: null }, { name: "D", probability: 0, rottingDays: null }],
    });
    const [sa, sb, sc, sd] = st;
    // Alternately drop C and D right after A: each drop halves the gap, until midpoints would collapse onto A.
    for (let i = 0; i < 70; i++) {
      const moving = i % 2 === 0 ? sc! : sd!;
      const current = (await stagesOf(pipeline.id)).map((s) => s.id);
      const afterId = current[1] === moving.id ? current[2]! : current[1]!;
      await reorderStage(owner, { stageId: moving.id, beforeId: sa!.id, afterId });
      const rows = await stagesOf(pipeline.id);
      expect(rows.map((s) => s.id).slice(0, 3), `drop ${i}`).toEqual([sa!.id, moving.id, afterId]);
      for (let k = 1; k < rows.length; k++) expect(rows[k]!.position, `drop ${i}`).toBeGreaterThan(rows[k - 1]!.position);
    }
    expect((await stagesOf(pipeline.id)).at(-1)!.id).toBe(sb!.id);
  });

  it("refuses a neighbour from another pipeline, and the stage as its own neighbour", async () => {
    const one = await createPipeline(owner, { name: "One" });
    const two = await createPipeline(owner, { name: "Two" });
    await expect(reorderStage(owner, { stageId: one.stages[0]!.id, beforeId: two.stages[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(reorderStage(owner, { stageId: one.stages[0]!.id, beforeId: one.stages[0]!.id })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("deletes an empty stage without a target", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Empty stage" });
    await deleteStage(owner, { stageId: st[2]!.id });
    expect((await stagesOf(pipeline.id)).map((s) => s.name)).toEqual(["Lead in", "Qualified", "Proposal", "Negotiation"]);
  });

  it("refuses to delete the last stage of a pipeline", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Single", stages: [{ name: "Only", probability: 0, rottingDays: null }] });
    await expect(deleteStage(owner, { stageId: st[0]!.id })).rejects.toMatchObject({ code: "CONFLICT", message: "errors.lastStage" });
    expect(await stagesOf(pipeline.id)).toHaveLength(1);
  });

  it("counts every deal a stage holds, and moves them all (open, won, deleted) when it is deleted", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Move on delete" });
    const doomed = st[1]!;
    const target = st[3]!;
    const open = await newDeal(owner, pipeline.id, doomed.id, "Open one");
    const won = await newDeal(owner, pipeline.id, doomed.id, "Won one");
    await markWon(owner, won.id);
    const gone = await newDeal(owner, pipeline.id, doomed.id, "Deleted one");
    await deleteDeal(owner, gone.id);
    await newDeal(owner, pipeline.id, target.id, "Already there");

    const counts = await listStagesWithDealCounts(owner, pipeline.id);
    expect(counts.find((s) => s.id === doomed.id)).toMatchObject({ dealCount: 3, openDealCount: 1 });
    expect(counts.find((s) => s.id === target.id)).toMatchObject({ dealCount: 1, openDealCount: 1 });

    await expect(deleteStage(owner, { stageId: doomed.id })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { moveToStageId: ["errors.stageHasDeals"] } });
    await expect(deleteStage(owner, { stageId: doomed.id, moveToStageId: doomed.id })).rejects.toMatchObject({ code: "VALIDATION" });
    await deleteStage(owner, { stageId: doomed.id, moveToStageId: target.id });

    const moved = await t.db.select().from(deals).where(eq(deals.stageId, target.id));
    expect(moved.map((d) => d.title).sort()).toEqual(["Already there", "Deleted one", "Open one", "Won one"]);
    expect(moved.find((d) => d.id === won.id)!.status).toBe("won");
    expect(moved.find((d) => d.id === gone.id)!.deletedAt).not.toBeNull();
    const events = await t.db.select().from(dealEvents).where(and(eq(dealEvents.toStageId, target.id), eq(dealEvents.fromStageId, doomed.id)));
    expect(events.map((e) => e.dealId).sort()).toEqual([open.id, won.id, gone.id].sort());
    expect((await listStagesWithDealCounts(owner, pipeline.id)).map((s) => s.id)).not.toContain(doomed.id);
    expect((await listStagesWithDealCounts(owner, pipeline.id)).find((s) => s.id === target.id)).toMatchObject({ dealCount: 4, openDealCount: 2 });
  });

  it("shows each stage's open deals as the board's column counts them, and still guards the deletion of a stage holding only closed deals", async () => {
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Open counts" });
    const [first, second, third] = [st[0]!, st[1]!, st[2]!];
    await newDeal(owner, pipeline.id, first.id, "Open A");
    await newDeal(owner, pipeline.id, first.id, "Open B");
    await markWon(owner, (await newDeal(owner, pipeline.id, first.id, "Won")).id);
    await markLost(owner, (await newDeal(owner, pipeline.id, second.id, "Lost")).id, "Price");
    await deleteDeal(owner, (await newDeal(owner, pipeline.id, second.id, "Deleted")).id);

    const counts = await listStagesWithDealCounts(owner, pipeline.id);
    const board = await getBoard(owner, pipeline.id, {});
    expect(counts.map((s) => s.openDealCount)).toEqual(board.columns.map((c) => c.count));
    expect(counts.map((s) => [s.openDealCount, s.dealCount])).toEqual([[2, 3], [0, 2], [0, 0], [0, 0], [0, 0]]);
    // The badge's label says which deals its number counts, and names the closed ones a deletion would move too.
    const label = (locale: "en" | "zh-CN", s: (typeof counts)[number]) =>
      createTranslator({ locale, messages: { p: locale === "en" ? enPipelineSettings : zhPipelineSettings }, namespace: "p" })("dealsInStage", { open: s.openDealCount, closed: s.dealCount - s.openDealCount });
    expect(counts.slice(0, 3).map((s) => label("en", s))).toEqual(["2 open deals (and 1 won, lost or deleted)", "No open deals (and 2 won, lost or deleted)", "No open deals"]);
    expect(counts.slice(0, 3).map((s) => label("zh-CN", s))).toEqual(["2 个进行中的交易（另有 1 个已赢单、已输单或已删除）", "没有进行中的交易（另有 2 个已赢单、已输单或已删除）", "没有进行中的交易"]);

    // A stage with no open deal but closed ones still asks where they go, and moves them.
    await expect(deleteStage(owner, { stageId: second.id })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { moveToStageId: ["errors.stageHasDeals"] } });
    await deleteStage(owner, { stageId: second.id, moveToStageId: third.id });
    expect((await listStagesWithDealCounts(owner, pipeline.id)).find((s) => s.id === third.id)).toMatchObject({ dealCount: 2, openDealCount: 0 });
  });

  it("refuses to move the deals to a stage of another pipeline, and keeps them", async () => {
    const home = await createPipeline(owner, { name: "Home" });
    const away = await createPipeline(owner, { name: "Away" });
    const deal = await newDeal(owner, home.pipeline.id, home.stages[0]!.id, "Homebody");
    await expect(deleteStage(owner, { stageId: home.stages[0]!.id, moveToStageId: away.stages[0]!.id })).rejects.toMatchObject({
      code: "VALIDATION",
      message: "errors.stageOtherPipeline",
    });
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.stageId).toBe(home.stages[0]!.id);
    expect(await stagesOf(home.pipeline.id)).toHaveLength(5);
  });
});

describe("authorization", () => {
  it("refuses a rep every pipeline and stage command (FORBIDDEN) and changes nothing", async () => {
    const rep = await a.ctx("rep");
    const { pipeline, stages: st } = await createPipeline(owner, { name: "Rep proof" });
    const snapshot = async () => ({ p: await pipelineRow(pipeline.id), s: await stagesOf(pipeline.id) });
    const before = await snapshot();
    const attempts = [
      () => createPipeline(rep, { name: "Rep pipeline" }),
      () => renamePipeline(rep, { pipelineId: pipeline.id, name: "Hijacked" }),
      () => movePipeline(rep, { pipelineId: pipeline.id, direction: "up" }),
      () => setPipelineArchived(rep, pipeline.id, true),
      () => duplicatePipeline(rep, pipeline.id),
      () => addStage(rep, { pipelineId: pipeline.id, name: "X", probability: 1, rottingDays: null }),
      () => updateStage(rep, { stageId: st[0]!.id, name: "X", probability: 1, rottingDays: null }),
      () => reorderStage(rep, { stageId: st[4]!.id, beforeId: null, afterId: st[0]!.id }),
      () => deleteStage(rep, { stageId: st[4]!.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await snapshot()).toEqual(before);
    expect(await t.db.select().from(pipelines).where(eq(pipelines.name, "Rep pipeline"))).toHaveLength(0);
  });

  it("gives workspace B NOT_FOUND for A's pipeline and stage ids, and leaves A unchanged", async () => {
    const bCtx = await b.ctx("owner");
    const { pipeline, stages: st } = await createPipeline(owner, { name: "A private" });
    const deal = await newDeal(owner, pipeline.id, st[0]!.id, "A's deal");
    const bStage = (await listStagesWithDealCounts(bCtx, (await listPipelineSummaries(bCtx))[0]!.id))[0]!;
    const snapshot = async () => ({
      pipelines: await t.db.select().from(pipelines).where(eq(pipelines.workspaceId, a.workspaceId)).orderBy(asc(pipelines.id)),
      stages: await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(asc(stages.id)),
      deals: await t.db.select().from(deals).where(eq(deals.workspaceId, a.workspaceId)).orderBy(asc(deals.id)),
    });
    const before = await snapshot();
    const attempts = [
      () => renamePipeline(bCtx, { pipelineId: pipeline.id, name: "Taken" }),
      () => movePipeline(bCtx, { pipelineId: pipeline.id, direction: "up" }),
      () => setPipelineArchived(bCtx, pipeline.id, true),
      () => duplicatePipeline(bCtx, pipeline.id),
      () => addStage(bCtx, { pipelineId: pipeline.id, name: "X", probability: 1, rottingDays: null }),
      () => updateStage(bCtx, { stageId: st[0]!.id, name: "X", probability: 1, rottingDays: null }),
      () => reorderStage(bCtx, { stageId: st[4]!.id, beforeId: null, afterId: st[0]!.id }),
      // B's own stage with A's stage as neighbour, and B's stage deleted "into" A's stage.
      () => reorderStage(bCtx, { stageId: bStage.id, beforeId: st[0]!.id }),
      () => deleteStage(bCtx, { stageId: st[0]!.id, moveToStageId: st[1]!.id }),
      () => listStagesWithDealCounts(bCtx, pipeline.id),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await snapshot()).toEqual(before);
    expect((await listPipelineSummaries(bCtx)).map((p) => p.id)).not.toContain(pipeline.id);
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.stageId).toBe(st[0]!.id);
    expect(await t.db.select().from(pipelines).where(and(eq(pipelines.workspaceId, b.workspaceId), isNull(pipelines.archivedAt)))).toHaveLength(1);
  });
});
