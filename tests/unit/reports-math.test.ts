import { describe, expect, it } from "vitest";
import {
  change,
  customerLifetimeValue,
  dealsFillingGap,
  detectBottleneck,
  goalGap,
  progressShare,
  ratio,
  salesVelocity,
  type StageHealth,
} from "@/lib/reports/math";
import { addMonths, goalPeriod, monthOf, monthPeriod, parsePeriod, periodParams, previousPeriod, quarterPeriod, rangePeriod } from "@/lib/reports/period";
import { packDue } from "@/lib/reports/pack";
import { parseTarget } from "@/lib/goals/commands";

describe("report periods", () => {
  it("bounds a month by local midnights (Asia/Shanghai is UTC+8)", () => {
    const p = monthPeriod("2026-03", "Asia/Shanghai");
    expect(p.from.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(p.to.toISOString()).toBe("2026-03-31T16:00:00.000Z");
    expect(p).toMatchObject({ kind: "month", startDate: "2026-03-01", endDate: "2026-04-01", key: "2026-03" });
  });

  it("makes a DST month an hour shorter (New York, March 2026) and a fall-back month an hour longer", () => {
    const march = monthPeriod("2026-03", "America/New_York");
    expect(march.from.toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(march.to.toISOString()).toBe("2026-04-01T04:00:00.000Z");
    const november = monthPeriod("2026-11", "America/New_York");
    expect((november.to.getTime() - november.from.getTime()) / 3_600_000).toBe(30 * 24 + 1);
  });

  it("parses quarters and inclusive custom ranges, and rolls December into the next year", () => {
    expect(quarterPeriod("2026-Q4", "UTC")).toMatchObject({ startDate: "2026-10-01", endDate: "2027-01-01" });
    expect(monthPeriod("2026-12", "UTC").endDate).toBe("2027-01-01");
    const range = rangePeriod("2026-03-05", "2026-03-19", "UTC");
    expect(range).toMatchObject({ kind: "range", startDate: "2026-03-05", endDate: "2026-03-20", key: "2026-03-05..2026-03-19" });
    expect(periodParams(range)).toEqual({ from: "2026-03-05", to: "2026-03-19" });
  });

  it("falls back to the current local month for a missing or malformed period", () => {
    const now = new Date("2026-03-31T17:00:00Z"); // April 1, 01:00 in Shanghai
    expect(parsePeriod({}, "Asia/Shanghai", now).key).toBe("2026-04");
    expect(parsePeriod({ month: "2026-13" }, "UTC", now).key).toBe("2026-03");
    expect(parsePeriod({ from: "2026-03-10", to: "2026-03-01" }, "UTC", now).key).toBe("2026-03");
    expect(parsePeriod({ from: "2020-01-01", to: "2026-01-01" }, "UTC", now).key).toBe("2026-03"); // longer than two years
    expect(parsePeriod({ from: "2026-02-31", to: "2026-03-05" }, "UTC", now).key).toBe("2026-03"); // no such day: the default period
    expect(() => rangePeriod("2026-02-29", "2026-03-05", "UTC")).toThrow(RangeError); // 2026 is not a leap year
    expect(parsePeriod({ quarter: "2026-Q2" }, "UTC", now).key).toBe("2026-Q2");
  });

  it("finds the previous month, quarter and range of the same length", () => {
    expect(previousPeriod(monthPeriod("2026-01", "UTC"), "UTC").key).toBe("2025-12");
    expect(previousPeriod(quarterPeriod("2026-Q1", "UTC"), "UTC").key).toBe("2025-Q4");
    expect(previousPeriod(rangePeriod("2026-03-11", "2026-03-20", "UTC"), "UTC").key).toBe("2026-03-01..2026-03-10");
  });

  it("shifts months and finds goal periods", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-11", 3)).toBe("2027-02");
    expect(monthOf(new Date("2026-02-28T16:30:00Z"), "Asia/Shanghai")).toBe("2026-03");
    expect(goalPeriod("quarter", new Date("2026-05-15T00:00:00Z"), "UTC").key).toBe("2026-Q2");
  });
});

describe("metric arithmetic", () => {
  it("returns null for an empty denominator, never 0 or NaN", () => {
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(500_000, 28)).toBeCloseTo(17_857.142857, 5);
    expect(change(5, 0)).toEqual({ delta: 5, relative: null });
    expect(change(null, 3)).toEqual({ delta: null, relative: null });
    expect(change(6, 4)).toEqual({ delta: 2, relative: 0.5 });
  });

  it("computes sales velocity per day and refuses a zero cycle", () => {
    expect(salesVelocity(10, 100_000, 0.25, 50)).toBe(5_000);
    expect(salesVelocity(10, 100_000, 0.25, 0)).toBeNull();
    expect(salesVelocity(10, null, 0.25, 10)).toBeNull();
  });

  it("computes CLV = average purchase × purchases per customer per year × lifespan", () => {
    // 6 won deals worth 600,000 from 3 customers in the year; 4 customers ever, 1 repeat spanning 3 years,
    // 3 one-time customers at the default 1 year → lifespan (3 + 3) / 4 = 1.5
    const clv = customerLifetimeValue({ yearValue: 600_000, yearDeals: 6, yearCustomers: 3, customers: 4, repeatCustomers: 1, repeatSpanYears: 3 });
    expect(clv.averagePurchase).toBe(100_000);
    expect(clv.frequency).toBe(2);
    expect(clv.lifespanYears).toBe(1.5);
    expect(clv.value).toBe(300_000);
    expect(customerLifetimeValue({ yearValue: 0, yearDeals: 0, yearCustomers: 0, customers: 0, repeatCustomers: 0, repeatSpanYears: 0 }).value).toBeNull();
  });
});

describe("bottleneck detection", () => {
  const stage = (name: string, openDeals: number, averageDays: number | null, exitRate: number | null): StageHealth => ({ stageId: name, name, openDeals, averageDays, exitRate });

  it("names the stage holding most open deals for longest with a low exit rate", () => {
    const b = detectBottleneck([stage("Lead", 10, 3, 0.8), stage("Demo", 38, 27, 0.3), stage("Proposal", 12, 10, 0.6)]);
    expect(b).toMatchObject({ stageId: "Demo" });
    expect(b!.share).toBeCloseTo(38 / 60, 6);
    expect(b!.timesLonger).toBeCloseTo(27 / 6.5, 6);
  });

  it("finds nothing when stages are even, too few deals are open, or the standout stage exits well", () => {
    expect(detectBottleneck([stage("A", 10, 5, 0.5), stage("B", 10, 5, 0.5), stage("C", 10, 5, 0.5)])).toBeNull();
    expect(detectBottleneck([stage("A", 2, 50, 0), stage("B", 0, 1, 1)])).toBeNull();
    expect(detectBottleneck([stage("A", 30, 40, 0.9), stage("B", 5, 5, 0.2), stage("C", 5, 5, 0.2)])).toBeNull();
    expect(detectBottleneck([stage("Only", 30, 40, 0.1)])).toBeNull();
  });

  it("calls out a stage by time alone (share near even, deals stay far longer)", () => {
    expect(detectBottleneck([stage("A", 10, 2, 0.9), stage("B", 10, 20, 0.2), stage("C", 10, 2, 0.9)])).toMatchObject({ stageId: "B", timesLonger: 10 });
  });
});

describe("goal gap", () => {
  it("words the gap as what is still missing, or how far over", () => {
    expect(goalGap(8, 12)).toEqual({ state: "behind", achieved: 8, target: 12, remaining: 4 });
    expect(goalGap(14, 12)).toEqual({ state: "reached", achieved: 14, target: 12, over: 2 });
    expect(progressShare(8, 12)).toBeCloseTo(2 / 3, 6);
    expect(progressShare(20, 12)).toBe(1);
  });

  it("marks the likeliest deals that would fill a value gap, and the first N for a count gap", () => {
    const deals = [
      { id: "a", value: 3_000 },
      { id: "b", value: 5_000 },
      { id: "c", value: 9_000 },
    ];
    expect([...dealsFillingGap(deals, goalGap(0, 7_000), "won_value")]).toEqual(["a", "b"]);
    expect([...dealsFillingGap(deals, goalGap(10, 12), "won_count")]).toEqual(["a", "b"]);
    expect(dealsFillingGap(deals, goalGap(12, 12), "won_count").size).toBe(0);
  });

  it("reads targets: amounts in minor units for won value, whole positive counts otherwise", () => {
    expect(parseTarget("won_value", "12,500.50", "USD")).toBe(1_250_050);
    expect(parseTarget("won_count", "12", "USD")).toBe(12);
    expect(() => parseTarget("won_count", "1.5", "USD")).toThrow();
    expect(() => parseTarget("won_value", "0", "USD")).toThrow();
    expect(() => parseTarget("new_deals", "-3", "USD")).toThrow();
  });
});

describe("monthly pack schedule", () => {
  it("is due in the first seven local days of a month, for the month before", () => {
    expect(packDue(new Date("2026-03-31T16:30:00Z"), "Asia/Shanghai")).toBe("2026-03"); // 00:30 April 1 local
    expect(packDue(new Date("2026-03-31T15:30:00Z"), "Asia/Shanghai")).toBeNull(); // 23:30 March 31 local
    expect(packDue(new Date("2026-01-07T12:00:00Z"), "UTC")).toBe("2025-12");
    expect(packDue(new Date("2026-01-08T12:00:00Z"), "UTC")).toBeNull();
  });
});
