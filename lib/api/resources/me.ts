import "server-only";
import { eq } from "drizzle-orm";
import { apiKeys, users } from "@/db/schema";
import { z } from "../../validation";
import { defineOperation } from "../operation";

export const meSchema = z.object({
  workspace: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), currency: z.string(), timeZone: z.string(), dealVisibility: z.enum(["all", "own"]) }),
  member: z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.enum(["owner", "admin", "manager", "rep"]) }),
  key: z.object({ id: z.uuid(), name: z.string(), prefix: z.string(), mayWriteHistory: z.boolean().describe("Whether this key may send `at`.") }),
});

export const meOp = defineOperation({
  method: "GET",
  path: "/me",
  operationId: "getMe",
  summary: "Who this key acts as",
  description: "The key's workspace and the member it acts as (with their current role), to check a key.",
  tag: "Keys",
  permission: "workspace.read",
  response: meSchema,
  async run(ctx) {
    const [member] = await ctx.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, ctx.userId));
    const [key] = await ctx.db.select({ name: apiKeys.name, prefix: apiKeys.prefix }).from(apiKeys).where(eq(apiKeys.id, ctx.apiKey.id));
    const admin = (role: string) => role === "owner" || role === "admin";
    return {
      workspace: ctx.workspace,
      member: { id: ctx.userId, name: member!.name, email: member!.email, role: ctx.role },
      key: { id: ctx.apiKey.id, name: key!.name, prefix: key!.prefix, mayWriteHistory: admin(ctx.role) && admin(ctx.apiKey.createdByRole) },
    };
  },
});
