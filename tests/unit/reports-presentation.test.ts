import { describe, expect, it } from "vitest";
import { columnsFit, estimateLabelWidth } from "@/lib/reports/chart-layout";
import { formatPoints, kpiChange } from "@/lib/reports/kpi-change";
import { change } from "@/lib/reports/math";

const kpi = (key: Parameters<typeof kpiChange>[0]["key"], current: number | null, previous: number | null) => ({ key, ...change(current, previous) });

describe("kpiChange", () => {
  it("compares a win rate in percentage points, not relatively", () => {
    const c = kpiChange(kpi("winRate", 5 / 12, 5 / 11));
    expect(c?.kind).toBe("points");
    expect(c && c.kind === "points" ? formatPoints(c.points, "en") : null).toBe("\u22123.8");
  });

  it("compares lead-to-customer conversion in points, also when the previous rate was 0", () => {
    const c = kpiChange(kpi("leadConversion", 0.2, 0));
    expect(c).toEqual({ kind: "points", points: 20 });
  });

  it("compares amounts, counts and durations relatively", () => {
    expect(kpiChange(kpi("wonRevenue", 144_898_00, 125_100_00))).toMatchObject({ kind: "relative" });
    expect(kpiChange(kpi("dealsWon", 6, 5))).toEqual({ kind: "relative", ratio: 0.2 });
    expect(kpiChange(kpi("salesCycleDays", 77, 74.75))).toMatchObject({ kind: "relative" });
  });

  it("falls back to the absolute change of a count when the previous figure was 0", () => {
    expect(kpiChange(kpi("newDeals", 4, 0))).toEqual({ kind: "absolute", delta: 4 });
  });

  it("shows no change without a previous figure, with no change, or with one that rounds to 0.0 points", () => {
    expect(kpiChange(kpi("winRate", 0.4, null))).toBeNull();
    expect(kpiChange(kpi("dealsWon", 5, 5))).toBeNull();
    expect(kpiChange(kpi("winRate", 0.40004, 0.4))).toBeNull();
  });
});

describe("formatPoints", () => {
  it("signs the points with one decimal in the locale's digits", () => {
    expect(formatPoints(3.75, "en")).toBe("+3.8");
    expect(formatPoints(-46.666, "zh-CN")).toBe("\u221246.7");
    expect(formatPoints(-3.8, "de")).toBe("\u22123,8");
  });
});

describe("columnsFit", () => {
  const stages = ["Lead in", "Qualified", "Demo", "Proposal", "Negotiation"];

  it("keeps columns for five stages at half a desktop width", () => {
    expect(columnsFit(454, stages)).toBe(true);
  });

  it("turns to rows at phone width, where the stage names would run into each other", () => {
    expect(columnsFit(320, stages)).toBe(false);
    expect(columnsFit(454, ["Lead in", "Qualified lead", "Demo scheduled", "Proposal made", "Negotiation"])).toBe(false);
  });

  it("counts Chinese names as wider than Latin ones", () => {
    expect(estimateLabelWidth("谈判")).toBeGreaterThan(estimateLabelWidth("ab"));
    expect(columnsFit(320, ["线索进入", "已验证线索", "演示", "报价", "谈判"])).toBe(false);
    expect(columnsFit(320, ["Leads", "Valid", "Demo", "Quote", "Terms"])).toBe(true);
  });

  it("fits an empty chart", () => {
    expect(columnsFit(100, [])).toBe(true);
  });
});
