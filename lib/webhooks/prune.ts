import { and, inArray, lt, ne } from "drizzle-orm";
import { webhookDeliveries } from "@/db/schema";
import type { JobHandler } from "../jobs/types";

/** Settled deliveries (delivered or failed) stay in the log this long. */
export const KEEP_WEBHOOK_DELIVERIES_DAYS = 30;
const BATCH = 5_000;

/** `webhook-deliveries-prune` (hourly): drops settled deliveries older than KEEP_WEBHOOK_DELIVERIES_DAYS. */
export const pruneWebhookDeliveriesJob: JobHandler = {
  async run({ db, now }) {
    const cutoff = new Date(now.getTime() - KEEP_WEBHOOK_DELIVERIES_DAYS * 86_400_000);
    const old = db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(lt(webhookDeliveries.createdAt, cutoff), ne(webhookDeliveries.status, "pending")))
      .limit(BATCH);
    await db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, old));
  },
};
