import { lt, sql } from "drizzle-orm";
import { revokedSessions } from "@/db/schema";
import type { Db } from "@/db/types";
import { signOutEverywhere } from "../users/commands";
import type { SessionClaims } from "./session-token";

/** How long a revoked session's row outlives its cookie (Auth.js accepts a cookie 15 s past `exp`). */
const KEEP_AFTER_EXPIRY_MS = 60_000;

/** SQL: true when the session id was signed out (false for a cookie without an id); read with the user's row. */
export function sessionRevokedSql(sessionId: string | null | undefined) {
  return sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sid} = ${sessionId ?? null})`;
}

/**
 * Signs one session out for good: its id is recorded until its cookie expires, so a copy of the cookie is refused
 * as well (decision 57); rows of cookies that have expired anyway are dropped on the way. A cookie issued before
 * sessions had ids cannot be revoked alone: then every session of the user is (the session version goes up).
 */
export async function revokeSession(db: Db, claims: Pick<SessionClaims, "userId" | "sessionId" | "expiresAt">, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    if (!claims.sessionId) return signOutEverywhere(tx, claims.userId);
    await tx.insert(revokedSessions).values({ sid: claims.sessionId, userId: claims.userId, expiresAt: claims.expiresAt }).onConflictDoNothing();
    await tx.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS)));
  });
}
