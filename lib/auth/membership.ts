import { and, eq } from "drizzle-orm";
import { memberships, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { can, type Permission, type Role } from "./permissions";
import { sessionRevokedSql } from "./revocation";

/** The workspace fields every Ctx carries. */
const ctxWorkspaceColumns = {
  id: workspaces.id,
  slug: workspaces.slug,
  name: workspaces.name,
  timeZone: workspaces.timeZone,
  currency: workspaces.currency,
  dealVisibility: workspaces.dealVisibility,
};

/**
 * The one authorization rule: the user must be a member of the workspace named by `slug` (else NOT_FOUND,
 * so a non-member cannot even learn the workspace exists) and their role must grant `permission`
 * (else FORBIDDEN). Returns the context every domain function takes.
 */
export async function authorizeMember(
  db: Db,
  userId: string,
  slug: string,
  permission: Permission,
  now: Date = new Date(),
): Promise<Ctx> {
  const [row] = await db
    .select({
      role: memberships.role,
      workspace: ctxWorkspaceColumns,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(workspaces.slug, slug), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND");
  const role = row.role as Role;
  if (!can(role, permission)) throw new AppError("FORBIDDEN");
  return { db, workspaceId: row.workspace.id, userId, role, now, workspace: row.workspace };
}

export type SessionUserRow = { id: string; email: string; name: string; locale: "en" | "zh-CN" | null; timeZone: string };

/**
 * `authorizeMember` for a signed-in session in one round trip: the user (whose session version must still match
 * the cookie's and whose session must not have been signed out, else UNAUTHENTICATED), their membership of `slug`
 * and the workspace, read together. Server actions call it once per request — the move-a-deal budget is three
 * round trips in all (issue #11).
 */
export async function authorizeSession(
  db: Db,
  session: { userId: string; sessionVersion: number | undefined; sessionId?: string | null },
  slug: string,
  permission: Permission,
  now: Date = new Date(),
): Promise<Ctx & { user: SessionUserRow }> {
  const [row] = await db
    .select({
      user: { id: users.id, email: users.email, name: users.name, locale: users.locale, timeZone: users.timeZone, sessionVersion: users.sessionVersion },
      role: memberships.role,
      workspace: ctxWorkspaceColumns,
      revoked: sessionRevokedSql(session.sessionId),
    })
    .from(users)
    .leftJoin(workspaces, eq(workspaces.slug, slug))
    .leftJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, users.id)))
    .where(eq(users.id, session.userId))
    .limit(1);
  if (!row || row.revoked || row.user.sessionVersion !== session.sessionVersion) throw new AppError("UNAUTHENTICATED");
  const user = { id: row.user.id, email: row.user.email, name: row.user.name, locale: row.user.locale, timeZone: row.user.timeZone };
  if (!row.role || !row.workspace) throw new AppError("NOT_FOUND");
  const role = row.role as Role;
  if (!can(role, permission)) throw new AppError("FORBIDDEN");
  return { db, workspaceId: row.workspace.id, userId: user.id, role, now, workspace: row.workspace, user };
}

/** Throws FORBIDDEN unless the context's role grants the permission (for checks inside a command). */
export function assertCan(ctx: Pick<Ctx, "role">, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError("FORBIDDEN");
}
