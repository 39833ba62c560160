/** First retry after 30 s, doubling per attempt, capped at one hour: 30 s, 1 min, 2 min, 4 min, … */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 3_600_000;

/** The delay before the next try after `attempts` failed tries (attempts ≥ 1). Pure. */
export function backoffMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 20));
}
