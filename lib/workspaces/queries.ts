import "server-only";
import { and, asc, desc, eq, gt, isNull } from "drizzle-orm";
import { auditLog, invitations, memberships, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";

export function listUserWorkspaces(db: Db, userId: string) {
  return db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
}

export type MemberDTO = { userId: string; name: string; email: string; role: "owner" | "admin" | "manager" | "rep"; joinedAt: Date };

export function listMembers(ctx: Ctx): Promise<MemberDTO[]> {
  return ctx.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, ctx.workspaceId))
    .orderBy(asc(users.name));
}

export function listPendingInvitations(ctx: Ctx) {
  assertCan(ctx, "members.manage");
  return ctx.db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .where(
      and(
        eq(invitations.workspaceId, ctx.workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, ctx.now),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export function listAuditLog(ctx: Ctx, limit = 100) {
  assertCan(ctx, "audit.read");
  return ctx.db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
      actorName: users.name,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.workspaceId, ctx.workspaceId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
}
