"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import {
  createActivity,
  createActivityType,
  deleteActivity,
  followUpLinks,
  quickRescheduleActivity,
  renameActivityType,
  rescheduleActivity,
  setActivityDone,
  setActivityTypeArchived,
  updateActivity,
} from "@/lib/activities/commands";
import { searchLinkableDeals } from "@/lib/activities/queries";
import {
  activityIdSchema,
  activityTypeLabelSchema,
  createActivitySchema,
  notificationPreferencesSchema,
  quickRescheduleActivitySchema,
  renameActivityTypeSchema,
  rescheduleActivitySchema,
  setActivityDoneSchema,
  updateActivitySchema,
} from "@/lib/activities/schema";
import { pickerQuerySchema } from "@/lib/companies/schema";
import { markNotificationsRead, updateNotificationPreferences } from "@/lib/notifications/commands";
import { countUnreadNotifications, listNotifications } from "@/lib/notifications/queries";
import { z } from "@/lib/validation";

// Activities, their workspace types, the bell and the reminder settings. Each export is a public endpoint:
// workspaceAction parses, authenticates and authorizes (NOT_FOUND for non-members) before the command runs.
// Dates and times in the forms are the signed-in user's (their profile time zone), never a zone sent by the client.

/** Activities show on My day, deal pages, contact pages and board cards: refresh the whole workspace. */
const refresh = (slug: string) => revalidatePath(`/w/${slug}`, "layout");

export const createActivityAction = workspaceAction("activities.write", createActivitySchema, async (ctx, input) => {
  const activity = await createActivity(ctx, input, ctx.user.timeZone);
  refresh(ctx.workspace.slug);
  return { id: activity.id };
});

export const updateActivityAction = workspaceAction("activities.write", updateActivitySchema, async (ctx, input) => {
  await updateActivity(ctx, input, ctx.user.timeZone);
  refresh(ctx.workspace.slug);
});

export const rescheduleActivityAction = workspaceAction("activities.write", rescheduleActivitySchema, async (ctx, input) => {
  await rescheduleActivity(ctx, input, ctx.user.timeZone);
  refresh(ctx.workspace.slug);
});

/** "Reschedule → Today / Tomorrow / Next week" of a list row; returns the new local date for the toast. */
export const quickRescheduleActivityAction = workspaceAction("activities.write", quickRescheduleActivitySchema, async (ctx, input) => {
  const { dueDate } = await quickRescheduleActivity(ctx, input, ctx.user.timeZone);
  refresh(ctx.workspace.slug);
  return { dueDate };
});

export const setActivityDoneAction = workspaceAction("activities.write", setActivityDoneSchema, async (ctx, input) => {
  const activity = await setActivityDone(ctx, input.activityId, input.done);
  refresh(ctx.workspace.slug);
  return followUpLinks(ctx, activity);
});

export const deleteActivityAction = workspaceAction("activities.write", activityIdSchema, async (ctx, input) => {
  await deleteActivity(ctx, input.activityId);
  refresh(ctx.workspace.slug);
});

/** The activity form's deal picker: deals the caller may see, by title. */
export const searchActivityDealsAction = workspaceAction("deals.read", pickerQuerySchema, (ctx, input) => searchLinkableDeals(ctx, input.q));

export const createActivityTypeAction = workspaceAction("settings.manage", activityTypeLabelSchema, async (ctx, input) => {
  const type = await createActivityType(ctx, input.label);
  refresh(ctx.workspace.slug);
  return { id: type.id };
});

export const renameActivityTypeAction = workspaceAction("settings.manage", renameActivityTypeSchema, async (ctx, input) => {
  await renameActivityType(ctx, input.activityTypeId, input.label);
  refresh(ctx.workspace.slug);
});

const archiveTypeSchema = z.object({ activityTypeId: z.uuid(), archived: z.preprocess((v) => v === true || v === "true", z.boolean()) });

export const archiveActivityTypeAction = workspaceAction("settings.manage", archiveTypeSchema, async (ctx, input) => {
  await setActivityTypeArchived(ctx, input.activityTypeId, input.archived);
  refresh(ctx.workspace.slug);
});

/** The bell's dropdown: the latest notifications and the unread count (polled, so reminders created by the tick show up). */
export const listNotificationsAction = workspaceAction("workspace.read", z.object({}), async (ctx) => ({
  unread: await countUnreadNotifications(ctx),
  items: await listNotifications(ctx),
}));

const markReadSchema = z.union([z.object({ ids: z.array(z.uuid()).min(1).max(100) }), z.object({ all: z.literal(true) })]);

export const markNotificationsReadAction = workspaceAction("workspace.read", markReadSchema, async (ctx, input) => {
  const changed = await markNotificationsRead(ctx, "ids" in input ? { ids: input.ids } : { all: true });
  return { changed };
});

/** Reminder settings follow the user across workspaces (Settings → Profile). */
export const updateNotificationPreferencesAction = workspaceAction("workspace.read", notificationPreferencesSchema, async (ctx, input) => {
  await updateNotificationPreferences(ctx.db, ctx.userId, input, ctx.now);
  revalidatePath(`/w/${ctx.workspace.slug}/settings/profile`);
});
