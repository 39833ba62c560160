import "server-only";
import { and, eq } from "drizzle-orm";
import { deals, scoringRules, type domainEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { changeScore, readScoreSettings } from "./apply";

type EventRow = typeof domainEvents.$inferSelect;

/** The contact an event scores: the contact itself, the activity's contact, or the deal's contact. */
async function contactOf(db: Db, event: EventRow): Promise<string | null> {
  if (event.subjectType === "contact") return event.subjectId;
  if (event.subjectType === "activity") return typeof event.data.contactId === "string" ? event.data.contactId : null;
  if (event.subjectType !== "deal") return null;
  const [deal] = await db.select({ contactId: deals.contactId }).from(deals).where(and(eq(deals.id, event.subjectId), eq(deals.workspaceId, event.workspaceId)));
  return deal?.contactId ?? null;
}

/**
 * Applies the workspace's scoring rules that match an event (its type, and the stage when the rule names one:
 * the stage moved to, or the deal's stage; the activity's type when it names one). Each rule scores an event once (dedupe key per rule and event).
 * Returns the number of rules applied.
 */
export async function applyScoringRules(db: Db, event: EventRow, now: Date): Promise<number> {
  const rules = await db
    .select()
    .from(scoringRules)
    .where(and(eq(scoringRules.workspaceId, event.workspaceId), eq(scoringRules.eventType, event.type)));
  const stageOfEvent = event.type === "deal.stage_changed" ? event.data.toStageId : event.data.stageId;
  const matching = rules.filter((r) => (!r.stageId || r.stageId === stageOfEvent) && (!r.activityType || r.activityType === event.data.activityType));
  if (matching.length === 0) return 0;
  const contactId = await contactOf(db, event);
  if (!contactId) return 0;
  const settings = await readScoreSettings(db, event.workspaceId);
  let applied = 0;
  for (const rule of matching) {
    const delta = await changeScore(
      db,
      now,
      {
        workspaceId: event.workspaceId,
        contactId,
        requested: rule.points,
        reason: "rule",
        ruleId: rule.id,
        eventId: event.id,
        dedupeKey: `rule:${rule.id}:event:${event.id}`,
        cause: { depth: event.depth, chain: event.chain, actorId: event.actorId },
      },
      settings,
    );
    if (delta !== null) applied += 1;
  }
  return applied;
}
