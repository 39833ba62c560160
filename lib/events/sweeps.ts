import "server-only";
import { and, eq, gte, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import { deals, domainEvents, stages } from "@/db/schema";
import type { Db } from "@/db/types";
import { emitEvent } from "./emit";

const DAY_MS = 86_400_000;

/**
 * Emits "deal.stuck" for open deals that stayed in their stage longer than its rotting days — once per stay
 * (a deal that moves and gets stuck again emits again). The event's time is the moment the deal became stuck,
 * so a workflow enabled later does not act on deals that were already stuck. Up to `limit` per call.
 */
export async function emitStuckDeals(db: Db, now: Date, limit = 500): Promise<number> {
  const stuck = await db
    .select({ id: deals.id, workspaceId: deals.workspaceId, pipelineId: deals.pipelineId, stageId: deals.stageId, stageEnteredAt: deals.stageEnteredAt, rottingDays: stages.rottingDays })
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .where(
      and(
        eq(deals.status, "open"),
        isNull(deals.deletedAt),
        isNotNull(stages.rottingDays),
        // An ISO string with a cast: postgres.js cannot bind a Date inside a raw expression.
        sql`${deals.stageEnteredAt} + ${stages.rottingDays} * interval '1 day' <= ${now.toISOString()}::timestamptz`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(domainEvents)
            .where(
              and(
                eq(domainEvents.workspaceId, deals.workspaceId),
                eq(domainEvents.subjectType, "deal"),
                eq(domainEvents.subjectId, deals.id),
                eq(domainEvents.type, "deal.stuck"),
                gte(domainEvents.occurredAt, deals.stageEnteredAt),
              ),
            ),
        ),
      ),
    )
    .limit(limit);
  let emitted = 0;
  for (const deal of stuck) {
    const becameStuckAt = new Date(deal.stageEnteredAt.getTime() + deal.rottingDays! * DAY_MS);
    const id = await db.transaction((tx) =>
      emitEvent(tx, { workspaceId: deal.workspaceId, userId: "", now }, {
        type: "deal.stuck",
        subjectId: deal.id,
        actorId: null,
        occurredAt: becameStuckAt,
        dedupeKey: `deal.stuck:${deal.id}:${deal.stageEnteredAt.toISOString()}`,
        data: { pipelineId: deal.pipelineId, stageId: deal.stageId, rottingDays: deal.rottingDays, stageEnteredAt: deal.stageEnteredAt.toISOString() },
      }),
    );
    if (id) emitted += 1;
  }
  return emitted;
}
