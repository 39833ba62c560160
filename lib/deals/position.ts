/**
 * Fractional ordering: a card dropped between two neighbours gets a position strictly between theirs, so a
 * move updates one row. `before` is the neighbour above (smaller position), `after` the one below.
 */
export function positionBetween(before: number | null | undefined, after: number | null | undefined): number {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (hasBefore && hasAfter) {
    if (before >= after) return before + 1; // neighbours out of order (stale client): append after `before`
    return before + (after - before) / 2;
  }
  if (hasBefore) return before + 1;
  if (hasAfter) return after - 1;
  return 0;
}

/** True when two neighbours have come so close that midpoints lose precision and the column should be renumbered. */
export function needsRebalance(before: number | null | undefined, after: number | null | undefined): boolean {
  if (before === null || before === undefined || after === null || after === undefined) return false;
  return Math.abs(after - before) < 1e-9;
}
