import "server-only";
import { and, count, eq, gt, isNull, like, or, sql } from "drizzle-orm";
import { invitations, memberships, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { appUrl } from "../app-url";
import { AppError } from "../errors";
import { sendMail } from "../mail/send";
import { assertCan } from "../auth/membership";
import { roleRank, type Role } from "../auth/permissions";
import { hashToken, newToken } from "../auth/tokens";
import { createDefaultWorkspaceData } from "../pipelines/commands";
import { audit } from "./audit";
import { reservedSlugs, slugify } from "./slug";

export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (await db.select({ slug: workspaces.slug }).from(workspaces).where(or(eq(workspaces.slug, base), like(workspaces.slug, `${base}-%`)))).map(
      (r) => r.slug,
    ),
  );
  if (!taken.has(base) && !reservedSlugs.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Creates a workspace with the user as owner, a default pipeline and pick lists. Call inside a transaction. */
export async function createWorkspace(
  db: Db,
  userId: string,
  input: { name: string; slug?: string; timeZone?: string; currency?: string; locale?: string | null },
  now: Date,
) {
  const slug = input.slug ?? (await uniqueSlug(db, input.name));
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: input.name, slug, timeZone: input.timeZone ?? "UTC", currency: input.currency ?? "USD", createdAt: now })
    .returning();
  await db.insert(memberships).values({ workspaceId: workspace!.id, userId, role: "owner", createdAt: now });
  await createDefaultWorkspaceData(db, workspace!.id, now, input.locale);
  await audit(db, { workspaceId: workspace!.id, actorId: userId, action: "workspace.created", at: now });
  return workspace!;
}

export async function createWorkspaceForUser(db: Db, userId: string, name: string, now: Date, locale?: string | null) {
  return db.transaction((tx) => createWorkspace(tx, userId, { name, locale }, now));
}

export async function updateWorkspace(
  ctx: Ctx,
  input: { name: string; timeZone: string; currency: string; dealVisibility: "all" | "own" },
) {
  assertCan(ctx, "settings.manage");
  await ctx.db.transaction(async (tx) => {
    await tx.update(workspaces).set(input).where(eq(workspaces.id, ctx.workspaceId));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workspace.updated", details: input, at: ctx.now });
  });
}

/**
 * Invites an email with a role. Returns the link (shown to copy); it is also emailed when SMTP is set.
 * Only owners may invite owners.
 */
export async function inviteMember(ctx: Ctx, input: { email: string; role: Role }) {
  assertCan(ctx, "members.manage");
  if (roleRank[input.role] > roleRank[ctx.role]) throw new AppError("FORBIDDEN");
  const { token, hash } = newToken();
  const link = appUrl(`/invite/${token}`);
  const invitation = await ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), sql`lower(${users.email}) = ${input.email}`));
    if (existing) throw new AppError("CONFLICT", "errors.alreadyMember", { email: ["errors.alreadyMember"] });
    // Inviting an address again sends a new link in place of the pending one (only hashes are kept, so the old
    // link cannot be sent again): the earlier invitation is revoked, and the list shows one per address.
    await tx
      .update(invitations)
      .set({ revokedAt: ctx.now })
      .where(and(eq(invitations.workspaceId, ctx.workspaceId), sql`lower(${invitations.email}) = ${input.email}`, isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
    const [row] = await tx
      .insert(invitations)
      .values({
        workspaceId: ctx.workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: hash,
        invitedBy: ctx.userId,
        expiresAt: new Date(ctx.now.getTime() + INVITATION_TTL_MS),
        createdAt: ctx.now,
      })
      .returning();
    await audit(tx, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      action: "member.invited",
      targetType: "invitation",
      targetId: row!.id,
      details: { email: input.email, role: input.role },
      at: ctx.now,
    });
    return row!;
  });
  const delivery = await sendMail({
    to: input.email,
    subject: `You are invited to ${ctx.workspace.name} on Pipewise / 邀请您加入 ${ctx.workspace.name}`,
    text: `You have been invited to join ${ctx.workspace.name} on Pipewise as ${input.role}.\nAccept: ${link}\n\n您被邀请加入 Pipewise 上的 ${ctx.workspace.name}。\n接受邀请：${link}`,
  }).catch(() => ({ delivered: false as const, reason: "failed" as const }));
  return { invitation, link, emailed: delivery.delivered };
}

export async function revokeInvitation(ctx: Ctx, invitationId: string) {
  assertCan(ctx, "members.manage");
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: ctx.now })
      .where(and(eq(invitations.id, invitationId), eq(invitations.workspaceId, ctx.workspaceId), isNull(invitations.acceptedAt)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND");
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "invitation.revoked", targetType: "invitation", targetId: invitationId, at: ctx.now });
  });
}

/** The invitation a token points to, if it is still usable (not accepted, revoked or expired). */
export async function findInvitation(db: Db, token: string, now: Date) {
  const [row] = await db
    .select({ invitation: invitations, workspace: { name: workspaces.name, slug: workspaces.slug } })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    );
  return row;
}

/** The signed-in user accepts: becomes a member with the invited role. The token works once. */
export async function acceptInvitation(db: Db, userId: string, token: string, now: Date) {
  return db.transaction(async (tx) => {
    const found = await findInvitation(tx, token, now);
    if (!found) throw new AppError("NOT_FOUND", "errors.invitationInvalid");
    const { invitation } = found;
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    if (!claimed) throw new AppError("NOT_FOUND", "errors.invitationInvalid");
    const [joined] = await tx
      .insert(memberships)
      .values({ workspaceId: invitation.workspaceId, userId, role: invitation.role, createdAt: now })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    // Already a member: their role stays as it is, and the invitation stays unused (the transaction rolls back)
    // rather than being spent on a "joined" entry that did not happen.
    if (!joined) throw new AppError("CONFLICT", "errors.alreadyMember");
    await audit(tx, {
      workspaceId: invitation.workspaceId,
      actorId: userId,
      action: "member.joined",
      targetType: "user",
      targetId: userId,
      details: { role: invitation.role, via: "invitation" },
      at: now,
    });
    return found.workspace;
  });
}

async function countOwners(db: Db, workspaceId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")));
  return row?.n ?? 0;
}

async function lockedMember(db: Db, workspaceId: string, userId: string) {
  // Lock the workspace's membership rows so two concurrent demotions cannot both pass the last-owner check.
  await db.execute(sql`select 1 from ${memberships} where ${memberships.workspaceId} = ${workspaceId} for update`);
  const [member] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  if (!member) throw new AppError("NOT_FOUND");
  return member;
}

export async function changeRole(ctx: Ctx, input: { userId: string; role: Role }) {
  assertCan(ctx, "members.manage");
  await ctx.db.transaction(async (tx) => {
    const member = await lockedMember(tx, ctx.workspaceId, input.userId);
    // Admins manage admins and below; only owners touch owners or make new ones.
    if (roleRank[member.role] > roleRank[ctx.role] || roleRank[input.role] > roleRank[ctx.role]) throw new AppError("FORBIDDEN");
    if (member.role === "owner" && input.role !== "owner" && (await countOwners(tx, ctx.workspaceId)) <= 1) {
      throw new AppError("CONFLICT", "errors.lastOwner");
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, input.userId)));
    await audit(tx, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      action: "member.role_changed",
      targetType: "user",
      targetId: input.userId,
      details: { from: member.role, to: input.role },
      at: ctx.now,
    });
  });
}

/** Removes a member (or, with userId = ctx.userId, leaves). Takes effect on the member's next request. */
export async function removeMember(ctx: Ctx, userId: string) {
  const leaving = userId === ctx.userId;
  if (!leaving) assertCan(ctx, "members.manage");
  await ctx.db.transaction(async (tx) => {
    const member = await lockedMember(tx, ctx.workspaceId, userId);
    if (!leaving && roleRank[member.role] > roleRank[ctx.role]) throw new AppError("FORBIDDEN");
    if (member.role === "owner" && (await countOwners(tx, ctx.workspaceId)) <= 1) {
      throw new AppError("CONFLICT", "errors.lastOwner");
    }
    await tx.delete(memberships).where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
    await audit(tx, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      action: leaving ? "member.left" : "member.removed",
      targetType: "user",
      targetId: userId,
      details: { role: member.role },
      at: ctx.now,
    });
  });
}
