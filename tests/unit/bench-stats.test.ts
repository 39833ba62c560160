import { describe, expect, it } from "vitest";
import { percentile, rng, slope, summarize } from "@/bench/lib/stats";
import { formatTable, row } from "@/bench/lib/results";

describe("bench statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(summarize(values)).toEqual({ median: 50, p95: 95, p99: 99, n: 100 });
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it("fits the slope of a memory trend", () => {
    expect(slope([{ x: 0, y: 100 }, { x: 1, y: 102 }, { x: 2, y: 104 }])).toBeCloseTo(2);
    expect(slope([{ x: 1, y: 5 }])).toBeNull();
  });

  it("draws the same choices from the same seed", () => {
    const a = rng(42);
    const b = rng(42);
    const draws = Array.from({ length: 5 }, () => a());
    expect(draws).toEqual(Array.from({ length: 5 }, () => b()));
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
  });

  it("prints missed targets as NO and absent figures as dashes", () => {
    const table = formatTable([row({ name: "board", median_ms: 12.345, floor_ms: 6, ratio: 2.0575, target_ratio: 2, met: false }), row({ name: "size", met: null })]);
    expect(table).toMatch(/\| board +\|/);
    expect(table).toContain("12.3 ms");
    expect(table).toContain("2.06×");
    expect(table).toContain("NO");
    expect(table.split("\n")[3]).toMatch(/\| size +\| +— \|/);
  });
});
