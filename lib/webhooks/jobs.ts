import type { JobHandlers } from "../jobs/types";
import { WEBHOOK_DISABLED_NOTICE_JOB, webhookDeliveryJob, webhookDisabledNoticeJob } from "./deliver";
import { WEBHOOK_DELIVERY_JOB } from "./fanout";
import { pruneWebhookDeliveriesJob } from "./prune";

export const webhookJobHandlers: JobHandlers = {
  [WEBHOOK_DELIVERY_JOB]: webhookDeliveryJob,
  [WEBHOOK_DISABLED_NOTICE_JOB]: webhookDisabledNoticeJob,
  "webhook-deliveries-prune": pruneWebhookDeliveriesJob,
};
