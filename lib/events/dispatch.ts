import "server-only";
import { eq } from "drizzle-orm";
import { domainEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { startWorkflowRuns } from "../workflows/start";

/**
 * Hands one recorded event to everything that listens: the workflows whose trigger it matches (each gets a
 * run, unique per workflow and event). Runs inside the dispatch job's transaction, so it happens once.
 */
export async function dispatchEvent(db: Db, now: Date, eventId: number): Promise<{ runs: number }> {
  const [event] = await db.select().from(domainEvents).where(eq(domainEvents.id, eventId));
  if (!event) return { runs: 0 }; // its workspace was deleted
  return { runs: await startWorkflowRuns(db, event, now) };
}
