import "server-only";
import { eq } from "drizzle-orm";
import { workspaces } from "@/db/schema";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { z } from "../validation";
import { CUSTOMER_LIFESPAN_MONTHS } from "./math";

/** Settings → General → Customer lifetime value: the lifespan of a one-time customer, in whole months. */
export const customerLifespanSchema = z.object({
  customerLifespanMonths: z.coerce
    .number({ error: "errors.invalidLifespan" })
    .int("errors.invalidLifespan")
    .min(CUSTOMER_LIFESPAN_MONTHS.min, "errors.invalidLifespan")
    .max(CUSTOMER_LIFESPAN_MONTHS.max, "errors.invalidLifespan"),
});

/**
 * The workspace's lifespan of one-time customers, in months. Read from the table (not from ctx.workspace) so every
 * caller of the CLV — review page, export, API, monthly pack, however its context was built — uses the same value.
 */
export async function customerLifespanMonths(ctx: Pick<Ctx, "db" | "workspaceId">): Promise<number> {
  const [row] = await ctx.db.select({ months: workspaces.customerLifespanMonths }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return row?.months ?? CUSTOMER_LIFESPAN_MONTHS.default;
}

export async function setCustomerLifespanMonths(ctx: Ctx, input: z.output<typeof customerLifespanSchema>): Promise<void> {
  assertCan(ctx, "settings.manage");
  await ctx.db.transaction(async (tx) => {
    await tx.update(workspaces).set({ customerLifespanMonths: input.customerLifespanMonths }).where(eq(workspaces.id, ctx.workspaceId));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "workspace.updated", details: input, at: ctx.now });
  });
}
