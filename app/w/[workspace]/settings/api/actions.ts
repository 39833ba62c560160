"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/commands";
import { apiKeyIdSchema, createApiKeySchema } from "@/lib/api-keys/schema";

/** Returns the new key's token: the only time it leaves the server. */
export const createApiKeyAction = workspaceAction("api.manage", createApiKeySchema, async (ctx, input) => {
  const key = await createApiKey(ctx, input);
  revalidatePath(`/w/${ctx.workspace.slug}/settings/api`);
  return { token: key.token, name: key.name };
});

export const revokeApiKeyAction = workspaceAction("api.manage", apiKeyIdSchema, async (ctx, input) => {
  await revokeApiKey(ctx, input.apiKeyId);
  revalidatePath(`/w/${ctx.workspace.slug}/settings/api`);
});
