import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { memberships, notifications, users, webhookDeliveries, webhookSubscriptions, workspaces } from "@/db/schema";
import enWebhooks from "../i18n/messages/en/webhooks.json";
import zhWebhooks from "../i18n/messages/zh-CN/webhooks.json";
import { enqueueJob } from "../jobs/enqueue";
import type { JobHandler } from "../jobs/types";
import { PermanentJobError } from "../jobs/types";
import { sendMail } from "../mail/send";
import { appUrl } from "../app-url";
import { deliverWebhook } from "../workflows/webhook";

/** Deliveries that use up their retries in a row before the subscription is disabled (and admins told). */
export const WEBHOOK_DISABLE_AFTER = 5;
export const WEBHOOK_DISABLED_NOTICE_JOB = "webhook-disabled-notice";

/** The HTTP status a failed attempt got, when it got one ("webhook answered HTTP 503" → 503). */
const statusOf = (error: unknown) => {
  const match = /HTTP (\d{3})/.exec(error instanceof Error ? error.message : "");
  return match ? Number(match[1]) : null;
};

/**
 * `webhook-delivery` { deliveryId }: POSTs one delivery, signed, and logs the attempt (status, response code,
 * error). Not transactional (no transaction is held open over HTTP); a crash between the POST and the log
 * resends it with the same X-Pipewise-Delivery id, which receivers use to drop repeats. Failures are retried
 * with the engine's backoff; 4xx answers (except 408/429) and private targets are permanent.
 */
export const webhookDeliveryJob: JobHandler = {
  transactional: false,
  async run({ db, job, now }) {
    const deliveryId = String(job.payload.deliveryId ?? "");
    const [row] = await db
      .select({ delivery: webhookDeliveries, url: webhookSubscriptions.url, secret: webhookSubscriptions.secret, enabled: webhookSubscriptions.enabled })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .where(eq(webhookDeliveries.id, deliveryId));
    if (!row || row.delivery.status !== "pending") return; // deleted with its subscription, or already settled
    if (!row.enabled) throw new PermanentJobError("subscription is disabled");
    const d = row.delivery;
    try {
      const { status } = await deliverWebhook({ url: row.url, secret: row.secret, deliveryId: d.id, event: d.event, body: { id: d.id, ...d.payload } }, now);
      await db.transaction(async (tx) => {
        await tx
          .update(webhookDeliveries)
          .set({ status: "succeeded", attempts: job.attempts, responseStatus: status, lastError: null, lastAttemptAt: now, deliveredAt: now })
          .where(eq(webhookDeliveries.id, d.id));
        await tx.update(webhookSubscriptions).set({ consecutiveFailures: 0 }).where(eq(webhookSubscriptions.id, d.subscriptionId));
      });
    } catch (error) {
      await db
        .update(webhookDeliveries)
        .set({ attempts: job.attempts, responseStatus: statusOf(error), lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500), lastAttemptAt: now })
        .where(eq(webhookDeliveries.id, d.id));
      throw error;
    }
  },
  /**
   * The delivery gave up: logged as failed; the WEBHOOK_DISABLE_AFTER-th in a row disables the subscription and
   * tells the owners and admins (a notice in their bell, and an email).
   */
  async onDead({ db, job, now }, error) {
    const deliveryId = String(job.payload.deliveryId ?? "");
    const [d] = await db
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: error.slice(0, 500) })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")))
      .returning();
    if (!d) return;
    const [sub] = await db
      .update(webhookSubscriptions)
      .set({ consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` })
      .where(and(eq(webhookSubscriptions.id, d.subscriptionId), eq(webhookSubscriptions.enabled, true))) // a disabled one's drops do not count
      .returning();
    if (sub && sub.consecutiveFailures >= WEBHOOK_DISABLE_AFTER) {
      await db.update(webhookSubscriptions).set({ enabled: false, disabledAt: now, updatedAt: now }).where(eq(webhookSubscriptions.id, sub.id));
      // The bell of every owner and admin, in their language (the email below says the same).
      const admins = await db
        .select({ userId: memberships.userId, locale: users.locale })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.workspaceId, sub.workspaceId), inArray(memberships.role, ["owner", "admin"])));
      if (admins.length) {
        await db
          .insert(notifications)
          .values(
            admins.map((a) => ({
              workspaceId: sub.workspaceId,
              userId: a.userId,
              kind: "message" as const,
              message: (a.locale === "zh-CN" ? zhWebhooks : enWebhooks).disabledNotice.replace("{url}", sub.url).replace("{count}", String(WEBHOOK_DISABLE_AFTER)),
              link: "settings/webhooks",
              dedupeKey: `webhook-disabled:${sub.id}:${now.getTime()}:${a.userId}`,
              createdAt: now,
            })),
          )
          .onConflictDoNothing();
      }
      await enqueueJob(db, { kind: WEBHOOK_DISABLED_NOTICE_JOB, payload: { subscriptionId: sub.id }, runAt: now, workspaceId: sub.workspaceId, idempotencyKey: `webhook-disabled:${sub.id}:${now.getTime()}`, maxAttempts: 3 });
    }
  },
};

/**
 * `webhook-disabled-notice` { subscriptionId }: emails the workspace's owners and admins that a webhook was
 * disabled after repeated failures (captured in the server log without SMTP). The Webhooks page shows it too.
 */
export const webhookDisabledNoticeJob: JobHandler = {
  transactional: false,
  async run({ db, job }) {
    const [sub] = await db
      .select({ id: webhookSubscriptions.id, url: webhookSubscriptions.url, workspaceId: webhookSubscriptions.workspaceId, slug: workspaces.slug, name: workspaces.name })
      .from(webhookSubscriptions)
      .innerJoin(workspaces, eq(workspaces.id, webhookSubscriptions.workspaceId))
      .where(eq(webhookSubscriptions.id, String(job.payload.subscriptionId ?? "")));
    if (!sub) return;
    const admins = await db
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.workspaceId, sub.workspaceId), inArray(memberships.role, ["owner", "admin"])));
    const link = appUrl(`/w/${sub.slug}/settings/webhooks`);
    for (const admin of admins) {
      await sendMail({
        to: admin.email,
        subject: `Pipewise: a webhook of ${sub.name} was disabled`,
        text: `The webhook to ${sub.url} failed ${WEBHOOK_DISABLE_AFTER} deliveries in a row (each after all its retries), so Pipewise disabled it.\n\nCheck the receiver, then enable it again: ${link}\n`,
      });
    }
  },
};
