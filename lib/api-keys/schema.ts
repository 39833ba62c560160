import { z } from "../validation";

export const createApiKeySchema = z.object({ name: z.string().trim().min(1).max(80) });
export const apiKeyIdSchema = z.object({ apiKeyId: z.uuid() });
