import { describe, expect, it } from "vitest";
import { applyPoints, crossedUp, decayWeeksOwed, WEEK_MS } from "@/lib/scoring/arithmetic";
import { scoringRuleSchema, scoringSettingsSchema } from "@/lib/scoring/schema";

describe("applying points", () => {
  it.each([
    // score, requested, cap → score, delta
    [0, 20, null, 20, 20],
    [20, 30, null, 50, 30],
    [20, 30, 40, 40, 20], // capped
    [40, 10, 40, 40, 0], // at the cap already
    [50, 10, 40, 50, 0], // above a cap lowered later: a gain does not cut it
    [50, -15, 40, 35, -15], // but a loss still applies
    [10, -25, null, 0, -10], // never below 0
    [0, -5, 100, 0, 0],
  ])("%i %+i (cap %s) → %i (%+i)", (score, requested, cap, after, delta) => {
    expect(applyPoints(score, requested, cap)).toEqual({ score: after, delta });
  });
});

describe("crossing the hot threshold", () => {
  it.each([
    [10, 30, 25, true],
    [10, 25, 25, true], // reaching it counts
    [25, 40, 25, false], // already hot
    [30, 10, 25, false], // going down
    [10, 20, 25, false],
    [10, 90, null, false], // no threshold set
  ])("%i → %i with threshold %s: %s", (before, after, threshold, crossed) => {
    expect(crossedUp(before, after, threshold)).toBe(crossed);
  });
});

describe("weekly decay", () => {
  const start = new Date("2026-03-01T12:00:00Z");
  it.each([
    [0, 0],
    [6.99, 0],
    [7, 1],
    [13.5, 1],
    [14, 2],
    [30, 4],
  ])("after %s days of quiet: %i week(s) owed", (days, weeks) => {
    expect(decayWeeksOwed(start, new Date(start.getTime() + days * 86_400_000))).toBe(weeks);
  });
  it("owes nothing for a clock that went backwards", () => {
    expect(decayWeeksOwed(start, new Date(start.getTime() - WEEK_MS))).toBe(0);
  });
});

describe("scoring input", () => {
  it("accepts a rule and blank optional settings", () => {
    expect(scoringRuleSchema.parse({ eventType: "deal.won", points: "20" })).toEqual({ eventType: "deal.won", stageId: null, activityType: null, points: 20 });
    expect(scoringSettingsSchema.parse({ weeklyDecay: "5", cap: "", hotThreshold: "50" })).toEqual({ weeklyDecay: 5, cap: null, hotThreshold: 50 });
  });
  it("refuses zero points, the threshold event as a rule, and negative decay", () => {
    expect(scoringRuleSchema.safeParse({ eventType: "deal.won", points: 0 }).success).toBe(false);
    expect(scoringRuleSchema.safeParse({ eventType: "contact.score_crossed", points: 5 }).success).toBe(false);
    expect(scoringSettingsSchema.safeParse({ weeklyDecay: -1 }).success).toBe(false);
  });
});
