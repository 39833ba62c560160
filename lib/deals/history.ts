/**
 * Time spent in each stage, from a deal's history. Pure: takes the events (any order) and the instant the
 * last stay ends (closedAt for a closed deal, else now).
 */
export type StageEvent = { type: string; fromStageId: string | null; toStageId: string | null; occurredAt: Date };
export type StageStay = { stageId: string; enteredAt: Date; leftAt: Date | null; ms: number };

export function stageStays(events: StageEvent[], endOfLastStay: Date): StageStay[] {
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const stays: StageStay[] = [];
  let current: { stageId: string; enteredAt: Date } | null = null;
  for (const e of ordered) {
    if (e.type === "created" && e.toStageId) {
      current = { stageId: e.toStageId, enteredAt: e.occurredAt };
    } else if (e.type === "stage_changed" && e.toStageId) {
      const from = current?.stageId ?? e.fromStageId;
      const enteredAt = current?.enteredAt ?? e.occurredAt;
      if (from) stays.push({ stageId: from, enteredAt, leftAt: e.occurredAt, ms: e.occurredAt.getTime() - enteredAt.getTime() });
      current = { stageId: e.toStageId, enteredAt: e.occurredAt };
    }
  }
  if (current) {
    const end = Math.max(endOfLastStay.getTime(), current.enteredAt.getTime());
    stays.push({ stageId: current.stageId, enteredAt: current.enteredAt, leftAt: null, ms: end - current.enteredAt.getTime() });
  }
  return stays;
}

/** Total time per stage id (a deal can visit a stage more than once). */
export function timeInStages(stays: StageStay[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const s of stays) totals.set(s.stageId, (totals.get(s.stageId) ?? 0) + s.ms);
  return totals;
}

export const DAY_MS = 86_400_000;

/** Whole days a deal has sat in its stage, and whether that exceeds the stage's rotting days. */
export function stuckInfo(stageEnteredAt: Date, rottingDays: number | null, now: Date): { days: number; stuck: boolean } {
  const days = Math.floor((now.getTime() - stageEnteredAt.getTime()) / DAY_MS);
  return { days, stuck: rottingDays !== null && days > rottingDays };
}
