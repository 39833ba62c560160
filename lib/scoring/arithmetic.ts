/**
 * Lead-score arithmetic, pure. Scores never go below 0 and never above the workspace's cap (when it has one);
 * what a change actually applied can therefore be less than what was asked.
 */
export const WEEK_MS = 7 * 86_400_000;

export function applyPoints(score: number, requested: number, cap: number | null): { score: number; delta: number } {
  const upper = cap ?? Number.MAX_SAFE_INTEGER;
  // A score already above a newly lowered cap is not cut by an unrelated gain; it only goes down.
  const next = Math.max(0, requested > 0 ? Math.min(score + requested, Math.max(upper, score)) : score + requested);
  return { score: next, delta: next - score };
}

/** Did the score cross the threshold upwards (from below to at or above)? */
export function crossedUp(before: number, after: number, threshold: number | null): boolean {
  return threshold !== null && before < threshold && after >= threshold;
}

/** Whole weeks of inactivity since the last scoring event (each costs the weekly decay once). */
export function decayWeeksOwed(lastScoredAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - lastScoredAt.getTime()) / WEEK_MS));
}
