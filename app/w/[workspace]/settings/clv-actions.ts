"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { customerLifespanSchema, setCustomerLifespanMonths } from "@/lib/reports/settings";

/** Settings → General → Customer lifetime value: the lifespan of one-time customers (owners and admins). */
export const updateCustomerLifespanAction = workspaceAction("settings.manage", customerLifespanSchema, async (ctx, input) => {
  await setCustomerLifespanMonths(ctx, input);
  revalidatePath(`/w/${ctx.workspace.slug}/settings`);
  revalidatePath(`/w/${ctx.workspace.slug}/reports`, "layout");
});
