/**
 * A board column's count and money totals, kept on the client so a move updates the headers and the pipeline
 * summary without re-rendering the board on the server. Totals keep the exact sum of value × probability
 * (`weightedRaw`) so the weighted value shown after a move is the one the server would compute: each column's
 * weighted value is that sum rounded once (see `getBoard`), never a sum of rounded cards.
 */
export type ColumnTotal = { currency: string; value: number; weighted: number; weightedRaw?: number; n?: number };
export type ColumnMeta = { count: number; probability: number; totals: ColumnTotal[] };
export type BoardMeta = Record<string, ColumnMeta>;

/** Largest value first, then by currency code: the order of a column's totals everywhere. */
export const byValue = (a: ColumnTotal, b: ColumnTotal) => b.value - a.value || a.currency.localeCompare(b.currency);

export const weightedOf = (valueTimesProbability: number) => Math.round(valueTimesProbability / 100);

function shift(meta: ColumnMeta, deal: { value: number; currency: string }, sign: 1 | -1): ColumnMeta {
  const raw = deal.value * meta.probability * sign;
  const totals = meta.totals.some((t) => t.currency === deal.currency) ? meta.totals : [...meta.totals, { currency: deal.currency, value: 0, weighted: 0, weightedRaw: 0, n: 0 }];
  return {
    ...meta,
    count: meta.count + sign,
    totals: totals
      .map((t) => {
        if (t.currency !== deal.currency) return t;
        const weightedRaw = (t.weightedRaw ?? t.weighted * 100) + raw;
        return { currency: t.currency, n: (t.n ?? 0) + sign, value: t.value + deal.value * sign, weightedRaw, weighted: weightedOf(weightedRaw) };
      })
      .filter((t) => (t.n ?? 1) > 0) // a currency whose last deal left the column is no longer listed, as on the server
      .sort(byValue),
  };
}

/** The board after `deal` left column `from` for column `to` (null: it left the board — won, lost, deleted). */
export function moveInMeta(meta: BoardMeta, deal: { value: number; currency: string }, from: string, to: string | null): BoardMeta {
  if (from === to || !meta[from]) return meta;
  const next = { ...meta, [from]: shift(meta[from], deal, -1) };
  if (to && meta[to]) next[to] = shift(meta[to], deal, 1);
  return next;
}

/** Totals added up per currency (largest first): the columns' weighted values are added as shown, rounded. */
export function sumByCurrency(list: ColumnTotal[]): ColumnTotal[] {
  const byCurrency = new Map<string, ColumnTotal>();
  for (const t of list) {
    const acc = byCurrency.get(t.currency) ?? { currency: t.currency, value: 0, weighted: 0 };
    acc.value += t.value;
    acc.weighted += t.weighted;
    byCurrency.set(t.currency, acc);
  }
  return [...byCurrency.values()].sort(byValue);
}

/** The pipeline's summary line: every column's deals and totals. */
export function boardTotals(meta: BoardMeta): { count: number; totals: ColumnTotal[] } {
  const columns = Object.values(meta);
  return { count: columns.reduce((n, c) => n + c.count, 0), totals: sumByCurrency(columns.flatMap((c) => c.totals)) };
}
