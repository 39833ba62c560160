import "server-only";
import { and, eq, max, sql } from "drizzle-orm";
import { activities, activityTypes, contacts, deals, memberships, notifications } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { limitedToOwnDeals, visibleDeals } from "../deals/scope";
import { builtInActivityTypes, type ActivityOrigin, type BuiltInActivityType, type CreateActivityInput, type QuickRescheduleActivityInput, type RescheduleActivityInput, type UpdateActivityInput } from "./schema";
import { emitActivityCompleted, emitActivityCreated } from "./events";
import { visibleActivities } from "./scope";
import { localDay, localTime, quickRescheduleDate, safeTimeZone, zonedInstant } from "./time";

type ActivityRow = typeof activities.$inferSelect;

/** Locks an activity the caller may see (row lock: concurrent edits of one activity queue up). */
async function lockActivity(db: Db, ctx: Ctx, activityId: string): Promise<ActivityRow> {
  const [row] = await db
    .select()
    .from(activities)
    .where(and(eq(activities.id, activityId), visibleActivities(ctx)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/** A built-in key, or the id of one of this workspace's own types (archived ones only when already in use). */
async function resolveType(db: Db, ctx: Ctx, type: string, current?: string | null): Promise<{ type: ActivityRow["type"]; customTypeId: string | null }> {
  if ((builtInActivityTypes as readonly string[]).includes(type)) return { type: type as BuiltInActivityType, customTypeId: null };
  const [row] = await db
    .select({ id: activityTypes.id, archivedAt: activityTypes.archivedAt })
    .from(activityTypes)
    .where(and(eq(activityTypes.id, type), eq(activityTypes.workspaceId, ctx.workspaceId)));
  if (!row || (row.archivedAt && row.id !== current)) throw new AppError("VALIDATION", "errors.VALIDATION", { type: ["errors.NOT_FOUND"] });
  return { type: "custom", customTypeId: row.id };
}

/**
 * Ids from the client must belong to this workspace: the assignee is a member, the deal one the caller may see
 * (through visibleDeals), the contact one of the workspace. With a deal and no contact, the deal's contact is used.
 */
async function resolveLinks(db: Db, ctx: Ctx, refs: { assigneeId: string | null; dealId: string | null; contactId: string | null }) {
  const fieldErrors: Record<string, string[]> = {};
  const assigneeId = refs.assigneeId ?? ctx.userId;
  const [member] = await db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, assigneeId)));
  if (!member) fieldErrors.assigneeId = ["errors.assigneeNotMember"];
  let contactId = refs.contactId;
  if (refs.dealId) {
    const [deal] = await db.select({ id: deals.id, contactId: deals.contactId }).from(deals).where(and(eq(deals.id, refs.dealId), visibleDeals(ctx)));
    if (!deal) fieldErrors.dealId = ["errors.NOT_FOUND"];
    else contactId ??= deal.contactId;
  }
  if (refs.contactId) {
    const [contact] = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.id, refs.contactId), eq(contacts.workspaceId, ctx.workspaceId)));
    if (!contact) fieldErrors.contactId = ["errors.NOT_FOUND"];
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.VALIDATION", fieldErrors);
  return { assigneeId, dealId: refs.dealId, contactId };
}

/** The form's local date (+ time) in the user's zone → the stored due: an instant, or an all-day date. */
export function toDue(dueDate: string, dueTime: string | null, timeZone: string): { dueAt: Date | null; dueDate: string | null } {
  return dueTime ? { dueAt: zonedInstant(dueDate, dueTime, safeTimeZone(timeZone)), dueDate: null } : { dueAt: null, dueDate };
}

async function notifyAssigned(db: Db, ctx: Ctx, activityId: string, assigneeId: string) {
  if (assigneeId === ctx.userId) return;
  await db
    .insert(notifications)
    .values({
      workspaceId: ctx.workspaceId,
      userId: assigneeId,
      kind: "activity_assigned",
      activityId,
      actorId: ctx.userId,
      dedupeKey: `assigned:${activityId}:${assigneeId}:${ctx.now.getTime()}`,
      createdAt: ctx.now,
    })
    .onConflictDoNothing();
}

/**
 * Schedules an activity. `timeZone` is the acting user's (the form's date and time are theirs). `origin` lets a
 * workflow or sequence step schedule one on someone's behalf. Assigning someone else notifies them (the bell).
 */
export async function createActivity(ctx: Ctx, input: CreateActivityInput, timeZone: string, opts: { origin?: ActivityOrigin } = {}) {
  assertCan(ctx, "activities.write");
  return ctx.db.transaction(async (tx) => {
    const type = await resolveType(tx, ctx, input.type);
    const links = await resolveLinks(tx, ctx, input);
    const [row] = await tx
      .insert(activities)
      .values({
        workspaceId: ctx.workspaceId,
        ...type,
        subject: input.subject,
        notes: input.notes,
        ...toDue(input.dueDate, input.dueTime, timeZone),
        durationMinutes: input.dueTime ? input.durationMinutes : null,
        ...links,
        origin: opts.origin ?? "manual",
        createdBy: ctx.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await notifyAssigned(tx, ctx, row!.id, links.assigneeId);
    await emitActivityCreated(tx, ctx, row!);
    return row!;
  });
}

/** Edits every field of an activity the caller may see; reassigning notifies the new assignee. */
export async function updateActivity(ctx: Ctx, input: UpdateActivityInput, timeZone: string) {
  assertCan(ctx, "activities.write");
  return ctx.db.transaction(async (tx) => {
    const current = await lockActivity(tx, ctx, input.activityId);
    const type = await resolveType(tx, ctx, input.type, current.customTypeId);
    const links = await resolveLinks(tx, ctx, input);
    const [row] = await tx
      .update(activities)
      .set({
        ...type,
        subject: input.subject,
        notes: input.notes,
        ...toDue(input.dueDate, input.dueTime, timeZone),
        durationMinutes: input.dueTime ? input.durationMinutes : null,
        ...links,
        updatedAt: ctx.now,
      })
      .where(eq(activities.id, current.id))
      .returning();
    if (links.assigneeId !== current.assigneeId) await notifyAssigned(tx, ctx, current.id, links.assigneeId);
    return row!;
  });
}

/**
 * Moves an activity to another local date (drag in the week view). A timed activity keeps its time of day in the
 * user's zone unless a new time is given; an all-day one stays all-day unless a time is given.
 */
export async function rescheduleActivity(ctx: Ctx, input: RescheduleActivityInput, timeZone: string) {
  assertCan(ctx, "activities.write");
  const tz = safeTimeZone(timeZone);
  return ctx.db.transaction(async (tx) => {
    const current = await lockActivity(tx, ctx, input.activityId);
    const time = input.dueTime ?? (current.dueAt ? localTime(current.dueAt, tz) : null);
    const [row] = await tx
      .update(activities)
      .set({ ...toDue(input.dueDate, time, tz), durationMinutes: time ? current.durationMinutes : null, updatedAt: ctx.now })
      .where(eq(activities.id, current.id))
      .returning();
    return row!;
  });
}

/**
 * The row menu's "Reschedule → Today / Tomorrow / Next week": the date is computed here from `ctx.now` in the
 * user's zone (the today My day shows), never taken from the browser; then it is a reschedule like a drag (same
 * visibility, lock and transaction; a timed activity keeps its local time of day).
 */
export async function quickRescheduleActivity(ctx: Ctx, input: QuickRescheduleActivityInput, timeZone: string) {
  const tz = safeTimeZone(timeZone);
  const dueDate = quickRescheduleDate(input.to, localDay(ctx.now, tz).date);
  const row = await rescheduleActivity(ctx, { activityId: input.activityId, dueDate, dueTime: null }, tz);
  return { activity: row, dueDate };
}

/** Marks done (now) or not done again. Idempotent: marking a done activity done keeps its first done time. */
export async function setActivityDone(ctx: Ctx, activityId: string, done: boolean) {
  assertCan(ctx, "activities.write");
  return ctx.db.transaction(async (tx) => {
    const current = await lockActivity(tx, ctx, activityId);
    if (!!current.doneAt === done) return current;
    const [row] = await tx
      .update(activities)
      .set({ doneAt: done ? ctx.now : null, updatedAt: ctx.now })
      .where(eq(activities.id, current.id))
      .returning();
    if (done) await emitActivityCompleted(tx, ctx, row!);
    return row!;
  });
}

/**
 * What "schedule the next activity" pre-fills after one is done: its contact, and its deal when the caller may
 * see that deal (a rep limited to their own deals can be assigned a task on a colleague's deal, whose id the
 * activity's own page does not show them either).
 */
export async function followUpLinks(ctx: Ctx, activity: Pick<typeof activities.$inferSelect, "dealId" | "contactId">): Promise<{ dealId: string | null; contactId: string | null }> {
  let dealId = activity.dealId;
  if (dealId && limitedToOwnDeals(ctx)) {
    const [visible] = await ctx.db.select({ id: deals.id }).from(deals).where(and(visibleDeals(ctx), eq(deals.id, dealId)));
    dealId = visible?.id ?? null;
  }
  return { dealId, contactId: activity.contactId };
}

export async function deleteActivity(ctx: Ctx, activityId: string) {
  assertCan(ctx, "activities.write");
  await ctx.db.transaction(async (tx) => {
    const current = await lockActivity(tx, ctx, activityId);
    await tx.delete(activities).where(eq(activities.id, current.id));
  });
}

// ── The workspace's own activity types (admins) ────────────────────────────────────────────────────────────

async function assertLabelFree(db: Db, ctx: Ctx, label: string, exceptId?: string) {
  const builtIn = (builtInActivityTypes as readonly string[]).includes(label.toLowerCase());
  const [taken] = await db
    .select({ id: activityTypes.id })
    .from(activityTypes)
    .where(and(eq(activityTypes.workspaceId, ctx.workspaceId), sql`lower(${activityTypes.label}) = lower(${label})`));
  if (builtIn || (taken && taken.id !== exceptId)) throw new AppError("CONFLICT", "errors.activityTypeTaken", { label: ["errors.activityTypeTaken"] });
}

async function typeInWorkspace(db: Db, ctx: Ctx, activityTypeId: string) {
  const [row] = await db
    .select()
    .from(activityTypes)
    .where(and(eq(activityTypes.id, activityTypeId), eq(activityTypes.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function createActivityType(ctx: Ctx, label: string) {
  assertCan(ctx, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    await assertLabelFree(tx, ctx, label);
    const [last] = await tx.select({ p: max(activityTypes.position) }).from(activityTypes).where(eq(activityTypes.workspaceId, ctx.workspaceId));
    const [row] = await tx
      .insert(activityTypes)
      .values({ workspaceId: ctx.workspaceId, label, position: (last?.p ?? 0) + 1, createdAt: ctx.now })
      .returning();
    return row!;
  });
}

export async function renameActivityType(ctx: Ctx, activityTypeId: string, label: string) {
  assertCan(ctx, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const row = await typeInWorkspace(tx, ctx, activityTypeId);
    if (row.label === label) return row;
    await assertLabelFree(tx, ctx, label, row.id);
    const [updated] = await tx.update(activityTypes).set({ label }).where(eq(activityTypes.id, row.id)).returning();
    return updated!;
  });
}

/** Archived types leave the pickers; activities of that type keep it. Restoring brings it back. */
export async function setActivityTypeArchived(ctx: Ctx, activityTypeId: string, archived: boolean) {
  assertCan(ctx, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const row = await typeInWorkspace(tx, ctx, activityTypeId);
    if (!!row.archivedAt === archived) return row;
    const [updated] = await tx
      .update(activityTypes)
      .set({ archivedAt: archived ? ctx.now : null })
      .where(eq(activityTypes.id, row.id))
      .returning();
    return updated!;
  });
}
