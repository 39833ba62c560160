"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { subscriptionSchema } from "@/lib/reports/schema";
import { setReportSubscription } from "@/lib/reports/subscriptions";

/** Subscribe (or unsubscribe) the caller to the monthly pack: the review by email on the 1st of each month. */
export const setReportSubscriptionAction = workspaceAction("reports.subscribe", subscriptionSchema, async (ctx, input) => {
  const result = await setReportSubscription(ctx, input.subscribed);
  revalidatePath(`/w/${ctx.workspace.slug}/reports`, "layout");
  return result;
});
