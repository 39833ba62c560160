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

/** The user's columns every session check reads: what pages and actions see, and the version the cookie must carry. */
export const sessionUserColumns = { id: users.id, email: users.email, name: users.name, locale: users.locale, timeZone: users.timeZone, sessionVersion: users.sessionVersion };

/**
 * The session's user from a row read with `sessionUserColumns` and `sessionRevokedSql`, or null when that
 * session no longer counts: the user is gone, the session was signed out (its id revoked), or the user's
 * session version moved on (signed out everywhere, password changed).
 */
export function liveSessionUser(
  row: { user: { sessionVersion: number } & SessionUserRow; revoked: boolean } | undefined,
  sessionVersion: number | undefined,
): SessionUserRow | null {
  if (!row || row.revoked || row.user.sessionVersion !== sessionVersion) return null;
  const { id, email, name, locale, timeZone } = row.user;
  return { id, email, name, locale, timeZone };
}

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
      user: sessionUserColumns,
      role: memberships.role,
      workspace: ctxWorkspaceColumns,
      revoked: sessionRevokedSql(session.sessionId),
    })
    .from(users)
    .leftJoin(workspaces, eq(workspaces.slug, slug))
    .leftJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, users.id)))
    .where(eq(users.id, session.userId))
    .limit(1);
  const user = liveSessionUser(row, session.sessionVersion);
  if (!row || !user) throw new AppError("UNAUTHENTICATED");
  if (!row.role || !row.workspace) throw new AppError("NOT_FOUND");
  const role = row.role as Role;
  if (!can(role, permission)) throw new AppError("FORBIDDEN");
  return { db, workspaceId: row.workspace.id, userId: user.id, role, now, workspace: row.workspace, user };
}

/** Throws FORBIDDEN unless the context's role grants the permission (for checks inside a command). */
export function assertCan(ctx: Pick<Ctx, "role">, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError("FORBIDDEN");
}
