import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { notificationPreferences, notifications } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import type { NotificationPreferencesInput } from "../activities/schema";

/**
 * Marks the caller's notifications in this workspace as read: the given ones, or all. Another user's ids (or
 * another workspace's) simply match nothing. Returns how many changed.
 */
export async function markNotificationsRead(ctx: Ctx, target: { ids: string[] } | { all: true }): Promise<number> {
  const changed = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now })
    .where(
      and(
        eq(notifications.workspaceId, ctx.workspaceId),
        eq(notifications.userId, ctx.userId),
        isNull(notifications.readAt),
        "ids" in target ? inArray(notifications.id, target.ids.length ? target.ids : ["00000000-0000-0000-0000-000000000000"]) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return changed.length;
}

/** Saves a user's reminder settings (upsert: one row per user). */
export async function updateNotificationPreferences(db: Db, userId: string, input: NotificationPreferencesInput, now: Date) {
  await db
    .insert(notificationPreferences)
    .values({ userId, ...input, updatedAt: now })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: { ...input, updatedAt: now } });
}
