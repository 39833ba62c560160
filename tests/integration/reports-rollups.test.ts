import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { contacts, dealEvents, deals, stages } from "@/db/schema";
import { rows } from "@/db/migrate";
import type { Ctx } from "@/lib/context";
import { createActivity, deleteActivity, setActivityDone } from "@/lib/activities/commands";
import { createActivitySchema } from "@/lib/activities/schema";
import { createDeal, deleteDeal, markLost, markWon, moveDeal, moveDealQuick, reopenDeal, restoreDeal, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { listPipelines } from "@/lib/deals/queries";
import { createPipeline } from "@/lib/pipelines/commands";
import { monthPeriod } from "@/lib/reports/period";
import { checkReviewRollups, openStageFigures, rebuildReviewRollups } from "@/lib/reports/rollups";
import { pipelineReview } from "@/lib/reports/review";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/**
 * The review's rollups (report_stage_stays, report_idle_deals; migration 0020) are written by database triggers.
 * After every kind of write that can change them — through the domain commands, the quick move path and raw SQL
 * (as an import or a seed would) — they must equal their definition over the raw tables (checkReviewRollups), and
 * the review must show the figures the definition gives (docs/metrics.md).
 */
let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let stageIds: string[];
let pipelineId: string;

const consistent = async () => {
  expect(await checkReviewRollups(t.db)).toEqual({ stays: 0, idleDeals: 0, openStageDays: 0, wonDeals: 0 });
};
const review = (ctx: Ctx, month: string, extra: { pipelineId?: string; ownerId?: string } = {}) =>
  pipelineReview(ctx, { period: monthPeriod(month, ctx.workspace.timeZone), ...extra });
const newDeal = (iso: string, title: string, extra: Record<string, unknown> = {}) =>
  createDeal(at(owner, iso), createDealSchema.parse({ title, value: "100", pipelineId, stageId: stageIds[0], ...extra }));
const stageRow = (r: Awaited<ReturnType<typeof review>>, i: number) => r.stages!.funnel.find((s) => s.stageId === stageIds[i])!;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Rollups");
  b = await createWorkspaceFixture(t.db, "Other");
  owner = await a.ctx("owner");
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
});
afterAll(async () => {
  await t.close();
});

describe("stage stays rollup", () => {
  it("records a stay per move out of a stage and per close, including moves backwards and a reopen", async () => {
    const d = await newDeal("2026-05-01T00:00:00Z", "Back and forth");
    await moveDeal(at(owner, "2026-05-03T00:00:00Z"), { dealId: d.id, toStageId: stageIds[1]! }); // stay in 0: 2 days
    await moveDeal(at(owner, "2026-05-04T00:00:00Z"), { dealId: d.id, toStageId: stageIds[0]! }); // stay in 1: 1 day (backwards)
    await markWon(at(owner, "2026-05-10T00:00:00Z"), d.id); // stay in 0: 6 days
    await reopenDeal(at(owner, "2026-05-12T00:00:00Z"), d.id);
    await markLost(at(owner, "2026-05-20T00:00:00Z"), d.id, "Price"); // stay in 0 from the reopen: 8 days
    await consistent();
    const r = await review(at(owner, "2026-06-02T00:00:00Z"), "2026-05");
    expect(stageRow(r, 0)).toMatchObject({ stays: 3, averageDays: (2 + 6 + 8) / 3, medianDays: 6 });
    expect(stageRow(r, 1)).toMatchObject({ stays: 1, averageDays: 1, medianDays: 1 });
  });

  it("follows the quick move path and a deal moved to another pipeline", async () => {
    const reviewAt = at(owner, "2026-06-02T00:00:00Z");
    const stays0 = async (p: string) => stageRow(await review(reviewAt, "2026-05", { pipelineId: p }), 0).stays;
    const before = await stays0(pipelineId);
    const d = await newDeal("2026-05-01T00:00:00Z", "Quick");
    await moveDealQuick(at(owner, "2026-05-02T00:00:00Z"), { dealId: d.id, toStageId: stageIds[2]! });
    await consistent();
    expect(await stays0(pipelineId)).toBe(before + 1);
    const other = (await createPipeline(owner, { name: "Partners" })).pipeline;
    const [otherStage] = await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, other.id)).orderBy(asc(stages.position));
    await moveDeal(at(owner, "2026-05-05T00:00:00Z"), { dealId: d.id, toStageId: otherStage!.id });
    await consistent();
    // the stage sections count the deals in the reviewed pipeline now (reportDeals with that pipeline), so the
    // moved deal's stays leave the first pipeline's review; the other pipeline's stages saw no stay end
    expect(await stays0(pipelineId)).toBe(before);
    const theirs = await review(reviewAt, "2026-05", { pipelineId: other.id });
    expect(theirs.stages!.funnel.reduce((n, s) => n + s.stays, 0)).toBe(0);
  });

  it("recomputes a deal's stays when history is written out of order (a past event between two others)", async () => {
    const d = await newDeal("2026-07-01T00:00:00Z", "Backdated");
    await moveDeal(at(owner, "2026-07-11T00:00:00Z"), { dealId: d.id, toStageId: stageIds[2]! }); // stay in 0: 10 days
    let r = await review(at(owner, "2026-08-02T00:00:00Z"), "2026-07");
    expect(stageRow(r, 0)).toMatchObject({ stays: 1, averageDays: 10 });
    // an import or a correction adds the move 0 → 1 on the 5th: the stay in 0 now lasts 4 days, the stay in 1 ends on the 11th
    await t.db.insert(dealEvents).values({ workspaceId: a.workspaceId, dealId: d.id, type: "stage_changed", fromStageId: stageIds[0], toStageId: stageIds[1], occurredAt: new Date("2026-07-05T00:00:00Z") });
    await consistent();
    r = await review(at(owner, "2026-08-02T00:00:00Z"), "2026-07");
    // 0 → 1 on the 5th ends a 4-day stay in 0; the 0 → 2 event still names stage 0 as its from-stage, so it ends a
    // stay in 0 that began at the latest entry before it (the 5th): 6 days. No stay in 1 ends (no event leaves it).
    expect(stageRow(r, 0)).toMatchObject({ stays: 2, averageDays: 5 });
    expect(stageRow(r, 1).stays).toBe(0);
    // deleting and editing history is followed too
    await t.db.delete(dealEvents).where(sql`${dealEvents.dealId} = ${d.id} and ${dealEvents.occurredAt} = '2026-07-05T00:00:00Z'::timestamptz`);
    await consistent();
    await t.db.update(dealEvents).set({ occurredAt: new Date("2026-07-03T00:00:00Z") }).where(sql`${dealEvents.dealId} = ${d.id} and ${dealEvents.type} = 'stage_changed'`);
    await consistent();
    r = await review(at(owner, "2026-08-02T00:00:00Z"), "2026-07");
    expect(stageRow(r, 0)).toMatchObject({ stays: 1, averageDays: 2 });
  });

  it("drops a deleted deal's stays from the review and brings them back on restore; owner filter follows the owner now", async () => {
    const d = await newDeal("2026-09-01T00:00:00Z", "Deleted", { ownerId: a.users.rep });
    await moveDeal(at(owner, "2026-09-04T00:00:00Z"), { dealId: d.id, toStageId: stageIds[1]! });
    const before = stageRow(await review(at(owner, "2026-10-02T00:00:00Z"), "2026-09"), 0).stays;
    expect(before).toBe(1);
    await deleteDeal(at(owner, "2026-09-20T00:00:00Z"), d.id);
    expect(stageRow(await review(at(owner, "2026-10-02T00:00:00Z"), "2026-09"), 0).stays).toBe(0);
    await restoreDeal(at(owner, "2026-09-21T00:00:00Z"), d.id);
    expect(stageRow(await review(at(owner, "2026-10-02T00:00:00Z"), "2026-09"), 0).stays).toBe(1);
    expect(stageRow(await review(at(owner, "2026-10-02T00:00:00Z"), "2026-09", { ownerId: a.users.rep }), 0).stays).toBe(1);
    await updateDeal(at(owner, "2026-09-22T00:00:00Z"), updateDealSchema.parse({ dealId: d.id, ownerId: a.users.manager }));
    expect(stageRow(await review(at(owner, "2026-10-02T00:00:00Z"), "2026-09", { ownerId: a.users.rep }), 0).stays).toBe(0);
    expect(stageRow(await review(at(owner, "2026-10-02T00:00:00Z"), "2026-09", { ownerId: a.users.manager }), 0).stays).toBe(1);
    await consistent();
  });

  it("goes with its deal when the deal is removed for good", async () => {
    const d = await newDeal("2026-09-01T00:00:00Z", "Purged");
    await moveDeal(at(owner, "2026-09-02T00:00:00Z"), { dealId: d.id, toStageId: stageIds[1]! });
    await t.db.delete(deals).where(eq(deals.id, d.id));
    const [left] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from report_stage_stays where deal_id = ${d.id}`).then((r) => (Array.isArray(r) ? r : (r as { rows: { n: number }[] }).rows));
    expect(Number(left!.n)).toBe(0);
    await consistent();
  });
});

describe("deals with no next activity rollup", () => {
  it("tracks open activities, closing, reopening, deleting and value/currency/owner changes", async () => {
    const base = at(owner, "2026-11-02T00:00:00Z");
    const count = async (ctx: Ctx = base, extra: { ownerId?: string } = {}) => (await review(ctx, "2026-10", extra)).activity.noNextActivity;
    const start = (await count()).count;
    const d = await newDeal("2026-10-01T00:00:00Z", "Idle", { ownerId: a.users.rep });
    expect((await count()).count).toBe(start + 1);
    const task = await createActivity(base, createActivitySchema.parse({ type: "task", subject: "Call back", dueDate: "2026-11-05", dealId: d.id }), "UTC");
    expect((await count()).count).toBe(start);
    await setActivityDone(base, task.id, true);
    expect((await count()).count).toBe(start + 1);
    await setActivityDone(base, task.id, false);
    expect((await count()).count).toBe(start);
    await deleteActivity(base, task.id);
    expect((await count()).count).toBe(start + 1);
    await markWon(at(owner, "2026-10-20T00:00:00Z"), d.id);
    expect((await count()).count).toBe(start);
    await reopenDeal(at(owner, "2026-10-21T00:00:00Z"), d.id);
    expect((await count()).count).toBe(start + 1);
    // value and currency changes keep the deal listed (the list orders by value, read from the deal itself)
    await updateDeal(base, updateDealSchema.parse({ dealId: d.id, value: "999999", currency: "EUR" }));
    const listed = await count();
    expect(listed.count).toBe(start + 1);
    expect(listed.deals[0]).toMatchObject({ id: d.id, currency: "EUR" });
    // the owner filter and a rep limited to own deals see it by its owner now
    expect((await count(base, { ownerId: a.users.rep })).count).toBe(1);
    await updateDeal(base, updateDealSchema.parse({ dealId: d.id, ownerId: a.users.manager }));
    expect((await count(base, { ownerId: a.users.rep })).count).toBe(0);
    await deleteDeal(base, d.id);
    expect((await count()).count).toBe(start);
    await restoreDeal(base, d.id);
    expect((await count()).count).toBe(start + 1);
    await consistent();
  });

  it("is filled by bulk inserts of deals and activities (as an import or a seed writes them)", async () => {
    const [{ id: dealId }] = (await t.db
      .insert(deals)
      .values([0, 1, 2].map((i) => ({ workspaceId: a.workspaceId, pipelineId, stageId: stageIds[0]!, title: `Bulk ${i}`, createdAt: new Date("2026-10-03T00:00:00Z") })))
      .returning({ id: deals.id })) as [{ id: string }];
    await consistent();
    await t.db.execute(sql`insert into activities (workspace_id, type, subject, due_date, deal_id) values (${a.workspaceId}, 'call', 'Bulk call', '2026-11-05', ${dealId})`);
    await consistent();
  });

  it("keeps up with one transaction writing thousands of deals and their history (a 50,000-row import's batch)", async () => {
    // More deals than the lock table has slots (64 × 100 entries, about 18,000 advisory locks on PGlite): locking
    // per deal ran out of shared memory here.
    const n = 20_000;
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into deals (workspace_id, pipeline_id, stage_id, title, value, owner_id, created_at, stage_entered_at)
        select ${a.workspaceId}, ${pipelineId}, ${stageIds[0]}, 'Imported ' || g, g, ${a.users.owner}, '2026-09-01'::timestamptz, '2026-09-01'::timestamptz
        from generate_series(1, ${n}) g`);
      await tx.execute(sql`
        insert into deal_events (workspace_id, deal_id, type, to_stage_id, occurred_at)
        select workspace_id, id, 'created', stage_id, created_at from deals where workspace_id = ${a.workspaceId} and title like 'Imported %'`);
      await tx.execute(sql`
        insert into deal_events (workspace_id, deal_id, type, from_stage_id, to_stage_id, occurred_at)
        select workspace_id, id, 'stage_changed', stage_id, ${stageIds[1]}, '2026-09-15'::timestamptz from deals where workspace_id = ${a.workspaceId} and title like 'Imported %'`);
      await tx.execute(sql`update deals set stage_id = ${stageIds[1]}, stage_entered_at = '2026-09-15' where workspace_id = ${a.workspaceId} and title like 'Imported %'`);
    });
    const [stays] = await t.db.execute(sql`select count(*)::int as n from report_stage_stays where workspace_id = ${a.workspaceId} and ended_at = '2026-09-15'`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { n: number }[]);
    expect(stays!.n).toBe(n);
    await consistent();
  }, 120_000); // 20,000 deals and their history in one transaction: ~25 s on PGlite here, more under load
});

describe("open deals per stage rollup", () => {
  it("gives the per-deal figures: count, value, average and median age (odd and even counts), stuck around the cutoff day", async () => {
    const p = (await createPipeline(owner, { name: "Ages" })).pipeline;
    const ps = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, p.id)).orderBy(asc(stages.position))).map((x) => x.id);
    const times = ["2026-10-01T03:00:00Z", "2026-10-01T23:30:00Z", "2026-10-07T12:00:00Z", "2026-10-08T08:00:00Z", "2026-10-08T20:00:00Z", "2026-10-20T10:00:00Z", "2026-10-28T00:00:00Z"];
    const made = [];
    for (const [i, iso] of times.entries()) {
      made.push(await createDeal(at(owner, iso), createDealSchema.parse({ title: `Age ${i}`, value: String(100 * (i + 1)), currency: i === 3 ? "EUR" : undefined, pipelineId: p.id, stageId: ps[0] })));
    }
    await moveDeal(at(owner, "2026-10-29T00:00:00Z"), { dealId: made[6]!.id, toStageId: ps[1]! });
    await moveDeal(at(owner, "2026-10-30T00:00:00Z"), { dealId: made[5]!.id, toStageId: ps[1]! });
    await markWon(at(owner, "2026-10-31T00:00:00Z"), made[0]!.id);
    await deleteDeal(at(owner, "2026-10-31T00:00:00Z"), made[1]!.id);
    await consistent();
    // rotting cutoff of the default first stage falls inside a day that has deals on both sides of it
    for (const now of ["2026-11-02T09:00:00Z", "2026-10-22T09:00:00Z", "2026-11-22T16:00:00Z"]) {
      const ctx = at(owner, now);
      const rollup = await openStageFigures(ctx, p.id);
      const direct = await t.db.execute(sql`
        select s.id as stage_id, count(d.id) as n, coalesce(sum(d.value) filter (where d.currency = ${ctx.workspace.currency}), 0) as v,
          avg(extract(epoch from ${now}::timestamptz - d.stage_entered_at) / 86400) as avg_age,
          percentile_cont(0.5) within group (order by extract(epoch from ${now}::timestamptz - d.stage_entered_at) / 86400) as median_age,
          count(d.id) filter (where s.rotting_days is not null and d.stage_entered_at < ${now}::timestamptz - make_interval(days => s.rotting_days)) as stuck
        from stages s left join deals d on d.stage_id = s.id and d.status = 'open' and d.deleted_at is null
        where s.pipeline_id = ${p.id} group by s.id`);
      const rows = (Array.isArray(direct) ? direct : (direct as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
      for (const want of rows) {
        const got = rollup.find((r) => r.stage_id === want.stage_id)!;
        expect(Number(got.n)).toBe(Number(want.n));
        expect(Number(got.v)).toBe(Number(want.v));
        expect(Number(got.stuck)).toBe(Number(want.stuck));
        if (want.avg_age === null) expect(got.avg_age).toBeNull();
        else expect(Number(got.avg_age)).toBeCloseTo(Number(want.avg_age), 9);
        expect(got.median_age === null ? null : Number(got.median_age)).toBe(want.median_age === null ? null : Number(want.median_age));
      }
    }
  });
});

describe("won deals per customer rollup (CLV)", () => {
  it("gives the same CLV as grouping the won deals by contact, after wins, reopenings, deletions and contact/currency changes", async () => {
    const c = await createWorkspaceFixture(t.db, "Customers");
    const ctx = await c.ctx("owner");
    const only = (await listPipelines(ctx))[0]!.id; // the workspace's only pipeline: filtering by it reads the deals
    const first = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, only)).orderBy(asc(stages.position)))[0]!.id;
    const people = await t.db
      .insert(contacts)
      .values(["Ann", "Bo", "Cy"].map((firstName) => ({ workspaceId: c.workspaceId, firstName, createdAt: new Date("2025-01-01T00:00:00Z") })))
      .returning({ id: contacts.id });
    const won = async (iso: string, who: number, value: string, currency?: string) => {
      const d = await createDeal(at(ctx, iso), createDealSchema.parse({ title: `Win ${iso}`, value, currency, pipelineId: only, stageId: first, contactId: people[who]!.id }));
      await markWon(at(ctx, iso), d.id);
      return d.id;
    };
    const clvBoth = async () => {
      const reviewAt = at(ctx, "2026-11-02T00:00:00Z");
      const whole = await pipelineReview(reviewAt, { period: monthPeriod("2026-10", ctx.workspace.timeZone) });
      const filtered = await pipelineReview(reviewAt, { period: monthPeriod("2026-10", ctx.workspace.timeZone), pipelineId: only });
      expect(whole.current.clv).toEqual(filtered.current.clv);
      expect(whole.previous.clv).toEqual(filtered.previous.clv);
      return whole.current.clv;
    };
    await won("2025-06-01T00:00:00Z", 0, "1000");
    const annSecond = await won("2026-03-01T00:00:00Z", 0, "2000");
    await won("2026-10-05T00:00:00Z", 0, "500");
    await won("2026-09-10T00:00:00Z", 1, "700");
    const boEur = await won("2026-10-10T00:00:00Z", 1, "900", "EUR");
    const cy = await won("2026-10-20T00:00:00Z", 2, "300");
    await consistent();
    const before = await clvBoth();
    expect(before.value).not.toBeNull();
    await reopenDeal(at(ctx, "2026-10-21T00:00:00Z"), annSecond);
    await clvBoth();
    await markWon(at(ctx, "2026-10-22T00:00:00Z"), annSecond); // won again, in October now
    await updateDeal(at(ctx, "2026-10-23T00:00:00Z"), updateDealSchema.parse({ dealId: boEur, currency: "USD" }));
    await updateDeal(at(ctx, "2026-10-24T00:00:00Z"), updateDealSchema.parse({ dealId: cy, contactId: people[1]!.id }));
    await consistent();
    await clvBoth();
    await deleteDeal(at(ctx, "2026-10-25T00:00:00Z"), annSecond);
    await clvBoth();
    await restoreDeal(at(ctx, "2026-10-26T00:00:00Z"), annSecond);
    await t.db.delete(deals).where(eq(deals.id, cy));
    await consistent();
    await clvBoth();
  });
});

describe("concurrent writers", () => {
  // Two transactions refreshing one deal's (or customer's) rollup rows must wait for each other (decision 43,
  // migrations 0024/0025): each refresh function takes its rollup's bucket lock before it deletes and rewrites.
  // A function redefined later (migration 0032 made the stage stays one PL/pgSQL) must keep that first step.
  it.each([
    ["report_refresh_stage_stays", 43001],
    ["report_refresh_idle_deals", 43002],
    ["report_refresh_won_deals", 43003],
  ])("%s takes its bucket lock (%i) before it writes", async (name, key) => {
    const [fn] = rows<{ prosrc: string }>(await t.db.execute(sql`select prosrc from pg_proc where proname = ${name}`));
    const source = fn?.prosrc ?? "";
    const lock = source.indexOf(`pg_advisory_xact_lock(${key},`);
    expect(lock, source).toBeGreaterThanOrEqual(0);
    expect(lock).toBeLessThan(source.search(/DELETE FROM/i));
  });
});

describe("isolation and repair", () => {
  it("keeps workspaces apart and rebuilds to the same rows", async () => {
    const other = await b.ctx("owner");
    const r = await pipelineReview(at(other, "2026-11-02T00:00:00Z"), { period: monthPeriod("2026-05", other.workspace.timeZone) });
    expect(r.stages!.funnel.every((s) => s.stays === 0)).toBe(true);
    expect(r.activity.noNextActivity.count).toBe(0);
    expect(await checkReviewRollups(t.db, b.workspaceId)).toEqual({ stays: 0, idleDeals: 0, openStageDays: 0, wonDeals: 0 });
    const figures = await review(at(owner, "2026-06-02T00:00:00Z"), "2026-05");
    await t.db.execute(sql`delete from report_stage_stays where workspace_id = ${a.workspaceId}`);
    await t.db.execute(sql`delete from report_open_stage_days where workspace_id = ${a.workspaceId}`);
    expect((await checkReviewRollups(t.db, a.workspaceId)).stays).toBeGreaterThan(0);
    expect((await checkReviewRollups(t.db, a.workspaceId)).openStageDays).toBeGreaterThan(0);
    await rebuildReviewRollups(t.db, a.workspaceId);
    await consistent();
    expect(await review(at(owner, "2026-06-02T00:00:00Z"), "2026-05")).toEqual(figures);
  });
});
