import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { activities, activityTypes, contacts, deals, sequenceEnrollments, sequences, stages, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, markLost, markWon, moveDeal, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, dealFiltersSchema } from "@/lib/deals/schema";
import { listDeals, listPipelines } from "@/lib/deals/queries";
import { activityFiltersSchema } from "@/lib/activities/schema";
import { listCompleted } from "@/lib/activities/queries";
import { pipelineReview } from "@/lib/reports/review";
import { startReviewSections } from "@/lib/reports/review-loaders";
import { strategyComparison } from "@/lib/reports/strategy";
import { forecast, SLIPPAGE_FLAG } from "@/lib/reports/forecast";
import { goalAchieved } from "@/lib/goals/queries";
import { addDaysToDate } from "@/lib/activities/time";
import { monthPeriod } from "@/lib/reports/period";
import {
  closedTarget,
  completedActivities,
  forecastTargets,
  goalTarget,
  kpiTarget,
  noNextTarget,
  sequenceWonTarget,
  stageTargets,
  strategyTarget,
  type DrillScope,
  type DrillTarget,
} from "@/lib/reports/drilldown";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/**
 * Every report figure against the list its link opens: the link's URL filters are parsed by the lists' own
 * schemas and run through the lists' own queries (as the deals and activities pages do), and the list must hold
 * exactly the deals (activities) counted. Two workspaces with look-alike data (B's deals must never show up in
 * A's lists), and a rep who sees only their own deals.
 *
 * Workspace A (UTC, USD), March 2026, stages Lead in → Qualified → Demo → …:
 *   D1 rep   USD 1,000 "Web"  created Feb 10 · → Qualified Mar 3 · → Demo Mar 10 · won Mar 20 (contact C1)
 *   D2 owner USD 700   —      created Mar 2 · → Qualified Mar 5 · back to Lead in Mar 8 · lost Mar 15 "Price"
 *   D3 rep   EUR 500   "Web"  created Mar 4 · won Mar 25 in Lead in (enrolled by deal)
 *   D4 rep   USD 400   "Ads"  created Jan 5 · → Demo Jan 10 · open
 *   D5 none  USD 300   "Ads"  created Mar 6 · open in Lead in · expected Apr 20
 * D4's expected close date was pushed back three times (to Mar 20: overdue on Apr 5); D6 (EUR, expected Apr 25) and
 * D7 (no date) are open deals created in January.
 */
let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
const NOW_ISO = "2026-04-05T00:00:00Z";
const ids: Record<string, string> = {};
let customTypeA: string;
let sequenceA: string;

async function seed(fx: WorkspaceFixture, tag: string) {
  const owner = await fx.ctx("owner");
  const pipelineId = (await listPipelines(owner))[0]!.id;
  const [leadIn, qualified, demo] = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id) as [string, string, string];
  const [c1] = await t.db.insert(contacts).values({ workspaceId: fx.workspaceId, firstName: `C1 ${tag}`, createdAt: new Date("2026-03-01T00:00:00Z") }).returning();
  const deal = (iso: string, title: string, value: string, extra: Record<string, unknown> = {}) =>
    createDeal(at(owner, iso), createDealSchema.parse({ title: `${title} ${tag}`, value, pipelineId, stageId: leadIn, ...extra }));
  const d1 = (await deal("2026-02-10T00:00:00Z", "D1", "1000", { ownerId: fx.users.rep, source: "Web", contactId: c1!.id })).id;
  await moveDeal(at(owner, "2026-03-03T00:00:00Z"), { dealId: d1, toStageId: qualified });
  await moveDeal(at(owner, "2026-03-10T00:00:00Z"), { dealId: d1, toStageId: demo });
  await markWon(at(owner, "2026-03-20T00:00:00Z"), d1);
  const d2 = (await deal("2026-03-02T00:00:00Z", "D2", "700")).id;
  await moveDeal(at(owner, "2026-03-05T00:00:00Z"), { dealId: d2, toStageId: qualified });
  await moveDeal(at(owner, "2026-03-08T00:00:00Z"), { dealId: d2, toStageId: leadIn });
  await markLost(at(owner, "2026-03-15T00:00:00Z"), d2, "Price");
  const d3 = (await deal("2026-03-04T00:00:00Z", "D3", "500", { ownerId: fx.users.rep, source: "Web", currency: "EUR" })).id;
  await markWon(at(owner, "2026-03-25T00:00:00Z"), d3);
  const d4 = (await deal("2026-01-05T00:00:00Z", "D4", "400", { ownerId: fx.users.rep, source: "Ads" })).id;
  await moveDeal(at(owner, "2026-01-10T00:00:00Z"), { dealId: d4, toStageId: demo });
  const d5 = (await deal("2026-03-06T00:00:00Z", "D5", "300", { ownerId: null, source: "Ads", expectedCloseDate: "2026-04-20" })).id;
  await t.db.update(deals).set({ ownerId: null }).where(eq(deals.id, d5)); // createDeal gives it its creator
  // forecast: D4 pushed back three times (flagged, overdue on Mar 20), D6 in another currency, D7 without a date
  for (const [iso, date] of [["2026-01-06T00:00:00Z", "2026-02-01"], ["2026-01-20T00:00:00Z", "2026-02-15"], ["2026-02-10T00:00:00Z", "2026-03-01"], ["2026-02-25T00:00:00Z", "2026-03-20"]] as const) {
    await updateDeal(at(owner, iso), { dealId: d4, expectedCloseDate: date });
  }
  await deal("2026-01-07T00:00:00Z", "D6", "900", { ownerId: fx.users.rep, currency: "EUR", expectedCloseDate: "2026-04-25" });
  await deal("2026-01-08T00:00:00Z", "D7", "800", { ownerId: fx.users.owner });

  const [custom] = await t.db.insert(activityTypes).values({ workspaceId: fx.workspaceId, label: `Demo call ${tag}` }).returning();
  const done = (iso: string, type: "call" | "email" | "task" | "custom", assigneeId: string | null, dealId: string | null) => ({
    workspaceId: fx.workspaceId,
    type,
    customTypeId: type === "custom" ? custom!.id : null,
    subject: `${type} ${iso}`,
    dueAt: new Date(iso),
    doneAt: new Date(iso),
    assigneeId,
    dealId,
  });
  await t.db.insert(activities).values([
    done("2026-03-03T10:00:00Z", "call", fx.users.rep, d1), // D1's first touch: call
    done("2026-03-12T10:00:00Z", "email", fx.users.rep, d1),
    done("2026-03-04T10:00:00Z", "custom", fx.users.owner, d2), // D2's first touch: the custom type
    done("2026-03-10T10:00:00Z", "email", null, d5), // unassigned; D5's first touch: email
    done("2026-03-11T10:00:00Z", "task", fx.users.owner, d4), // the owner's, on the rep's deal: the rep sees it too
    done("2026-02-20T10:00:00Z", "call", fx.users.rep, d4), // February
    { ...done("2026-03-20T10:00:00Z", "task", fx.users.rep, d4), doneAt: null }, // open: D4 has a next activity
  ]);
  const [seq] = await t.db.insert(sequences).values({ workspaceId: fx.workspaceId, name: `Nurture ${tag}` }).returning();
  await t.db.insert(sequenceEnrollments).values([
    // C1 enrolled twice in March (one ended): D1, won after both, counts once
    { workspaceId: fx.workspaceId, sequenceId: seq!.id, contactId: c1!.id, status: "completed", enrolledAt: new Date("2026-03-01T00:00:00Z"), ordinal: 0 },
    { workspaceId: fx.workspaceId, sequenceId: seq!.id, contactId: c1!.id, status: "active", enrolledAt: new Date("2026-03-02T00:00:00Z"), ordinal: 1 },
    // D3 by deal (its contact is C1 too), won Mar 25
    { workspaceId: fx.workspaceId, sequenceId: seq!.id, contactId: c1!.id, dealId: d3, status: "completed", enrolledAt: new Date("2026-03-05T00:00:00Z"), ordinal: 2 },
  ]);
  return { d1, d2, d3, d4, d5, leadIn, qualified, demo, pipelineId, customType: custom!.id, sequence: seq!.id };
}

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  const sa = await seed(a, "A");
  await seed(b, "B");
  Object.assign(ids, sa);
  customTypeA = sa.customType;
  sequenceA = sa.sequence;
});
afterAll(() => t.close());

const march = () => monthPeriod("2026-03", "UTC");

/** What the deals page shows for a link: its URL parsed by the page's schema, listed by the page's query. */
async function dealList(ctx: Ctx, target: DrillTarget) {
  expect(target.list).toBe("deals");
  const raw = Object.fromEntries(Object.entries(target.params).filter(([, v]) => v)) as Record<string, string>;
  const filters = dealFiltersSchema.parse(raw);
  const pipelineId = raw.pipelineId;
  const result = await listDeals(ctx, { ...filters, status: filters.status ?? "open", pipelineId }, undefined, 1, 200);
  return { total: result.total, ids: result.rows.map((r) => r.id).sort(), values: result.rows.map((r) => r.value) };
}

/** What the activities page's completed list shows for a link. */
async function activityList(ctx: Ctx, target: DrillTarget) {
  expect(target.list).toBe("activities");
  const raw = Object.fromEntries(Object.entries(target.params).filter(([, v]) => v)) as Record<string, string>;
  return (await listCompleted(ctx, "UTC", activityFiltersSchema.parse(raw))).total;
}

const sorted = (...list: string[]) => [...list].sort();
const nextMonth = (m: string) => {
  const [y, mo] = m.split("-").map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
};

/** Compares every figure of the review and the strategy comparison with its list, for one member. */
async function checkEveryFigure(ctx: Ctx, scope: DrillScope) {
  const period = march();
  const r = await pipelineReview(ctx, { period, pipelineId: scope.pipelineId, ownerId: scope.owner });
  const c = r.current;
  const kpi = async (key: Parameters<typeof kpiTarget>[0]) => dealList(ctx, kpiTarget(key, period, scope, "USD"));
  expect((await kpi("dealsWon")).total).toBe(c.dealsWon);
  const won = await kpi("wonRevenue");
  expect(won.total).toBe(c.dealsWonInCurrency);
  expect(won.values.reduce((s, v) => s + v, 0)).toBe(c.wonRevenue);
  expect((await kpi("winRate")).total).toBe(c.dealsWon + c.dealsLost);
  expect((await kpi("salesVelocity")).total).toBe(c.openDeals);
  expect((await kpi("newDeals")).total).toBe(c.newDeals);
  expect(await activityList(ctx, kpiTarget("activitiesCompleted", period, scope, "USD"))).toBe(c.activitiesCompleted);

  const stageScope = { ...scope, pipelineId: r.stagePipelineId };
  for (const s of r.stages!.funnel) {
    expect((await dealList(ctx, stageTargets.entered(s.stageId, period, stageScope))).total, `entered ${s.name}`).toBe(s.entered);
    expect((await dealList(ctx, stageTargets.converted(s.stageId, period, stageScope))).total, `converted ${s.name}`).toBe(s.converted);
    expect((await dealList(ctx, stageTargets.open(s.stageId, stageScope))).total, `open ${s.name}`).toBe(s.openDeals);
    expect((await dealList(ctx, stageTargets.stuck(s.stageId, stageScope))).total, `stuck ${s.name}`).toBe(s.stuckDeals);
    const left = await dealList(ctx, stageTargets.left(s.stageId, period, stageScope));
    // stays count visits; a deal that left twice is one row — never more rows than stays, none when no stays
    expect(left.total <= s.stays && (left.total > 0) === (s.stays > 0), `left ${s.name}: ${left.total} deals, ${s.stays} stays`).toBe(true);
    const value = await dealList(ctx, stageTargets.open(s.stageId, stageScope, "USD"));
    expect(value.values.reduce((x, v) => x + v, 0), `open value ${s.name}`).toBe(s.openValue);
  }

  const w = r.wonLost;
  for (const row of w.wonByOwner) {
    const list = await dealList(ctx, closedTarget("won", period, scope, { owner: row.key }));
    expect(list.total).toBe(row.count);
    const inCurrency = await dealList(ctx, closedTarget("won", period, scope, { owner: row.key }, "USD"));
    expect(inCurrency.values.reduce((x, v) => x + v, 0)).toBe(row.value);
  }
  for (const row of w.lostByOwner) expect((await dealList(ctx, closedTarget("lost", period, scope, { owner: row.key }))).total).toBe(row.count);
  for (const row of w.wonBySource) expect((await dealList(ctx, closedTarget("won", period, scope, { source: row.key }))).total).toBe(row.count);
  for (const row of w.lostBySource) expect((await dealList(ctx, closedTarget("lost", period, scope, { source: row.key }))).total).toBe(row.count);
  for (const row of w.lostByReason) expect((await dealList(ctx, closedTarget("lost", period, scope, { lostReason: row.key! }))).total).toBe(row.count);

  for (const row of r.activity.byRepType) expect(await activityList(ctx, completedActivities(period, scope, row)), `${row.assigneeName} ${row.type}`).toBe(row.count);
  expect((await dealList(ctx, noNextTarget(scope))).total).toBe(r.activity.noNextActivity.count);

  const s = await strategyComparison(ctx, { pipelineId: scope.pipelineId, ownerId: scope.owner }, period);
  for (const [kind, rows] of [["source", s.sources], ["channel", s.channels]] as const) {
    for (const row of rows) {
      expect((await dealList(ctx, strategyTarget(kind, row.key, "all", period, scope)!)).total, `${kind} ${row.key}`).toBe(row.count);
      expect((await dealList(ctx, strategyTarget(kind, row.key, "won", period, scope)!)).total, `${kind} ${row.key} won`).toBe(row.won);
    }
  }
  for (const row of s.sequences ?? []) expect((await dealList(ctx, sequenceWonTarget(row.key!, period, scope))).total).toBe(row.won);

  const f = await forecast(ctx, { pipelineId: scope.pipelineId, ownerId: scope.owner });
  const monthEnd = (m: string) => addDaysToDate(`${nextMonth(m)}-01`, -1);
  const sum = (l: { values: number[] }) => l.values.reduce((x, v) => x + v, 0);
  for (const c of f.totals) {
    const list = await dealList(ctx, forecastTargets.month(c.month, monthEnd(c.month), scope, f.currency));
    expect(list.total, `forecast ${c.month}`).toBe(c.deals);
    expect(sum(list)).toBe(c.unweighted);
  }
  for (const o of f.byOwner) for (const c of o.months) expect((await dealList(ctx, forecastTargets.month(c.month, monthEnd(c.month), scope, f.currency, { owner: o.id }))).total).toBe(c.deals);
  for (const p of f.byPipeline) for (const c of p.months) expect((await dealList(ctx, forecastTargets.month(c.month, monthEnd(c.month), scope, f.currency, { pipelineId: p.id }))).total).toBe(c.deals);
  expect((await dealList(ctx, forecastTargets.overdue(addDaysToDate(f.today, -1), scope))).total).toBe(f.overdue.count);
  expect((await dealList(ctx, forecastTargets.undated(scope))).total).toBe(f.undatedDeals);
  expect((await dealList(ctx, forecastTargets.slipped(1, scope))).total).toBe(f.slippage.dealsPushed);
  expect((await dealList(ctx, forecastTargets.slipped(SLIPPAGE_FLAG, scope))).total).toBe(f.slippage.flagged);

  for (const metric of ["won_value", "won_count", "new_deals", "activities_done"] as const) {
    for (const userId of [null, ...(scope.owner ? [scope.owner] : [])]) {
      const achieved = await goalAchieved(ctx, metric, userId, period);
      const target = goalTarget(metric, period, userId, "USD");
      if (target.list === "activities") expect(await activityList(ctx, target), metric).toBe(achieved);
      else {
        const list = await dealList(ctx, target);
        expect(metric === "won_value" ? sum(list) : list.total, metric).toBe(achieved);
      }
    }
  }
  return { r, s, f };
}

describe("report figures open exactly the deals (activities) behind them", () => {
  it("matches on hand-made deals, with the answers known", async () => {
    const ctx = at(await a.ctx("owner"), NOW_ISO);
    const { r, s, f } = await checkEveryFigure(ctx, { pipelineId: null, owner: null });
    expect(f.totals.find((c) => c.month === "2026-04")!.deals).toBe(1); // D5 (D6 is EUR)
    expect([f.overdue.count, f.undatedDeals, f.slippage.dealsPushed, f.slippage.flagged]).toEqual([1, 1, 1, 1]); // D4, D7, D4, D4
    expect(f.byOwner.some((o) => o.id === null)).toBe(true); // D5 has no owner
    // the fixture's known answers, so the comparisons above compare something
    expect(r.current.dealsWon).toBe(2);
    expect(r.current.activitiesCompleted).toBe(5);
    const period = march();
    const left = (stageId: string) => dealList(ctx, stageTargets.left(stageId, period, { pipelineId: ids.pipelineId!, owner: null }));
    expect((await left(ids.leadIn!)).ids).toEqual(sorted(ids.d1!, ids.d2!, ids.d3!)); // D1 moved on, D2 moved on and lost there, D3 won there
    expect((await left(ids.qualified!)).ids).toEqual(sorted(ids.d1!, ids.d2!));
    expect((await left(ids.demo!)).ids).toEqual([ids.d1!]);
    const leadIn = r.stages!.funnel.find((f) => f.stageId === ids.leadIn)!;
    expect(leadIn.stays).toBe(4); // D2 left Lead in twice
    // converted: went on after entering (won, or a later stage); the list is exactly those deals
    expect(r.stages!.funnel.some((x) => x.converted > 0 && x.converted < x.entered)).toBe(true);
    const converted = await dealList(ctx, stageTargets.converted(ids.leadIn!, period, { pipelineId: ids.pipelineId!, owner: null }));
    expect(converted.total).toBe(leadIn.converted);
    expect(s.sources.find((x) => x.key === null)!.count).toBe(1); // D2
    expect(s.channels.find((x) => x.key === customTypeA)!.count).toBe(1); // D2, first touched with the custom type
    // March's cohort is D2, D3, D5 (D1 was created in February): custom type, nothing done yet, email
    expect(s.channels.map((x) => `${x.key}:${x.count}`).sort()).toEqual(sorted(`${customTypeA}:1`, "null:1", "email:1"));
    const seq = s.sequences!.find((x) => x.key === sequenceA)!;
    expect(seq.won).toBe(2); // D1 once (two enrollments) and D3
    expect((await dealList(ctx, sequenceWonTarget(sequenceA, period, { pipelineId: null, owner: null }))).ids).toEqual(sorted(ids.d1!, ids.d3!));
  });

  it("matches with the pipeline and owner filters, and in the other workspace", async () => {
    const ctx = at(await a.ctx("owner"), NOW_ISO);
    await checkEveryFigure(ctx, { pipelineId: ids.pipelineId!, owner: a.users.rep });
    await checkEveryFigure(ctx, { pipelineId: ids.pipelineId!, owner: null });
    const { r } = await checkEveryFigure(at(await b.ctx("owner"), NOW_ISO), { pipelineId: null, owner: null });
    expect(r.current.dealsWon).toBe(2);
  });

  it("matches for a rep limited to own deals (their deals, and activities assigned to them or on their deals)", async () => {
    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, a.workspaceId));
    try {
      const rep = at(await a.ctx("rep"), NOW_ISO);
      const { r } = await checkEveryFigure(rep, { pipelineId: null, owner: null });
      expect(r.current.dealsWon).toBe(2); // D1 and D3 are the rep's
      expect(r.current.newDeals).toBe(1); // D3 (D2 and D5 are not theirs)
      expect(r.current.activitiesCompleted).toBe(3); // two calls/emails of theirs in March + the owner's task on D4
    } finally {
      await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, a.workspaceId));
    }
  });

  it("a link never lists another workspace's deals", async () => {
    const ctx = at(await a.ctx("owner"), NOW_ISO);
    const all = await dealList(ctx, kpiTarget("winRate", march(), { pipelineId: null, owner: null }, "USD"));
    expect(all.ids).toEqual(sorted(ids.d1!, ids.d2!, ids.d3!));
    // B's sequence id in A's list: nothing
    const bSeq = (await t.db.select({ id: sequences.id }).from(sequences).where(eq(sequences.workspaceId, b.workspaceId)))[0]!.id;
    expect((await dealList(ctx, sequenceWonTarget(bSeq, march(), { pipelineId: null, owner: null }))).total).toBe(0);
  });
});

describe("the review page's streamed sections", () => {
  it("give the same figures as pipelineReview (export, API and pack)", async () => {
    const ctx = at(await a.ctx("owner"), NOW_ISO);
    for (const input of [{ period: march() }, { period: march(), pipelineId: ids.pipelineId!, ownerId: a.users.rep }]) {
      const whole = await pipelineReview(ctx, input);
      const parts = await startReviewSections(ctx, input);
      const [current, kpis, stagesPart, wonLost, activity, accuracy] = await Promise.all([parts.current, parts.kpis, parts.stages, parts.wonLost, parts.activity, parts.accuracy]);
      expect({ current, kpis, stages: stagesPart, wonLost, activity, accuracy, stagePipelineId: parts.stagePipelineId, previousPeriod: parts.previousPeriod }).toEqual({
        current: whole.current,
        kpis: whole.kpis,
        stages: whole.stages,
        wonLost: whole.wonLost,
        activity: whole.activity,
        accuracy: whole.accuracy,
        stagePipelineId: whole.stagePipelineId,
        previousPeriod: whole.previousPeriod,
      });
    }
  });

  it("refuse another workspace's pipeline before anything streams", async () => {
    const bPipeline = (await listPipelines(await b.ctx("owner")))[0]!.id;
    await expect(startReviewSections(at(await a.ctx("owner"), NOW_ISO), { period: march(), pipelineId: bPipeline })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
