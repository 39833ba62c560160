import "server-only";
import { desc, eq } from "drizzle-orm";
import { apiKeys, users } from "@/db/schema";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";

export type ApiKeyDTO = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  createdByName: string;
  createdByRole: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The workspace's keys, newest first (never the hash). */
export async function listApiKeys(ctx: Ctx): Promise<ApiKeyDTO[]> {
  assertCan(ctx, "api.manage");
  return ctx.db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      createdByName: users.name,
      createdByRole: apiKeys.createdByRole,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.workspaceId, ctx.workspaceId))
    .orderBy(desc(apiKeys.createdAt));
}
