import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { hashApiToken, newApiToken, tokenPrefix } from "./token";

/**
 * Creates a key for the calling member (it will act as them). Returns the token — the only time it exists in
 * clear: the database keeps its hash.
 */
export async function createApiKey(ctx: Ctx, input: { name: string }): Promise<{ id: string; name: string; prefix: string; token: string }> {
  assertCan(ctx, "api.manage");
  const token = newApiToken();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId: ctx.workspaceId, name: input.name, prefix: tokenPrefix(token), tokenHash: hashApiToken(token), createdBy: ctx.userId, createdByRole: ctx.role, createdAt: ctx.now })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "api_key.created", targetType: "api_key", targetId: row!.id, details: { name: input.name }, at: ctx.now });
    return { ...row!, token };
  });
}

/** Revokes a key of this workspace (another workspace's key is NOT_FOUND). Revoking twice is a no-op. */
export async function revokeApiKey(ctx: Ctx, apiKeyId: string): Promise<void> {
  assertCan(ctx, "api.manage");
  await ctx.db.transaction(async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.workspaceId, ctx.workspaceId)));
    if (!key) throw new AppError("NOT_FOUND");
    if (key.revokedAt) return;
    await tx
      .update(apiKeys)
      .set({ revokedAt: ctx.now, revokedBy: ctx.userId })
      .where(and(eq(apiKeys.id, apiKeyId), isNull(apiKeys.revokedAt)));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "api_key.revoked", targetType: "api_key", targetId: key.id, details: { name: key.name }, at: ctx.now });
  });
}
