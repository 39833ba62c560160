"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { changeRole, inviteMember, removeMember, revokeInvitation, updateWorkspace } from "@/lib/workspaces/commands";
import {
  changeRoleSchema,
  inviteMemberSchema,
  removeMemberSchema,
  revokeInvitationSchema,
  updateWorkspaceSchema,
} from "@/lib/workspaces/schema";
import { z } from "@/lib/validation";

const done = (slug: string) => revalidatePath(`/w/${slug}`, "layout");

export const updateWorkspaceAction = workspaceAction("settings.manage", updateWorkspaceSchema, async (ctx, input) => {
  await updateWorkspace(ctx, input);
  done(ctx.workspace.slug);
});

export const inviteMemberAction = workspaceAction("members.manage", inviteMemberSchema, async (ctx, input) => {
  const { link, emailed } = await inviteMember(ctx, input);
  done(ctx.workspace.slug);
  return { link, emailed };
});

export const revokeInvitationAction = workspaceAction("members.manage", revokeInvitationSchema, async (ctx, input) => {
  await revokeInvitation(ctx, input.invitationId);
  done(ctx.workspace.slug);
});

export const changeRoleAction = workspaceAction("members.manage", changeRoleSchema, async (ctx, input) => {
  await changeRole(ctx, input);
  done(ctx.workspace.slug);
});

export const removeMemberAction = workspaceAction("members.manage", removeMemberSchema, async (ctx, input) => {
  await removeMember(ctx, input.userId);
  done(ctx.workspace.slug);
});

export const leaveWorkspaceAction = workspaceAction("workspace.read", z.object({}), async (ctx) => {
  await removeMember(ctx, ctx.userId);
  revalidatePath("/", "layout");
});
