import "server-only";
import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import { contacts, scoreEvents, scoringSettings } from "@/db/schema";
import type { Db } from "@/db/types";
import { decayWeeksOwed, WEEK_MS } from "./arithmetic";
import { changeScore } from "./apply";

/**
 * Weekly decay for inactivity: in workspaces that set one, a contact with points loses `weekly_decay` for each
 * whole week since its last scoring event (or since it was created), down to 0. Each week is applied once (its
 * key names the contact, the start of the quiet spell and the week number), so the sweep may run any number of
 * times. Up to `limit` contacts per call.
 */
export async function runScoreDecay(db: Db, now: Date, limit = 500): Promise<number> {
  const lastScored = db
    .select({ contactId: scoreEvents.contactId, at: sql<Date>`max(${scoreEvents.occurredAt})`.as("at") })
    .from(scoreEvents)
    .where(ne(scoreEvents.reason, "decay"))
    .groupBy(scoreEvents.contactId)
    .as("last_scored");
  const candidates = await db
    .select({
      workspaceId: contacts.workspaceId,
      contactId: contacts.id,
      createdAt: contacts.createdAt,
      lastScoredAt: lastScored.at,
      weeklyDecay: scoringSettings.weeklyDecay,
      cap: scoringSettings.cap,
      hotThreshold: scoringSettings.hotThreshold,
    })
    .from(contacts)
    .innerJoin(scoringSettings, and(eq(scoringSettings.workspaceId, contacts.workspaceId), gt(scoringSettings.weeklyDecay, 0)))
    .leftJoin(lastScored, eq(lastScored.contactId, contacts.id))
    .where(
      and(
        gt(contacts.score, 0),
        // Only contacts that owe a week not yet applied (decays of this quiet spell happened after it began).
        sql`floor(extract(epoch from (${now.toISOString()}::timestamptz - coalesce(${lastScored.at}, ${contacts.createdAt}))) / ${WEEK_MS / 1000}) > (
          select count(*) from ${scoreEvents} d
          where d.contact_id = ${contacts.id} and d.reason = 'decay' and d.occurred_at >= coalesce(${lastScored.at}, ${contacts.createdAt}))`,
      ),
    )
    .orderBy(asc(contacts.id))
    .limit(limit);
  let applied = 0;
  for (const c of candidates) {
    const since = c.lastScoredAt ? new Date(c.lastScoredAt) : c.createdAt;
    const weeks = decayWeeksOwed(since, now);
    for (let week = 1; week <= weeks; week++) {
      const delta = await db.transaction((tx) =>
        changeScore(
          tx,
          now,
          { workspaceId: c.workspaceId, contactId: c.contactId, requested: -c.weeklyDecay, reason: "decay", dedupeKey: `decay:${c.contactId}:${since.toISOString()}:${week}` },
          { weeklyDecay: c.weeklyDecay, cap: c.cap, hotThreshold: c.hotThreshold },
        ),
      );
      if (delta) applied += 1;
    }
  }
  return applied;
}
