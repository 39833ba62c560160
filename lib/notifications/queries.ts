import "server-only";
import { aliasedTable, and, count, desc, eq, isNull } from "drizzle-orm";
import { activities, activityTypes, notificationPreferences, notifications, users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";

export type NotificationDTO = {
  id: string;
  kind: "activity_reminder" | "activity_assigned" | "message";
  /** kind "message": its text and where it leads (a path inside the workspace). */
  message: string | null;
  link: string | null;
  createdAt: string;
  read: boolean;
  actorName: string | null;
  activity: { id: string; subject: string; type: string; customLabel: string | null; dueAt: string | null; dueDate: string | null; done: boolean; dealId: string | null } | null;
};

const actor = aliasedTable(users, "actor");

/** The caller's notifications in this workspace, newest first. */
export async function listNotifications(ctx: Ctx, limit = 20): Promise<NotificationDTO[]> {
  const rows = await ctx.db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      message: notifications.message,
      link: notifications.link,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      actorName: actor.name,
      activityId: activities.id,
      subject: activities.subject,
      type: activities.type,
      customLabel: activityTypes.label,
      dueAt: activities.dueAt,
      dueDate: activities.dueDate,
      doneAt: activities.doneAt,
      dealId: activities.dealId,
    })
    .from(notifications)
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .leftJoin(activities, and(eq(activities.id, notifications.activityId), eq(activities.workspaceId, ctx.workspaceId)))
    .leftJoin(activityTypes, eq(activityTypes.id, activities.customTypeId))
    .where(and(eq(notifications.workspaceId, ctx.workspaceId), eq(notifications.userId, ctx.userId)))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    message: r.message,
    link: r.link,
    createdAt: r.createdAt.toISOString(),
    read: r.readAt !== null,
    actorName: r.actorName,
    activity: r.activityId
      ? {
          id: r.activityId,
          subject: r.subject!,
          type: r.type!,
          customLabel: r.customLabel,
          dueAt: r.dueAt ? r.dueAt.toISOString() : null,
          dueDate: r.dueDate,
          done: r.doneAt !== null,
          dealId: r.dealId,
        }
      : null,
  }));
}

/** The bell's badge: unread notifications of the caller in this workspace. */
export async function countUnreadNotifications(ctx: Ctx): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.workspaceId, ctx.workspaceId), eq(notifications.userId, ctx.userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export type NotificationPreferences = { remindersEnabled: boolean; reminderLeadMinutes: number; digestEnabled: boolean };
export const defaultNotificationPreferences: NotificationPreferences = { remindersEnabled: true, reminderLeadMinutes: 15, digestEnabled: false };

/** A user's reminder settings (the defaults when they never saved any). Not workspace-bound: they follow the user. */
export async function getNotificationPreferences(db: Db, userId: string): Promise<NotificationPreferences> {
  const [row] = await db
    .select({
      remindersEnabled: notificationPreferences.remindersEnabled,
      reminderLeadMinutes: notificationPreferences.reminderLeadMinutes,
      digestEnabled: notificationPreferences.digestEnabled,
    })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return row ?? defaultNotificationPreferences;
}
