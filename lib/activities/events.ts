import "server-only";
import { and, eq, isNull, notExists, sql } from "drizzle-orm";
import { activities, deals, domainEvents, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { emitEvent, type EmitCtx } from "../events/emit";

type ActivityRow = typeof activities.$inferSelect;

/** The type a trigger or rule names: the built-in key ("call"), or the id of the workspace's own type. */
export const activityTypeKey = (a: Pick<ActivityRow, "type" | "customTypeId">) => (a.type === "custom" ? a.customTypeId ?? "custom" : a.type);

/** What every activity event carries: its links, and its deal's pipeline and stage (triggers narrow by them). */
async function activityData(db: Db, a: ActivityRow): Promise<Record<string, unknown>> {
  const [deal] = a.dealId ? await db.select({ pipelineId: deals.pipelineId, stageId: deals.stageId }).from(deals).where(eq(deals.id, a.dealId)) : [];
  return {
    activityId: a.id,
    activityType: activityTypeKey(a),
    dealId: a.dealId,
    contactId: a.contactId,
    assigneeId: a.assigneeId,
    origin: a.origin,
    ...(deal ? { pipelineId: deal.pipelineId, stageId: deal.stageId } : {}),
  };
}

/**
 * "activity.created", and "contact.meeting_booked" when the new activity is a meeting with a contact. Called in
 * the transaction that inserts the activity.
 */
export async function emitActivityCreated(db: Db, ctx: EmitCtx, a: ActivityRow): Promise<void> {
  const data = await activityData(db, a);
  await emitEvent(db, ctx, { type: "activity.created", subjectId: a.id, data });
  if (a.type === "meeting" && a.contactId) {
    await emitEvent(db, ctx, { type: "contact.meeting_booked", subjectId: a.contactId, data: { activityId: a.id, dealId: a.dealId, dueAt: a.dueAt?.toISOString() ?? a.dueDate } });
  }
}

/** "activity.completed": in the transaction that marks it done (not again when it is re-opened and re-done). */
export async function emitActivityCompleted(db: Db, ctx: EmitCtx, a: ActivityRow): Promise<void> {
  await emitEvent(db, ctx, {
    type: "activity.completed",
    subjectId: a.id,
    data: await activityData(db, a),
    dedupeKey: `activity.completed:${a.id}`,
  });
}

const dueKey = (a: Pick<ActivityRow, "id" | "dueAt" | "dueDate">) => `activity.overdue:${a.id}:${a.dueAt ? a.dueAt.toISOString() : a.dueDate}`;

/** How far back the sweep looks: an activity overdue for longer was overdue before the sweep could see it. */
export const OVERDUE_LOOKBACK_DAYS = 7;

/**
 * Emits "activity.overdue" for open activities whose due time passed: a timed one at its due instant, an all-day
 * one when its date is over in the workspace's time zone. Once per due time (rescheduling and missing it again
 * emits again); the event's time is when it became overdue, so a workflow enabled later does not act on
 * activities that were overdue before. Up to `limit` per call.
 */
export async function emitOverdueActivities(db: Db, now: Date, limit = 500): Promise<number> {
  const nowIso = now.toISOString();
  // All-day: overdue from midnight after its date, in the workspace's zone.
  const overdueAt = sql<Date>`coalesce(${activities.dueAt}, (((${activities.dueDate} + 1)::timestamp) at time zone ${workspaces.timeZone}))`;
  const rows = await db
    .select({ activity: activities, overdueAt: sql<Date>`${overdueAt}`.mapWith(activities.dueAt).as("overdue_at") })
    .from(activities)
    .innerJoin(workspaces, eq(workspaces.id, activities.workspaceId))
    .where(
      and(
        isNull(activities.doneAt),
        sql`${overdueAt} <= ${nowIso}::timestamptz`,
        sql`${overdueAt} > ${nowIso}::timestamptz - ${OVERDUE_LOOKBACK_DAYS} * interval '1 day'`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(domainEvents)
            // The same key as dueKey() below, built in SQL (the unique index on dedupe_key answers it).
            .where(
              sql`${domainEvents.dedupeKey} = 'activity.overdue:' || ${activities.id} || ':' || coalesce(to_char(${activities.dueAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ${activities.dueDate}::text)`,
            ),
        ),
      ),
    )
    .limit(limit);
  let emitted = 0;
  for (const { activity, overdueAt: at } of rows) {
    const id = await db.transaction(async (tx) =>
      emitEvent(tx, { workspaceId: activity.workspaceId, userId: "", now }, {
        type: "activity.overdue",
        subjectId: activity.id,
        actorId: null,
        occurredAt: at,
        dedupeKey: dueKey(activity),
        data: await activityData(tx, activity),
      }),
    );
    if (id) emitted += 1;
  }
  return emitted;
}
