import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { activities, contacts, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, markLost, markWon, moveDeal, reopenDeal } from "@/lib/deals/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { listDeals, listPipelines } from "@/lib/deals/queries";
import { updateWorkspace } from "@/lib/workspaces/commands";
import { pipelineReview } from "@/lib/reports/review";
import { monthPeriod } from "@/lib/reports/period";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/**
 * Hand-made fixture with known answers (workspace in Asia/Shanghai, UTC+8, currency USD; review of March 2026,
 * which runs from 2026-02-28T16:00Z to 2026-03-31T16:00Z). Stages: Lead in, Qualified, Demo, Proposal, Negotiation.
 *   D1 USD 1,000  created Feb 10, → Demo Mar 5, won Mar 31 15:30Z (23:30 local, last day of March: counts)
 *   D2 USD 3,000  created Mar 1, won Mar 31 16:30Z (00:30 April 1 local: April, not March)
 *   D3 EUR 500    created Mar 2, won Mar 20 (another currency: counted as a win, left out of revenue)
 *   D4 USD 2,000  created Mar 3, won Mar 10, reopened Mar 12 (open again: not a win)
 *   D5 USD 700    created Mar 4, → Qualified Mar 6, back to Lead in Mar 8 (moved backwards), lost Mar 15 "Price"
 *   D6 USD 400    created Jan 5, open in Lead in
 */
let t: TestDb;
let a: WorkspaceFixture;
let empty: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];
const REVIEW_NOW = "2026-04-10T00:00:00Z";
const TZ = "Asia/Shanghai";
const ids: Record<string, string> = {};

async function ctxAt(fx: WorkspaceFixture, role: "owner" | "rep" = "owner") {
  return at(await fx.ctx(role), REVIEW_NOW);
}

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  empty = await createWorkspaceFixture(t.db, "Empty");
  const first = await a.ctx("owner");
  await updateWorkspace(first, { name: "Alpha", timeZone: TZ, currency: "USD", dealVisibility: "all" });
  owner = await a.ctx("owner");
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
  const [leadIn, qualified, demo] = stageIds as [string, string, string];

  const [c1, , ] = await t.db
    .insert(contacts)
    .values([
      { workspaceId: a.workspaceId, firstName: "Converted", createdAt: new Date("2026-03-01T00:00:00Z") },
      { workspaceId: a.workspaceId, firstName: "Still a lead", createdAt: new Date("2026-03-15T00:00:00Z") },
      // 23:00 on Feb 28 local: February
      { workspaceId: a.workspaceId, firstName: "February", createdAt: new Date("2026-02-28T15:00:00Z") },
    ])
    .returning();
  const deal = (iso: string, title: string, value: string, extra: Record<string, unknown> = {}) =>
    createDeal(at(owner, iso), createDealSchema.parse({ title, value, pipelineId, stageId: leadIn, ...extra }));

  ids.d1 = (await deal("2026-02-10T02:00:00Z", "D1", "1000", { contactId: c1!.id, source: "Referral" })).id;
  await moveDeal(at(owner, "2026-03-05T00:00:00Z"), { dealId: ids.d1, toStageId: demo });
  await markWon(at(owner, "2026-03-31T15:30:00Z"), ids.d1);

  ids.d2 = (await deal("2026-03-01T00:00:00Z", "D2", "3000")).id;
  await markWon(at(owner, "2026-03-31T16:30:00Z"), ids.d2);

  ids.d3 = (await deal("2026-03-02T00:00:00Z", "D3", "500", { currency: "EUR" })).id;
  await markWon(at(owner, "2026-03-20T00:00:00Z"), ids.d3);

  ids.d4 = (await deal("2026-03-03T00:00:00Z", "D4", "2000")).id;
  await markWon(at(owner, "2026-03-10T00:00:00Z"), ids.d4);
  await reopenDeal(at(owner, "2026-03-12T00:00:00Z"), ids.d4);

  ids.d5 = (await deal("2026-03-04T00:00:00Z", "D5", "700", { source: "Cold email" })).id;
  await moveDeal(at(owner, "2026-03-06T00:00:00Z"), { dealId: ids.d5, toStageId: qualified });
  await moveDeal(at(owner, "2026-03-08T00:00:00Z"), { dealId: ids.d5, toStageId: leadIn });
  await markLost(at(owner, "2026-03-15T00:00:00Z"), ids.d5, "Price");

  ids.d6 = (await deal("2026-01-05T00:00:00Z", "D6", "400", { ownerId: a.users.rep })).id;

  await t.db.insert(activities).values([
    // 23:59 on March 31 local: done in March
    { workspaceId: a.workspaceId, type: "call", subject: "In", dueAt: new Date("2026-03-31T15:00:00Z"), doneAt: new Date("2026-03-31T15:59:00Z"), assigneeId: a.users.owner, dealId: ids.d1 },
    // 00:01 on April 1 local: April
    { workspaceId: a.workspaceId, type: "email", subject: "Out", dueAt: new Date("2026-03-31T15:00:00Z"), doneAt: new Date("2026-03-31T16:01:00Z"), assigneeId: a.users.owner },
    // open, on D4: D4 has a next activity
    { workspaceId: a.workspaceId, type: "task", subject: "Next", dueAt: new Date("2026-04-20T00:00:00Z"), assigneeId: a.users.owner, dealId: ids.d4 },
  ]);
});
afterAll(() => t.close());

const close = (n: number | null, expected: number) => expect(n).toBeCloseTo(expected, 6);

describe("pipelineReview on hand-made deals", () => {
  it("computes every KPI of March in the workspace's time zone", async () => {
    const ctx = await ctxAt(a);
    const r = await pipelineReview(ctx, { period: monthPeriod("2026-03", TZ) });
    const c = r.current;
    expect(c.dealsWon).toBe(2); // D1 (23:30 on the 31st local) and D3 (EUR); not D2 (April locally), not D4 (reopened)
    expect(c.wonRevenue).toBe(100_000); // only D1: EUR is left out of money
    expect(c.dealsWonInCurrency).toBe(1);
    expect(c.excludedCurrencies).toEqual([{ currency: "EUR", dealsWon: 1, wonValue: 50_000 }]);
    expect(c.averageDealSize).toBe(100_000);
    expect(c.dealsLost).toBe(1);
    close(c.winRate, 2 / 3);
    // D1: Feb 10 02:00 → Mar 31 15:30 = 49.5625 days; D3: Mar 2 → Mar 20 = 18 days
    close(c.salesCycleDays, (49.5625 + 18) / 2);
    // open at the end of March (not now, April 10): D4 (reopened), D6, and D2, won only after March ended locally
    expect(c.openDeals).toBe(3);
    close(c.salesVelocity, (3 * 100_000 * (2 / 3)) / ((49.5625 + 18) / 2));
    expect(c.newDeals).toBe(4); // D2 (08:00 Mar 1 local), D3, D4, D5
    expect(c.contactsCreated).toBe(2);
    expect(c.contactsConverted).toBe(1);
    expect(c.leadConversion).toBe(0.5);
    expect(c.activitiesCompleted).toBe(1);
    expect(c.customerLifetimeValue).toBe(100_000); // one customer, one purchase, default lifespan 1 year
    const prev = r.previous;
    expect(prev.newDeals).toBe(1); // D1 in February
    expect(prev.dealsWon).toBe(0);
    expect(prev.openDeals).toBe(2); // at the end of February: D1 (won in March) and D6; D2–D5 came later
    // April is not over on April 10: its open deals are those open now, D4 and D6
    expect((await pipelineReview(ctx, { period: monthPeriod("2026-04", TZ) })).current.openDeals).toBe(2);
    const kpi = r.kpis.find((k) => k.key === "newDeals")!;
    expect(kpi).toMatchObject({ value: 4, previous: 1, delta: 3, relative: 3 });
  });

  it("takes the period as two instants too (the same figures as the month)", async () => {
    const march = monthPeriod("2026-03", TZ);
    const r = await pipelineReview(await ctxAt(a), { from: march.from, to: march.to });
    expect(r.period).toMatchObject({ kind: "range", startDate: "2026-03-01", endDate: "2026-04-01" });
    expect(r.current).toMatchObject({ dealsWon: 2, wonRevenue: 100_000, newDeals: 4 });
    expect(r.previousPeriod).toMatchObject({ startDate: "2026-01-29", endDate: "2026-03-01" }); // 31 days before
  });

  it("counts the won deal of 00:30 on April 1 local in April", async () => {
    const r = await pipelineReview(await ctxAt(a), { period: monthPeriod("2026-04", TZ) });
    expect(r.current.dealsWon).toBe(1);
    expect(r.current.wonRevenue).toBe(300_000);
  });

  it("builds the funnel, conversion to the next stage and time in stage from the history", async () => {
    const r = await pipelineReview(await ctxAt(a), { period: monthPeriod("2026-03", TZ) });
    const [leadIn, qualified, demo, proposal] = r.stages!.funnel;
    // entered Lead in in March: D2, D3, D4, D5 (D5 twice, counted once); all went on (won, or D5 to Qualified)
    expect(leadIn).toMatchObject({ entered: 4, converted: 4, conversion: 1 });
    // D5 entered Qualified and moved backwards: no conversion
    expect(qualified).toMatchObject({ entered: 1, converted: 0, conversion: 0 });
    expect(demo).toMatchObject({ entered: 1, converted: 1 });
    expect(proposal).toMatchObject({ entered: 0, converted: 0, conversion: null, stays: 0, averageDays: null });
    // completed stays ending in March in Lead in: D1 22.9167 (to Demo), D3 18 (won), D4 7 (won), D5 2 (to Qualified) and 7 (lost)
    expect(leadIn!.stays).toBe(5);
    close(leadIn!.averageDays, (22 + 22 / 24 + 18 + 7 + 2 + 7) / 5);
    close(leadIn!.medianDays, 7);
    expect(qualified).toMatchObject({ stays: 1, averageDays: 2 });
    close(demo!.averageDays, 26 + 15.5 / 24);
    // open now in Lead in: D4 (since Mar 3; reopening keeps the stage entry) and D6 (since Jan 5)
    expect(leadIn!.openDeals).toBe(2);
    close(leadIn!.averageAgeDays, (38 + 95) / 2);
    expect(leadIn!.stuckDeals).toBe(2); // both over 14 rotting days
    expect(r.stages!.bottleneck).toBeNull(); // two open deals: too few to call a bottleneck
  });

  it("breaks won and lost down by reason, owner and source, and lists deals with no next activity", async () => {
    const r = await pipelineReview(await ctxAt(a), { period: monthPeriod("2026-03", TZ) });
    expect(r.wonLost.lostByReason).toEqual([{ key: "Price", label: "Price", count: 1, value: 70_000 }]);
    expect(r.wonLost.wonBySource.find((b) => b.key === "Referral")).toMatchObject({ count: 1, value: 100_000 });
    expect(r.wonLost.wonByOwner).toEqual([expect.objectContaining({ key: a.users.owner, count: 2, value: 100_000 })]);
    expect(r.activity.byRepType).toEqual([expect.objectContaining({ assigneeId: a.users.owner, type: "call", count: 1 })]);
    expect(r.activity.noNextActivity.count).toBe(1); // D6 (D4 has an open task)
    expect(r.activity.noNextActivity.deals.map((d) => d.title)).toEqual(["D6"]);
  });

  it("filters by owner and pipeline, and a rep limited to own deals sees only theirs", async () => {
    const byRep = await pipelineReview(await ctxAt(a), { period: monthPeriod("2026-03", TZ), ownerId: a.users.rep });
    expect(byRep.current.openDeals).toBe(1);
    expect(byRep.current.dealsWon).toBe(0);
    await updateWorkspace(await a.ctx("owner"), { name: "Alpha", timeZone: TZ, currency: "USD", dealVisibility: "own" });
    try {
      const rep = await pipelineReview(await ctxAt(a, "rep"), { period: monthPeriod("2026-03", TZ) });
      expect(rep.current.openDeals).toBe(1);
      expect(rep.current.newDeals).toBe(0);
      expect(rep.current.dealsWon).toBe(0);
    } finally {
      await updateWorkspace(await a.ctx("owner"), { name: "Alpha", timeZone: TZ, currency: "USD", dealVisibility: "all" });
    }
  });

  it("refuses another workspace's pipeline (not found)", async () => {
    await expect(pipelineReview(await ctxAt(empty), { period: monthPeriod("2026-03", TZ), pipelineId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reports zeros and no ratios for a workspace with no deals", async () => {
    const r = await pipelineReview(await ctxAt(empty), { period: monthPeriod("2026-03", "UTC") });
    expect(r.current).toMatchObject({
      wonRevenue: 0,
      dealsWon: 0,
      averageDealSize: null,
      winRate: null,
      salesCycleDays: null,
      salesVelocity: null,
      leadConversion: null,
      customerLifetimeValue: null,
      newDeals: 0,
      activitiesCompleted: 0,
      excludedCurrencies: [],
    });
    expect(r.stages!.funnel.every((s) => s.entered === 0 && s.openDeals === 0)).toBe(true);
    expect(r.stages!.bottleneck).toBeNull();
    expect(r.kpis.find((k) => k.key === "wonRevenue")).toMatchObject({ value: 0, previous: 0, delta: 0, relative: null });
  });
});

describe("deal list drill-down filters", () => {
  it("lists exactly the deals behind a figure", async () => {
    const ctx = await ctxAt(a);
    const march = monthPeriod("2026-03", TZ);
    const won = await listDeals(ctx, { status: "won", closedFrom: march.from.toISOString(), closedTo: march.to.toISOString() });
    expect(won.rows.map((d) => d.title).sort()).toEqual(["D1", "D3"]);
    const entered = await listDeals(ctx, { status: "all", enteredStage: stageIds[1], enteredFrom: march.from.toISOString(), enteredTo: march.to.toISOString() });
    expect(entered.rows.map((d) => d.title)).toEqual(["D5"]);
    const created = await listDeals(ctx, { status: "all", createdFrom: march.from.toISOString(), createdTo: march.to.toISOString() });
    expect(created.total).toBe(4);
    const lost = await listDeals(ctx, { status: "lost", lostReason: "Price" });
    expect(lost.rows.map((d) => d.title)).toEqual(["D5"]);
    const noNext = await listDeals(ctx, { status: "open", noNext: true });
    expect(noNext.rows.map((d) => d.title)).toEqual(["D6"]);
    const some = await listDeals(ctx, { status: "all", ids: [ids.d1!, ids.d2!] });
    expect(some.total).toBe(2);
    // lead-to-customer conversion: the won deals of contacts created in March (the "Converted" contact's D1)
    const converted = await listDeals(ctx, { status: "won", contactCreatedFrom: march.from.toISOString(), contactCreatedTo: march.to.toISOString() });
    expect(converted.rows.map((d) => d.title)).toEqual(["D1"]);
    const eur = await listDeals(ctx, { status: "all", currency: "EUR" });
    expect(eur.rows.map((d) => d.title)).toEqual(["D3"]);
  });
});

describe("daylight saving time", () => {
  it("bounds March by local midnights in America/New_York (the month is an hour shorter)", async () => {
    const fx = await createWorkspaceFixture(t.db, "Dst");
    await updateWorkspace(await fx.ctx("owner"), { name: "Dst", timeZone: "America/New_York", currency: "USD", dealVisibility: "all" });
    const ctx = await fx.ctx("owner");
    const pid = (await listPipelines(ctx))[0]!.id;
    const [stage] = await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pid)).orderBy(asc(stages.position));
    const mk = async (created: string, won: string) => {
      const d = await createDeal(at(ctx, created), createDealSchema.parse({ title: won, value: "10", pipelineId: pid, stageId: stage!.id }));
      await markWon(at(ctx, won), d.id);
    };
    await mk("2026-02-01T12:00:00Z", "2026-03-01T04:30:00Z"); // Feb 28 23:30 EST: February
    await mk("2026-02-01T12:00:00Z", "2026-03-01T05:30:00Z"); // Mar 1 00:30 EST: March
    await mk("2026-02-01T12:00:00Z", "2026-04-01T03:30:00Z"); // Mar 31 23:30 EDT: March
    await mk("2026-02-01T12:00:00Z", "2026-04-01T04:30:00Z"); // Apr 1 00:30 EDT: April
    const period = monthPeriod("2026-03", "America/New_York");
    expect(period.to.getTime() - period.from.getTime()).toBe((31 * 24 - 1) * 3_600_000);
    const r = await pipelineReview(at(ctx, REVIEW_NOW), { period });
    expect(r.current.dealsWon).toBe(2);
    expect(r.previous.dealsWon).toBe(1);
  });
});
