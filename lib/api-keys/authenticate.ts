import { and, eq, isNull, lt, lte, or } from "drizzle-orm";
import { apiKeys, memberships, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import type { Role } from "../auth/permissions";
import { hashApiToken, API_KEY_PREFIX } from "./token";

export type ApiKeyCtx = Ctx & { apiKey: { id: string; createdByRole: Role } };

/** last_used_at is written at most once a minute per key, so a busy key does not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The context of a request carrying `Authorization: Bearer pw_…`: the key's workspace and the member who created
 * it, with that member's *current* role (a demoted or removed member's keys lose those rights at once). Null for
 * a missing, unknown or revoked key, or one whose creator is no longer a member — or left and was added again
 * since (removal ends a member's keys for good).
 */
export async function authenticateApiKey(db: Db, authorization: string | null, now: Date): Promise<ApiKeyCtx | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const token = match?.[1];
  if (!token || !token.startsWith(API_KEY_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      createdByRole: apiKeys.createdByRole,
      lastUsedAt: apiKeys.lastUsedAt,
      userId: apiKeys.createdBy,
      role: memberships.role,
      workspace: { id: workspaces.id, slug: workspaces.slug, name: workspaces.name, timeZone: workspaces.timeZone, currency: workspaces.currency, dealVisibility: workspaces.dealVisibility },
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    // The membership must be the one the key was created under: a member removed and invited again later does
    // not get their old keys back (the new membership is younger than the key).
    .innerJoin(memberships, and(eq(memberships.workspaceId, apiKeys.workspaceId), eq(memberships.userId, apiKeys.createdBy), lte(memberships.createdAt, apiKeys.createdAt)))
    .where(and(eq(apiKeys.tokenHash, hashApiToken(token)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const cutoff = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, cutoff))));
  }
  return {
    db,
    workspaceId: row.workspace.id,
    userId: row.userId,
    role: row.role as Role,
    now,
    workspace: row.workspace,
    apiKey: { id: row.keyId, createdByRole: row.createdByRole as Role },
  };
}
