import "server-only";
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { activities, deals } from "@/db/schema";
import type { ApiKeyCtx } from "../../api-keys/authenticate";
import { createActivity, deleteActivity, setActivityDone, updateActivity } from "../../activities/commands";
import { activityFieldsSchema } from "../../activities/schema";
import { visibleActivities } from "../../activities/scope";
import { localDate, localTime, safeTimeZone } from "../../activities/time";
import { visibleDeals } from "../../deals/scope";
import { AppError } from "../../errors";
import { z } from "../../validation";
import { pathId } from "../body";
import { afterCursor, defineOperation, exactTime, pageOf, pageQuery, toPage } from "../operation";
import { activityDTO, activitySchema } from "../dto";


/** Activities the member may see, with their deal's id only when the member may see that deal too. */
const selectActivities = (ctx: ApiKeyCtx) =>
  ctx.db
    .select({ activity: activities, id: activities.id, dealId: deals.id, cursorTime: exactTime(activities.createdAt) })
    .from(activities)
    .leftJoin(deals, and(eq(deals.id, activities.dealId), visibleDeals(ctx)));

async function activityById(ctx: ApiKeyCtx, activityId: string) {
  const [row] = await selectActivities(ctx).where(and(eq(activities.id, activityId), visibleActivities(ctx)));
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

const timeZoneField = z.string().max(64).optional().describe("IANA time zone of dueDate/dueTime; default: the workspace's.");
const activityBody = z.strictObject({ ...activityFieldsSchema.shape, done: z.boolean().optional(), timeZone: timeZoneField });
const activityPatch = z.strictObject({ ...activityFieldsSchema.partial().shape, done: z.boolean().optional(), timeZone: timeZoneField });

export const listActivitiesOp = defineOperation({
  method: "GET",
  path: "/activities",
  operationId: "listActivities",
  summary: "List activities",
  tag: "Activities",
  permission: "deals.read",
  query: z.object({
    dealId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    assigneeId: z.uuid().optional(),
    done: z.enum(["true", "false"]).optional(),
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    ...pageQuery,
  }),
  response: pageOf(activitySchema),
  async run(ctx, { query }) {
    const rows = await selectActivities(ctx)
      .where(
        and(
          visibleActivities(ctx),
          query.dealId ? eq(activities.dealId, query.dealId) : undefined,
          query.contactId ? eq(activities.contactId, query.contactId) : undefined,
          query.assigneeId ? eq(activities.assigneeId, query.assigneeId) : undefined,
          query.done === "true" ? isNotNull(activities.doneAt) : query.done === "false" ? isNull(activities.doneAt) : undefined,
          query.updatedSince ? sql`${activities.updatedAt} >= ${query.updatedSince}::timestamptz` : undefined,
          afterCursor(query.cursor, activities.createdAt, activities.id),
        ),
      )
      .orderBy(asc(activities.createdAt), asc(activities.id))
      .limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => activityDTO(r.activity, r.dealId));
  },
});

export const getActivityOp = defineOperation({
  method: "GET",
  path: "/activities/{activityId}",
  operationId: "getActivity",
  summary: "Get an activity",
  tag: "Activities",
  permission: "deals.read",
  response: activitySchema,
  async run(ctx, { params }) {
    const row = await activityById(ctx, pathId(params.activityId));
    return activityDTO(row.activity, row.dealId);
  },
});

function zoneOf(ctx: ApiKeyCtx, timeZone: string | undefined): string {
  if (!timeZone) return ctx.workspace.timeZone;
  const zone = safeTimeZone(timeZone);
  if (zone !== timeZone && zone.toLowerCase() !== timeZone.toLowerCase()) throw new AppError("VALIDATION", "errors.invalidTimeZone", { timeZone: ["errors.invalidTimeZone"] });
  return zone;
}

export const createActivityOp = defineOperation({
  method: "POST",
  path: "/activities",
  operationId: "createActivity",
  summary: "Schedule an activity",
  description: "`dueDate` alone makes an all-day activity; with `dueTime` (HH:mm) it is timed, in `timeZone`.",
  tag: "Activities",
  permission: "activities.write",
  body: activityBody,
  status: 201,
  response: activitySchema,
  async run(ctx, { body }) {
    const { done, timeZone, ...fields } = body;
    const zone = zoneOf(ctx, timeZone);
    const id = await ctx.db.transaction(async (tx) => {
      const t = { ...ctx, db: tx };
      const row = await createActivity(t, fields, zone);
      if (done) await setActivityDone(t, row.id, true);
      return row.id;
    });
    const row = await activityById(ctx, id);
    return activityDTO(row.activity, row.dealId);
  },
});

export const updateActivityOp = defineOperation({
  method: "PATCH",
  path: "/activities/{activityId}",
  operationId: "updateActivity",
  summary: "Update or complete an activity",
  description: "Only the fields sent change; `done: true` completes it, `false` reopens it.",
  tag: "Activities",
  permission: "activities.write",
  body: activityPatch,
  response: activitySchema,
  async run(ctx, { params, body }) {
    const { done, timeZone, ...fields } = body;
    const zone = zoneOf(ctx, timeZone);
    const activityId = pathId(params.activityId);
    await ctx.db.transaction(async (tx) => {
      const t = { ...ctx, db: tx };
      const current = (await activityById(t, activityId)).activity;
      const changed = Object.entries(fields).filter(([, v]) => v !== undefined);
      if (changed.length) {
        const merged = {
          type: current.customTypeId ?? (current.type as z.output<typeof activityFieldsSchema>["type"]),
          subject: current.subject,
          notes: current.notes,
          dueDate: current.dueDate ?? localDate(current.dueAt!, zone),
          dueTime: current.dueAt ? localTime(current.dueAt, zone) : null,
          durationMinutes: current.durationMinutes,
          assigneeId: current.assigneeId,
          dealId: current.dealId,
          contactId: current.contactId,
          ...Object.fromEntries(changed),
        };
        await updateActivity(t, { ...merged, activityId }, zone);
      }
      if (done !== undefined) await setActivityDone(t, activityId, done);
    });
    const row = await activityById(ctx, activityId);
    return activityDTO(row.activity, row.dealId);
  },
});

export const deleteActivityOp = defineOperation({
  method: "DELETE",
  path: "/activities/{activityId}",
  operationId: "deleteActivity",
  summary: "Delete an activity",
  tag: "Activities",
  permission: "activities.write",
  status: 204,
  async run(ctx, { params }) {
    await deleteActivity(ctx, pathId(params.activityId));
    return null;
  },
});

export const activityOperations = [listActivitiesOp, createActivityOp, getActivityOp, updateActivityOp, deleteActivityOp];
