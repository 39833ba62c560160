import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTranslator } from "next-intl";
import { and, asc, eq } from "drizzle-orm";
import { activities, contacts, forecastSnapshots, jobs, reportSubscriptions, stages, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, markWon, moveDeal, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { listPipelines } from "@/lib/deals/queries";
import { updateWorkspace } from "@/lib/workspaces/commands";
import { forecast, takeForecastSnapshot } from "@/lib/reports/forecast";
import { pipelineReview } from "@/lib/reports/review";
import { monthPeriod } from "@/lib/reports/period";
import { strategyComparison } from "@/lib/reports/strategy";
import { renderPack, runMonthStart, sendPack } from "@/lib/reports/pack";
import { setReportSubscription } from "@/lib/reports/subscriptions";
import { writeReviewCsv, type ReportsTranslate } from "@/lib/reports/export";
import { deleteGoal, saveGoal } from "@/lib/goals/commands";
import { goalProgress } from "@/lib/goals/queries";
import { collect } from "@/lib/spreadsheets/write";
import type { OutgoingMail } from "@/lib/mail/send";
import enReports from "@/lib/i18n/messages/en/reports.json";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/**
 * Forecast, snapshots and accuracy, goals, strategy, the monthly pack. Workspace in UTC, currency USD; "now" is
 * 2026-03-10. Stages: Lead in 10 %, Qualified 25 %, Demo 50 %, Proposal 70 %, Negotiation 90 %.
 *   F1 USD 1,000  Demo, closes 2026-03-20 (this month)           → weighted 500
 *   F2 USD 2,000  Proposal, closes 2026-04-15, owner rep          → weighted 1,400; pushed back 3 times
 *   F3 EUR 9,000  Negotiation, closes 2026-03-25 (other currency: counted, not summed)
 *   F4 USD 400    Lead in, closed 2026-02-01 (overdue)
 *   F5 USD 300    Lead in, no close date
 *   F6 USD 5,000  Negotiation, closes 2026-12-01 (outside the six months)
 */
let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];
const NOW = "2026-03-10T09:00:00Z";
const ids: Record<string, string> = {};
const tr = createTranslator({ locale: "en", messages: { reports: enReports }, namespace: "reports" }) as unknown as ReportsTranslate;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = at(await a.ctx("owner"), NOW);
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
  const [leadIn, , demo, proposal, negotiation] = stageIds as [string, string, string, string, string];
  const [hot] = await t.db.insert(contacts).values({ workspaceId: a.workspaceId, firstName: "Hot", score: 80 }).returning();
  const deal = async (title: string, value: string, stageId: string, extra: Record<string, unknown> = {}) => {
    const d = await createDeal(at(owner, "2026-02-01T00:00:00Z"), createDealSchema.parse({ title, value, pipelineId, stageId: leadIn, ...extra }));
    if (stageId !== leadIn) await moveDeal(at(owner, "2026-02-02T00:00:00Z"), { dealId: d.id, toStageId: stageId });
    return d.id;
  };
  ids.f1 = await deal("F1", "1000", demo, { expectedCloseDate: "2026-03-20", contactId: hot!.id, source: "Referral" });
  ids.f2 = await deal("F2", "2000", proposal, { expectedCloseDate: "2026-03-01", ownerId: a.users.rep, source: "Cold email" });
  // pushed back three times (and once brought forward, which is not slippage)
  for (const [iso, date] of [["2026-02-10", "2026-03-15"], ["2026-02-20", "2026-04-01"], ["2026-02-25", "2026-03-25"], ["2026-03-01", "2026-04-15"]] as const) {
    await updateDeal(at(owner, `${iso}T00:00:00Z`), updateDealSchema.parse({ dealId: ids.f2, expectedCloseDate: date }));
  }
  ids.f3 = await deal("F3", "9000", negotiation, { currency: "EUR", expectedCloseDate: "2026-03-25" });
  ids.f4 = await deal("F4", "400", leadIn, { expectedCloseDate: "2026-02-01" });
  ids.f5 = await deal("F5", "300", leadIn);
  ids.f6 = await deal("F6", "5000", negotiation, { expectedCloseDate: "2026-12-01" });
});
afterAll(() => t.close());

describe("forecast", () => {
  it("sums open deals by expected close month, weighted by stage probability, in the workspace currency", async () => {
    const f = await forecast(owner, {});
    expect(f.months).toEqual(["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]);
    expect(f.totals[0]).toEqual({ month: "2026-03", deals: 1, unweighted: 100_000, weighted: 50_000 });
    expect(f.totals[1]).toEqual({ month: "2026-04", deals: 1, unweighted: 200_000, weighted: 140_000 });
    expect(f.totals.slice(2).every((c) => c.deals === 0)).toBe(true);
    expect(f.otherCurrencyDeals).toBe(1);
    expect(f.undatedDeals).toBe(1);
    expect(f.byOwner.find((o) => o.id === a.users.rep)!.months[1]).toMatchObject({ deals: 1, weighted: 140_000 });
    expect(f.byPipeline).toHaveLength(1);
  });

  it("calls out overdue deals and flags a deal pushed back three times", async () => {
    const f = await forecast(owner, {});
    expect(f.overdue.count).toBe(1);
    expect(f.overdue.deals[0]).toMatchObject({ title: "F4", daysOverdue: 37 });
    expect(f.slippage).toMatchObject({ dealsPushed: 1, flagged: 1, pushes: 3 });
    expect(f.slippage.deals[0]).toMatchObject({ title: "F2", pushes: 3, flagged: true });
  });

  it("filters by owner and shows a limited rep only their deals", async () => {
    expect((await forecast(owner, { ownerId: a.users.rep })).totals[0]!.deals).toBe(0);
    await updateWorkspace(await a.ctx("owner"), { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "own" });
    try {
      const rep = at(await a.ctx("rep"), NOW);
      const f = await forecast(rep, {});
      expect(f.totals[1]!.deals).toBe(1);
      expect(f.totals[0]!.deals).toBe(0);
      expect(f.overdue.count).toBe(0);
    } finally {
      await updateWorkspace(await a.ctx("owner"), { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "all" });
    }
  });
});

describe("forecast snapshots and accuracy", () => {
  it("keeps one snapshot per month (a second run adds nothing) and compares it with what was won", async () => {
    const monthStart = new Date("2026-03-01T00:30:00Z");
    // the job at the month start: snapshot every workspace; the second tick of the hour writes nothing
    const first = await runMonthStart(t.db, monthStart);
    expect(first.snapshots).toBeGreaterThan(0);
    expect((await runMonthStart(t.db, new Date("2026-03-01T01:30:00Z"))).snapshots).toBe(0);
    // a month with no snapshot yet gets none mid-month (it would pass for the forecast at the month's start)
    await t.db.delete(forecastSnapshots).where(eq(forecastSnapshots.workspaceId, a.workspaceId));
    expect((await runMonthStart(t.db, new Date("2026-03-15T10:00:00Z"))).snapshots).toBe(0);
    expect(await t.db.select().from(forecastSnapshots).where(eq(forecastSnapshots.workspaceId, a.workspaceId))).toEqual([]);
    expect((await runMonthStart(t.db, monthStart)).snapshots).toBe(first.snapshots);
    expect(await takeForecastSnapshot(t.db, { id: a.workspaceId, timeZone: "UTC" }, new Date("2026-03-20T00:00:00Z"))).toBe(0);
    const rows = await t.db.select().from(forecastSnapshots).where(and(eq(forecastSnapshots.workspaceId, a.workspaceId), eq(forecastSnapshots.targetMonth, "2026-03-01")));
    // expected in March when the snapshot was taken: F1 (USD, Demo 50 %) and F3 (EUR); F2 is due in April
    expect(rows.map((r) => r.currency).sort()).toEqual(["EUR", "USD"]);
    // win F1 in March: won 1,000 against a weighted forecast of 500 (the EUR row is not compared)
    await markWon(at(owner, "2026-03-12T00:00:00Z"), ids.f1!);
    const review = await pipelineReview(at(owner, "2026-04-02T00:00:00Z"), { period: monthPeriod("2026-03", "UTC") });
    expect(review.accuracy).toMatchObject({ weighted: 50_000, unweighted: 100_000, won: 100_000, forecastDeals: 1 });
    expect(review.accuracy!.accuracy).toBe(2);
    // a month without a snapshot has no accuracy line
    expect((await pipelineReview(owner, { period: monthPeriod("2026-02", "UTC") })).accuracy).toBeNull();
  });
});

describe("goals", () => {
  it("sets goals per scope, metric and period (saving again changes the target) and refuses another workspace's member", async () => {
    const g = await saveGoal(owner, { userId: null, metric: "won_count", period: "month", target: "3" });
    const again = await saveGoal(owner, { userId: null, metric: "won_count", period: "month", target: "4" });
    expect(again.id).toBe(g.id);
    expect(again.target).toBe(4);
    await expect(saveGoal(owner, { userId: b.users.rep, metric: "won_count", period: "month", target: "1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saveGoal(at(await a.ctx("rep"), NOW), { userId: null, metric: "won_count", period: "month", target: "1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(deleteGoal(at(await b.ctx("owner"), NOW), g.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows progress, the gap and the open deals most likely to fill it", async () => {
    const ctx = at(owner, "2026-03-15T00:00:00Z"); // F1 won on March 12
    await saveGoal(ctx, { userId: null, metric: "won_value", period: "quarter", target: "2500" });
    await saveGoal(ctx, { userId: a.users.rep, metric: "activities_done", period: "month", target: "2" });
    await t.db.insert(activities).values({ workspaceId: a.workspaceId, type: "call", subject: "Done", dueAt: new Date("2026-03-14T00:00:00Z"), doneAt: new Date("2026-03-14T00:00:00Z"), assigneeId: a.users.rep });
    const list = await goalProgress(ctx);
    const count = list.find((g) => g.metric === "won_count")!;
    expect(count).toMatchObject({ achieved: 1, target: 4, gap: { state: "behind", remaining: 3 } });
    // expected in the period first (F3 Negotiation 90 %, EUR but a count goal counts it; F4 overdue), then the rest
    // by probability: F6 (90 %), F2 (70 %), F5 (10 %, no date)
    expect(count.candidates.map((c) => c.title)).toEqual(["F3", "F4", "F6", "F2", "F5"]);
    // only the deals expected within the period count towards it: F3 and F4 (F6 and F2 close later, F5 has no date)
    expect(count.candidates.filter((c) => c.fillsGap).map((c) => c.title)).toEqual(["F3", "F4"]);
    expect(count.candidates.map((c) => c.inPeriod)).toEqual([true, true, false, false, false]); // the page says when none is
    const value = list.find((g) => g.metric === "won_value")!;
    expect(value).toMatchObject({ achieved: 100_000, target: 250_000, gap: { remaining: 150_000 } });
    expect(value.periodInfo.key).toBe("2026-Q1");
    // value goals count the workspace currency only (not F3): F4 (400, due in the quarter) is the one expected in
    // the period; F6 (5,000) would cover the rest but is expected after the quarter, so it is listed, not counted
    expect(value.candidates.map((c) => c.title)).toEqual(["F4", "F6", "F2", "F5"]);
    expect(value.candidates.filter((c) => c.fillsGap).map((c) => c.title)).toEqual(["F4"]);
    const rep = list.find((g) => g.userId === a.users.rep)!;
    expect(rep).toMatchObject({ achieved: 1, gap: { remaining: 1 }, candidates: [] });
  });

  it("shows a rep limited to own deals only their own goals", async () => {
    await updateWorkspace(await a.ctx("owner"), { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "own" });
    try {
      const list = await goalProgress(at(await a.ctx("rep"), "2026-03-15T00:00:00Z"));
      expect(list.map((g) => g.userId)).toEqual([a.users.rep]);
    } finally {
      await updateWorkspace(await a.ctx("owner"), { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "all" });
    }
  });
});

describe("strategy comparison", () => {
  it("ranks sources of the deals created in the period by conversion, with counts", async () => {
    const s = await strategyComparison(at(owner, "2026-03-15T00:00:00Z"), {}, monthPeriod("2026-02", "UTC"));
    expect(s.sources[0]).toMatchObject({ key: "Referral", count: 1, won: 1, conversion: 1, winRate: 1, averageDealSize: 100_000 });
    expect(s.sources.find((r) => r.key === "Cold email")).toMatchObject({ count: 1, won: 0, conversion: 0, winRate: null });
    expect(s.sources.find((r) => r.key === null)).toMatchObject({ count: 4, won: 0 });
    expect(s.channels).toEqual([expect.objectContaining({ key: null, count: 6 })]);
    expect(s.sequences).toBeNull(); // no enrollments
  });
});

describe("monthly pack", () => {
  it("enqueues one pack per subscriber in the first days of the month, sends the figures with the review attached", async () => {
    const manager = at(await a.ctx("manager"), NOW);
    await setReportSubscription(manager, true);
    await setReportSubscription(manager, true); // idempotent
    await expect(setReportSubscription(at(await a.ctx("rep"), NOW), true)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const on2nd = new Date("2026-04-02T08:00:00Z");
    expect((await runMonthStart(t.db, on2nd)).packs).toBe(1);
    expect((await runMonthStart(t.db, new Date("2026-04-02T09:00:00Z"))).packs).toBe(0); // same key: nothing new
    expect((await runMonthStart(t.db, new Date("2026-04-09T09:00:00Z"))).packs).toBe(0); // outside the window
    const [job] = await t.db.select().from(jobs).where(eq(jobs.kind, "report-pack"));
    expect(job!.payload).toEqual({ workspaceId: a.workspaceId, userId: a.users.manager, month: "2026-03" });

    const sent: OutgoingMail[] = [];
    const result = await sendPack(t.db, job!.payload as { workspaceId: string; userId: string; month: string }, on2nd, async (m) => {
      sent.push(m);
      return { delivered: false, reason: "captured" };
    });
    expect(result).toEqual({ delivered: false, reason: "captured" });
    const [manager_] = await t.db.select().from(users).where(eq(users.id, a.users.manager));
    expect(sent[0]!.to).toBe(manager_!.email);
    expect(sent[0]!.subject).toContain("pipeline review for March 2026");
    expect(sent[0]!.text).toContain("Won revenue: $1,000.00 ($0.00)");
    expect(sent[0]!.text).toContain("Deals won: 1 (0)");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sent[0]!.attachments![0]!.content as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Summary", "Funnel", "Won and lost", "Activity"]);
    const summary = wb.getWorksheet("Summary")!;
    const wonRow = summary.getRow(2);
    expect(wonRow.getCell(1).value).toBe("Won revenue");
    expect(wonRow.getCell(2).value).toBe(1000);

    // someone who left the workspace gets nothing
    await t.db.delete(reportSubscriptions).where(eq(reportSubscriptions.userId, a.users.manager));
    const none = await sendPack(t.db, { workspaceId: a.workspaceId, userId: b.users.owner, month: "2026-03" }, on2nd, async () => {
      throw new Error("must not send");
    });
    expect(none).toBeNull();
  });

  it("the pack's funnel line says when there are no, or too few, open deals to call a bottleneck", async () => {
    const review = await pipelineReview(at(owner, "2026-04-02T00:00:00Z"), { period: monthPeriod("2026-03", "UTC") });
    expect(review.stages).not.toBeNull();
    const withOpen = (n: number): typeof review => ({
      ...review,
      stages: { ...review.stages!, bottleneck: null, funnel: review.stages!.funnel.map((s, i) => ({ ...s, openDeals: i === 0 ? n : 0 })) },
    });
    const text = (n: number) => renderPack(withOpen(n), { locale: "en", name: "Mia", workspaceName: "Acme", slug: "acme" }, Buffer.alloc(0)).text;
    expect(text(0)).toContain("There are no open deals, so there is no bottleneck to point out.");
    expect(text(2)).toContain("Only 2 open deals: too few to call any stage a bottleneck.");
    expect(text(5)).toContain("No stage stands out: open deals are spread evenly");
  });

  it("exports the review as a long CSV with the same figures", async () => {
    const review = await pipelineReview(at(owner, "2026-04-02T00:00:00Z"), { period: monthPeriod("2026-03", "UTC") });
    const csv = (await collect((out) => writeReviewCsv(out, review, tr))).toString("utf8");
    expect(csv).toContain("Summary,Won revenue,2026-03 (USD),1000.00");
    expect(csv).toContain("Summary,Deals won,2026-03 (USD),1");
    expect(csv).toContain("Funnel,Demo,Entered,");
  });
});
