import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { dealEvents, deals, domainEvents, jobs, pipelines, stages, webhookSubscriptions, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "@/lib/context";
import { createDeal, deleteDeal, moveDeal, moveDealQuick } from "@/lib/deals/commands";
import { createDealSchema, type MoveDealInput } from "@/lib/deals/schema";
import { listPipelines } from "@/lib/deals/queries";
import { createPipeline } from "@/lib/pipelines/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

// moveDealQuick (one data-modifying statement) must write exactly what moveDeal (the full command) writes. Each
// case runs both on the same starting state inside a transaction that is rolled back, and compares the rows.

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let stageIds: string[];
let otherPipelineStageId: string;

class Rollback extends Error {}

const omit = <T extends object>(row: T, ...keys: (keyof T)[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k as keyof T)));

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  const pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
  const other = await createPipeline(owner, { name: "Partners" });
  const [first] = await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, other.pipeline.id)).orderBy(asc(stages.position));
  otherPipelineStageId = first!.id;
  for (const [i, title] of ["One", "Two", "Three", "Four"].entries()) {
    await createDeal(at(owner, `2026-03-0${i + 1}T10:00:00Z`), createDealSchema.parse({ title, value: "100", pipelineId, stageId: stageIds[0] }));
  }
  await createDeal(owner, createDealSchema.parse({ title: "Rep's", value: "5", pipelineId, stageId: stageIds[1], ownerId: a.users.rep }));
});
afterAll(() => t?.close());

const dealId = async (title: string) => (await t.db.select({ id: deals.id }).from(deals).where(and(eq(deals.workspaceId, a.workspaceId), eq(deals.title, title))))[0]!.id;

type Written = { deal: unknown; history: unknown[]; events: unknown[]; jobs: unknown[]; stageChanged: boolean };

/** Runs one move on a copy of the state (a rolled-back transaction) and returns what it wrote. */
async function written(move: typeof moveDeal | typeof moveDealQuick, ctx: Ctx, input: MoveDealInput): Promise<Written | { error: unknown }> {
  let out: Written | { error: unknown } | undefined;
  await t.db
    .transaction(async (tx) => {
      const [maxEvent] = await tx.select({ id: domainEvents.id }).from(domainEvents).orderBy(asc(domainEvents.id)).limit(1).offset(0);
      const marks = {
        history: (await tx.select({ id: dealEvents.id }).from(dealEvents)).reduce((m, r) => Math.max(m, r.id), 0),
        events: (await tx.select({ id: domainEvents.id }).from(domainEvents)).reduce((m, r) => Math.max(m, r.id), maxEvent?.id ?? 0),
        jobs: (await tx.select({ id: jobs.id }).from(jobs)).reduce((m, r) => Math.max(m, r.id), 0),
      };
      try {
        const result = await move({ ...ctx, db: tx as unknown as Db }, input);
        const [deal] = await tx.select().from(deals).where(eq(deals.id, input.dealId));
        const history = await tx.select().from(dealEvents).where(gt(dealEvents.id, marks.history)).orderBy(asc(dealEvents.id));
        const events = await tx.select().from(domainEvents).where(gt(domainEvents.id, marks.events)).orderBy(asc(domainEvents.id));
        const newJobs = await tx.select().from(jobs).where(gt(jobs.id, marks.jobs)).orderBy(asc(jobs.id));
        const eventIndex = new Map(events.map((e, i) => [e.id, i]));
        out = {
          stageChanged: result.stageChanged,
          deal,
          history: history.map((row) => omit(row, "id")),
          events: events.map((row) => omit(row, "id")),
          // job payloads and keys name the event id: compare them by the event's place instead
          jobs: newJobs.map((job) => ({
            ...omit(job, "id", "createdAt", "payload", "idempotencyKey"),
            event: eventIndex.get(Number((job.payload as { eventId?: number }).eventId)),
            key: job.idempotencyKey?.replace(/\d+$/, "#"),
          })),
        };
      } catch (error) {
        out = { error };
      }
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return out!;
}

async function expectSameWrites(ctx: Ctx, input: MoveDealInput) {
  const full = await written(moveDeal, ctx, input);
  const quick = await written(moveDealQuick, ctx, input);
  expect(quick).toEqual(full);
  return quick;
}

describe("moveDealQuick writes exactly what moveDeal writes", () => {
  it("moves a deal to another stage, on top of the column: deal, history, domain event and its dispatch job", async () => {
    const result = await expectSameWrites(at(owner, "2026-03-10T12:00:00Z"), { dealId: await dealId("One"), toStageId: stageIds[2]! });
    expect(result).toMatchObject({ stageChanged: true, deal: { stageId: stageIds[2], version: 1 } });
    const w = result as Written;
    expect(w.history).toHaveLength(1);
    expect(w.events).toEqual([expect.objectContaining({ type: "deal.stage_changed", data: expect.objectContaining({ fromStageId: stageIds[0], toStageId: stageIds[2] }) })]);
    expect(w.jobs).toEqual([expect.objectContaining({ kind: "dispatch-event", event: 0, key: "event:#" })]);
  });

  it("reorders within a column (between two neighbours, after one, before one): no events", async () => {
    const [one, two, three, four] = await Promise.all(["One", "Two", "Three", "Four"].map(dealId));
    for (const input of [
      { dealId: four!, toStageId: stageIds[0]!, beforeId: one, afterId: two },
      { dealId: one!, toStageId: stageIds[0]!, beforeId: four, afterId: null },
      { dealId: two!, toStageId: stageIds[0]!, beforeId: null, afterId: one },
      { dealId: three!, toStageId: stageIds[0]!, beforeId: three, afterId: three }, // itself as neighbour: ignored
    ]) {
      const result = (await expectSameWrites(owner, input)) as Written;
      expect(result.stageChanged).toBe(false);
      expect(result.history).toEqual([]);
      expect(result.events).toEqual([]);
    }
  });

  it("places a card between neighbours in another column, and handles neighbours that are gone or out of order", async () => {
    const [one, two, reps] = await Promise.all(["One", "Two", "Rep's"].map(dealId));
    await expectSameWrites(owner, { dealId: one!, toStageId: stageIds[1]!, beforeId: reps, afterId: null });
    await expectSameWrites(owner, { dealId: one!, toStageId: stageIds[1]!, beforeId: null, afterId: reps });
    await expectSameWrites(owner, { dealId: one!, toStageId: stageIds[1]!, beforeId: two, afterId: two }); // not in that column: top
    await expectSameWrites(owner, { dealId: one!, toStageId: stageIds[3]!, beforeId: null, afterId: null }); // empty column
  });

  it("moves a deal to another pipeline (pipeline ids in the history and the event)", async () => {
    const result = (await expectSameWrites(owner, { dealId: await dealId("Two"), toStageId: otherPipelineStageId })) as Written;
    expect(result.history).toEqual([expect.objectContaining({ data: expect.objectContaining({ toPipelineId: expect.any(String) }) })]);
  });

  it("hands over to moveDeal when the stage has required fields, when values are filled in, or when a webhook wants moves", async () => {
    await t.db.update(stages).set({ requiredFields: ["expectedCloseDate"] }).where(eq(stages.id, stageIds[4]!));
    const refused = await written(moveDealQuick, owner, { dealId: await dealId("Three"), toStageId: stageIds[4]! });
    expect(refused).toEqual({ error: expect.objectContaining({ code: "VALIDATION", message: "errors.stageRequirements" }) });
    await expectSameWrites(owner, { dealId: await dealId("Three"), toStageId: stageIds[4]!, fill: { expectedCloseDate: "2026-04-01" } } as MoveDealInput);
    await t.db.update(stages).set({ requiredFields: [] }).where(eq(stages.id, stageIds[4]!));

    await t.db.insert(webhookSubscriptions).values({ workspaceId: a.workspaceId, url: "https://example.com/hook", events: ["deal.moved"], secret: "whsec_test" });
    const withHook = (await written(moveDealQuick, owner, { dealId: await dealId("Three"), toStageId: stageIds[1]! })) as Written;
    expect(withHook.events).toHaveLength(1);
    const deliveries = await t.db.select().from(jobs).where(eq(jobs.kind, "webhook-delivery"));
    expect(deliveries).toEqual([]); // rolled back — but the full command ran (it wrote the delivery's job):
    expect(withHook.jobs.map((j) => (j as { kind: string }).kind).sort()).toEqual(["dispatch-event", "webhook-delivery"]);
    await t.db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.workspaceId, a.workspaceId));
  });

  it("renumbers the column like moveDeal when neighbours are too close", async () => {
    const [one, two, three] = await Promise.all(["One", "Two", "Three"].map(dealId));
    await t.db.update(deals).set({ position: 5 }).where(eq(deals.id, one!));
    await t.db.update(deals).set({ position: 5 + 1e-12 }).where(eq(deals.id, two!));
    const result = await written(moveDealQuick, owner, { dealId: three!, toStageId: stageIds[0]!, beforeId: one, afterId: two });
    const positions = await t.db.select({ id: deals.id, position: deals.position }).from(deals).where(inArray(deals.id, [one!, two!]));
    expect(positions.every((p) => p.position >= 5)).toBe(true); // rolled back
    expect(result).toMatchObject({ stageChanged: false, deal: { position: expect.any(Number) } });
    await expectSameWrites(owner, { dealId: three!, toStageId: stageIds[0]!, beforeId: one, afterId: two });
  });
});

describe("moveDealQuick refuses what moveDeal refuses, writing nothing", () => {
  it("another workspace's deal or stage, a deleted deal, and a rep's view of others' deals are not found", async () => {
    const bOwner = await b.ctx("owner");
    const one = await dealId("One");
    expect(await written(moveDealQuick, bOwner, { dealId: one, toStageId: stageIds[1]! })).toEqual({ error: expect.objectContaining({ code: "NOT_FOUND" }) });
    const bStage = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.workspaceId, b.workspaceId)))[0]!.id;
    expect(await written(moveDealQuick, owner, { dealId: one, toStageId: bStage })).toEqual({ error: expect.objectContaining({ code: "NOT_FOUND", message: "errors.stageNotFound" }) });

    const doomed = await createDeal(owner, createDealSchema.parse({ title: "Doomed", value: "1", pipelineId: (await t.db.select().from(pipelines).where(eq(pipelines.workspaceId, a.workspaceId)))[0]!.id, stageId: stageIds[0] }));
    await deleteDeal(owner, doomed.id);
    expect(await written(moveDealQuick, owner, { dealId: doomed.id, toStageId: stageIds[1]! })).toEqual({ error: expect.objectContaining({ code: "NOT_FOUND" }) });

    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, a.workspaceId));
    const rep = await a.ctx("rep");
    expect(await written(moveDealQuick, rep, { dealId: one, toStageId: stageIds[1]! })).toEqual({ error: expect.objectContaining({ code: "NOT_FOUND" }) });
    const own = (await written(moveDealQuick, rep, { dealId: await dealId("Rep's"), toStageId: stageIds[2]! })) as Written;
    expect(own.stageChanged).toBe(true);
  });
});

describe("moveDealQuick's plan", () => {
  it("finds the top of the target column through the board's partial index, not by reading the workspace's deals", async () => {
    // The statement moveDealQuick sends, explained (not run) with sequential scans priced out: the column's
    // smallest position must come from deals_ws_stage_pos_idx (visible deals only), which a condition without
    // `deleted_at is null` cannot use — at 100,000 deals that scan was most of a move's time (issue #11).
    let statement: SQL | undefined;
    const capture = new Proxy(t.db, {
      get: (db, key) => (key === "execute" ? async (query: SQL) => ((statement = query), [{ found: 0 }]) : Reflect.get(db, key)),
    }) as Db;
    await moveDealQuick({ ...owner, db: capture }, { dealId: await dealId("Two"), toStageId: stageIds[3]! }).catch(() => undefined);
    expect(statement).toBeDefined();
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return JSON.stringify(await tx.execute(sql`explain ${statement!}`));
    });
    expect(plan).toContain("deals_ws_stage_pos_idx");
  });
});
