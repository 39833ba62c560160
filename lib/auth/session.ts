import "server-only";
import { cache } from "react";
import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { sessionRevokedSql } from "./revocation";
import { readSessionClaims, type SessionClaims } from "./session-token";
import { authorizeMember, liveSessionUser, sessionUserColumns, type SessionUserRow } from "./membership";
import { safeCallbackPath } from "./callback";
import { can, type Permission } from "./permissions";

export type SessionUser = SessionUserRow;

/**
 * The signed-in user, re-read from the database on every request: a session whose version no longer matches
 * (signed out everywhere, password changed), that was signed out (its id revoked), or whose user is gone counts
 * as signed out. Cached per request.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const claims = await readSessionClaims();
  if (!claims) return null;
  const db = await getDb();
  const [row] = await db.select({ user: sessionUserColumns, revoked: sessionRevokedSql(claims.sessionId) }).from(users).where(eq(users.id, claims.userId));
  return liveSessionUser(row, claims.sessionVersion);
});

/**
 * The session cookie's user id and session version (no database read), or null when signed out. Read from the
 * cookie directly (lib/auth/session-token.ts), not through Auth.js's `auth()`, whose fresh cookie a page or an
 * action could not set anyway.
 */
export async function getSessionClaims(): Promise<SessionClaims | null> {
  return readSessionClaims();
}

/** For pages: the user, or a redirect to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) {
    const path = (await headers()).get("x-pipewise-path"); // set by proxy.ts for workspace pages
    const back = safeCallbackPath(path);
    redirect(back === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(back)}`);
  }
  return user;
}

// Once per request and workspace, whatever permission each caller asks for: the workspace layout and its page
// both call requireMember (with different permissions) and share this one read. Every role may read its
// workspace, so the read refuses only non-members; the permission is checked on the result.
const memberCtx = cache(async (userId: string, slug: string) => authorizeMember(await getDb(), userId, slug, "workspace.read", new Date()));

/**
 * For pages: the workspace context for the signed-in member. Non-members get the 404 page (the workspace's
 * existence is not revealed); members whose role lacks the permission get FORBIDDEN, which the workspace
 * error boundary renders as "not allowed".
 */
export async function requireMember(slug: string, permission: Permission = "workspace.read"): Promise<Ctx & { user: SessionUser }> {
  // The membership is read beside the session check (one round trip on the way, not two), for the user id the
  // cookie names; it is used only once requireUser has accepted that session, so a signed-out or revoked
  // session still goes to sign-in, never to a workspace's 404.
  const claims = await readSessionClaims();
  const settled = (claims ? memberCtx(claims.userId, slug) : Promise.reject(new AppError("UNAUTHENTICATED"))).then(
    (ctx) => ({ ctx }),
    (error: unknown) => ({ error }),
  );
  const user = await requireUser();
  const member = await settled;
  try {
    if ("error" in member) throw member.error;
    if (member.ctx.userId !== user.id) throw new AppError("NOT_FOUND");
    if (!can(member.ctx.role, permission)) throw new AppError("FORBIDDEN");
    return { ...member.ctx, user };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (error instanceof AppError && error.code === "FORBIDDEN") redirect(`/w/${slug}/forbidden`);
    throw error;
  }
}
