import "server-only";
import { and, eq } from "drizzle-orm";
import { contacts, scoreEvents, scoringSettings } from "@/db/schema";
import type { Db } from "@/db/types";
import { emitEvent } from "../events/emit";
import { applyPoints, crossedUp } from "./arithmetic";

export type ScoreSettings = { weeklyDecay: number; cap: number | null; hotThreshold: number | null };
export const defaultScoreSettings: ScoreSettings = { weeklyDecay: 0, cap: null, hotThreshold: null };

export async function readScoreSettings(db: Db, workspaceId: string): Promise<ScoreSettings> {
  const [row] = await db.select().from(scoringSettings).where(eq(scoringSettings.workspaceId, workspaceId));
  return row ? { weeklyDecay: row.weeklyDecay, cap: row.cap, hotThreshold: row.hotThreshold } : defaultScoreSettings;
}

export type ScoreChange = {
  workspaceId: string;
  contactId: string;
  requested: number;
  reason: "rule" | "decay" | "workflow";
  /** One change per key: a rule and event, a decay week, a workflow step. */
  dedupeKey: string;
  ruleId?: string | null;
  eventId?: number | null;
  workflowRunId?: string | null;
  /** Depth and chain of what caused it, passed on to the threshold event. */
  cause?: { depth: number; chain: string[]; actorId?: string | null };
};

/**
 * Changes a contact's score once per dedupe key, under a row lock (concurrent changes add up, none is lost),
 * within the floor of 0 and the cap, and records it in the score history. Reaching the "hot" threshold from
 * below emits `contact.score_crossed` in the same transaction, for workflows to act on. Returns the applied
 * delta, or null when the key was already used or the contact is gone.
 */
export async function changeScore(db: Db, now: Date, change: ScoreChange, settings?: ScoreSettings): Promise<number | null> {
  const [contact] = await db
    .select({ id: contacts.id, score: contacts.score })
    .from(contacts)
    .where(and(eq(contacts.id, change.contactId), eq(contacts.workspaceId, change.workspaceId)))
    .for("update");
  if (!contact) return null;
  const s = settings ?? (await readScoreSettings(db, change.workspaceId));
  const { score, delta } = applyPoints(contact.score, change.requested, s.cap);
  const [recorded] = await db
    .insert(scoreEvents)
    .values({
      workspaceId: change.workspaceId,
      contactId: contact.id,
      delta,
      requested: change.requested,
      scoreAfter: score,
      reason: change.reason,
      ruleId: change.ruleId ?? null,
      eventId: change.eventId ?? null,
      workflowRunId: change.workflowRunId ?? null,
      dedupeKey: change.dedupeKey,
      occurredAt: now,
    })
    .onConflictDoNothing({ target: scoreEvents.dedupeKey })
    .returning({ id: scoreEvents.id });
  if (!recorded) return null;
  if (delta !== 0) await db.update(contacts).set({ score }).where(eq(contacts.id, contact.id));
  if (crossedUp(contact.score, score, s.hotThreshold)) {
    await emitEvent(
      db,
      { workspaceId: change.workspaceId, userId: change.cause?.actorId ?? "", now },
      {
        type: "contact.score_crossed",
        subjectId: contact.id,
        actorId: change.cause?.actorId ?? null,
        data: { from: contact.score, to: score, threshold: s.hotThreshold },
        causedBy: change.cause ? { depth: change.cause.depth, chain: change.cause.chain } : undefined,
      },
    );
  }
  return delta;
}
