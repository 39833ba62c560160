import "server-only";
import { eq } from "drizzle-orm";
import { domainEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { applyScoringRules } from "../scoring/rules";
import { wakeJobKey } from "../workflows/run-step";
import { startWorkflowRuns, wakeWaitingRuns } from "../workflows/start";

/**
 * Hands one recorded event to everything that listens: first the scoring rules (so workflow conditions see the
 * new score), then the workflows whose trigger it matches (each gets a run, unique per workflow and event), then
 * the runs waiting for it.
 * Runs inside the dispatch job's transaction, so it happens once.
 */
export async function dispatchEvent(db: Db, now: Date, eventId: number): Promise<{ scored: number; runs: number }> {
  const [event] = await db.select().from(domainEvents).where(eq(domainEvents.id, eventId));
  if (!event) return { scored: 0, runs: 0 }; // its workspace was deleted
  const scored = await applyScoringRules(db, event, now);
  const runs = await startWorkflowRuns(db, event, now);
  await wakeWaitingRuns(db, event, now, (runId, step) => wakeJobKey(runId, step, "event"));
  return { scored, runs };
}
