import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { boardTotals, byValue, moveInMeta, weightedOf, type BoardMeta } from "@/lib/deals/board-meta";

// What the server computes for a column (getBoard): per currency, the count, the value and the weighted value
// rounded once from the exact sum of value × probability.
function serverColumn(deals: { value: number; currency: string }[], probability: number) {
  const by = new Map<string, { n: number; value: number; raw: number }>();
  for (const d of deals) {
    const acc = by.get(d.currency) ?? { n: 0, value: 0, raw: 0 };
    acc.n++;
    acc.value += d.value;
    acc.raw += d.value * probability;
    by.set(d.currency, acc);
  }
  return {
    count: deals.length,
    probability,
    totals: [...by.entries()].map(([currency, t]) => ({ currency, n: t.n, value: t.value, weighted: weightedOf(t.raw), weightedRaw: t.raw })).sort(byValue),
  };
}

describe("moveInMeta", () => {
  it("moves a deal's count, value and weighted value between columns, rounding each column once", () => {
    const a = [{ value: 333, currency: "USD" }, { value: 1, currency: "USD" }];
    const b = [{ value: 5, currency: "EUR" }];
    const meta: BoardMeta = { a: serverColumn(a, 33), b: serverColumn(b, 50) };
    const moved = moveInMeta(meta, a[1]!, "a", "b");
    expect(moved).toEqual({ a: serverColumn([a[0]!], 33), b: serverColumn([...b, a[1]!], 50) });
    expect(moved.a!.totals[0]!.weighted).toBe(110); // 333 × 33 % = 109.89 → 110 (not 110 − 0 from a rounded card)
  });

  it("drops a currency from a column when its last deal leaves, and a deal that leaves the board", () => {
    const meta: BoardMeta = { a: serverColumn([{ value: 0, currency: "JPY" }, { value: 7, currency: "USD" }], 10), b: serverColumn([], 20) };
    const left = moveInMeta(meta, { value: 0, currency: "JPY" }, "a", null);
    expect(left.a).toEqual(serverColumn([{ value: 7, currency: "USD" }], 10));
    expect(left.b).toBe(meta.b);
    expect(moveInMeta(meta, { value: 7, currency: "USD" }, "a", "a")).toBe(meta);
  });

  it("always equals what the server would compute after any sequence of moves", () => {
    const deal = fc.record({ value: fc.integer({ min: 0, max: 10_000_000 }), currency: fc.constantFrom("USD", "EUR", "CNY") });
    fc.assert(
      fc.property(fc.array(fc.tuple(deal, fc.integer({ min: 0, max: 2 })), { maxLength: 20 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 2 })), { maxLength: 30 }), (start, moves) => {
        const probs = [10, 45, 90];
        const where = start.map(([, col]) => col as number | null);
        let meta: BoardMeta = Object.fromEntries(probs.map((p, c) => [`c${c}`, serverColumn(start.filter((_, i) => where[i] === c).map(([d]) => d), p)]));
        for (const [pick, to] of moves) {
          if (start.length === 0) break;
          const i = pick % start.length;
          const from = where[i];
          if (from === null || from === undefined) continue;
          meta = moveInMeta(meta, start[i]![0], `c${from}`, to < 0 ? null : `c${to}`);
          where[i] = to < 0 ? null : to;
        }
        const expected = Object.fromEntries(probs.map((p, c) => [`c${c}`, serverColumn(start.filter((_, i) => where[i] === c).map(([d]) => d), p)]));
        expect(meta).toEqual(expected);
        expect(boardTotals(meta).count).toBe(where.filter((w) => w !== null).length);
      }),
    );
  });
});
