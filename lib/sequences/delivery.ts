import "server-only";
import { and, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import { contacts, messages, sequenceEnrollments } from "@/db/schema";
import type { Db } from "@/db/types";
import { senderAddresses, type SenderAddress } from "./merge";
import { defaultTransports, type DeliveryResult, type SequenceTransports } from "./transport";

/*
 * Delivery of rendered outbox rows (the sequence-deliver jobs), many at once: one claim for the batch, one read
 * of the enrollments' state, sends handed to the transports together (the SMTP pool keeps its connections busy),
 * and "sent" written as the sends complete, a few at a time, every write fenced by the claim's attempt number.
 */

/** How long a claimed outbox row stays ours before another runner may take it over. */
export const DELIVERY_LEASE_MS = 2 * 60_000;
/** Delivery attempts before a message is marked failed. */
export const DELIVERY_MAX_ATTEMPTS = 5;
/** Sends of one batch in flight at once (the SMTP pool queues beyond its connections; an SMS API gets this many requests). */
export const DELIVERY_CONCURRENCY = 50;
/**
 * Send results are written together once this many are in … (a SIGKILL sends again what the SMTP server has
 * accepted and the outbox does not yet call "sent": about this many, plus what arrives during one write).
 */
const WRITE_EVERY = 10;
/**
 * … or this long after the first of them (ms). Writing each result alone cut the rate by a third on PGlite
 * (520 → 336/s at 1,000 emails); 25 results or 5 ms kept it but left up to 25 in that window; 10 or 2 ms cost
 * ~5 %: at ~1,000 sends a second only ~4 results were in after 2 ms, so a write (a statement's fixed ~0.6 ms
 * on PGlite) was made per 4 emails. 10 or 5 ms (2026-11-28, 3,000 emails, interleaved): ~7 results a write,
 * 45 % fewer writes, PGlite's time per email 0.57–0.72 → 0.48–0.51 ms. The window stays bounded by WRITE_EVERY; the time
 * only delays the last few results of a batch.
 */
const WRITE_AFTER_MS = 5;

export type DeliveryOutcome = "sent" | "captured" | "cancelled" | "not_claimed" | "retry" | "failed";

/** What became of one message: `retry` carries the transport's error (the message is queued again). */
export type Delivery = { outcome: Exclude<DeliveryOutcome, "retry"> } | { outcome: "retry"; error: unknown };

type Claimed = typeof messages.$inferSelect;
type Settled = { m: Claimed; result: DeliveryResult } | { m: Claimed; error: unknown };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Sends outbox messages, each at most once per successful claim: queued → sending (lease) → sent | captured,
 * or back to queued on an error (its job retries with backoff) and failed after DELIVERY_MAX_ATTEMPTS. A message
 * whose enrollment stopped, or whose contact unsubscribed, in the meantime is cancelled instead. A message
 * that is not queued (sent, cancelled, or claimed by a live delivery) is `not_claimed` and left alone.
 *
 * The claim is one UPDATE … RETURNING for the batch; the sends run DELIVERY_CONCURRENCY at a time; results are
 * written while later sends are in flight, WRITE_EVERY at a time or WRITE_AFTER_MS after the first (results that
 * arrive during a write go together in the next one), so the messages the SMTP server has accepted but the outbox
 * does not yet call "sent" — the ones a SIGKILL would send twice (decision 29) — are a few, not the whole batch.
 * Every write is fenced by (id, attempts): a runner whose claim was taken over writes nothing.
 */
export async function deliverMessages(db: Db, now: Date, messageIds: string[], transports: SequenceTransports = defaultTransports): Promise<Map<string, Delivery>> {
  const out = new Map<string, Delivery>(messageIds.map((id) => [id, { outcome: "not_claimed" }]));
  if (messageIds.length === 0) return out;
  // The reads before the sends in one transaction: on PGlite (one connection) it is one turn, so the sends start
  // before a concurrent batch's transaction takes the connection for its own.
  const prepared = await db.transaction(async (tx) => {
    const claimed = await tx
      .update(messages)
      .set({ status: "sending", attempts: sql`${messages.attempts} + 1`, claimedUntil: new Date(now.getTime() + DELIVERY_LEASE_MS) })
      .where(and(inArray(messages.id, messageIds), or(eq(messages.status, "queued"), and(eq(messages.status, "sending"), lt(messages.claimedUntil, now)))))
      .returning();
    if (claimed.length === 0) return null;
    const states = await tx
      .select({ id: sequenceEnrollments.id, unsubscribedAt: contacts.unsubscribedAt, status: sequenceEnrollments.status })
      .from(sequenceEnrollments)
      .innerJoin(contacts, eq(contacts.id, sequenceEnrollments.contactId))
      .where(inArray(sequenceEnrollments.id, [...new Set(claimed.map((m) => m.enrollmentId))]));
    const stateOf = new Map(states.map((st) => [st.id, st]));
    const live = (m: Claimed) => {
      const state = stateOf.get(m.enrollmentId);
      return !!state && !state.unsubscribedAt && ["active", "paused", "completed"].includes(state.status);
    };
    const cancelled = claimed.filter((m) => !live(m));
    if (cancelled.length) await tx.update(messages).set({ status: "cancelled", claimedUntil: null }).where(fenced(cancelled));
    const toSend = claimed.filter(live);
    const senders = new Map<string, Map<string | null, SenderAddress>>();
    for (const workspaceId of new Set(toSend.filter((m) => m.channel === "email").map((m) => m.workspaceId))) {
      senders.set(workspaceId, await senderAddresses(tx, workspaceId, toSend.filter((m) => m.workspaceId === workspaceId).map((m) => m.senderId)));
    }
    return { cancelled, toSend, senders };
  });
  if (!prepared) return out;
  const { cancelled, toSend, senders } = prepared;
  for (const m of cancelled) out.set(m.id, { outcome: "cancelled" });
  if (toSend.length === 0) return out;

  // Results are written while later sends are still in flight: one write at a time, each taking what arrived.
  const pending: Settled[] = [];
  let writer: Promise<void> | null = null;
  let writeError: { error: unknown } | null = null;
  let timer: NodeJS.Timeout | undefined;
  const write = (now_ = false) => {
    if (writer || writeError) return;
    // Not one write per result: on PGlite a write holds the event loop (and so the SMTP dialogues) for about a
    // millisecond. Results wait until WRITE_EVERY of them are in or WRITE_AFTER_MS after the first one.
    if (!now_ && pending.length < WRITE_EVERY) {
      timer ??= setTimeout(() => {
        timer = undefined;
        write(true);
      }, WRITE_AFTER_MS);
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    writer = (async () => {
      try {
        while (pending.length && !writeError) await writeResults(db, now, pending.splice(0));
      } catch (error) {
        writeError = { error };
      }
    })().finally(() => {
      writer = null;
      if (pending.length) write(); // arrived while the last write was finishing
    });
  };
  const send = async (m: Claimed) => {
    try {
      const result =
        m.channel === "email"
          ? await transports.email({
              from: senders.get(m.workspaceId)!.get(m.senderId)!,
              to: m.toAddress,
              subject: m.subject,
              text: m.text,
              html: m.html,
              messageId: m.messageIdHeader!,
              inReplyTo: m.inReplyTo,
              references: m.references,
              headers: m.headers,
            })
          : await transports.sms({ to: m.toAddress, body: m.text });
      pending.push({ m, result });
      out.set(m.id, { outcome: result.status });
    } catch (error) {
      pending.push({ m, error });
      out.set(m.id, m.attempts >= DELIVERY_MAX_ATTEMPTS ? { outcome: "failed" } : { outcome: "retry", error });
    }
    write();
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(DELIVERY_CONCURRENCY, toSend.length) }, async () => {
      while (next < toSend.length) await send(toSend[next++]!);
    }),
  );
  clearTimeout(timer);
  timer = undefined;
  while (writer) await writer;
  const failure = writeError as { error: unknown } | null; // set inside the writer's closure
  if (failure) throw failure.error;
  if (pending.length) await writeResults(db, now, pending.splice(0));
  return out;
}

/**
 * The rows as this delivery claimed them, and nobody since: `(id, attempts)` among the claims, passed as two
 * array parameters (a long row-constructor IN list can hang PGlite: a second one of a few hundred tuples did).
 */
function fenced(list: Pick<Claimed, "id" | "attempts">[]) {
  return sql`(${messages.id}, ${messages.attempts}) in (select * from unnest(${`{${list.map((m) => m.id).join(",")}}`}::uuid[], ${`{${list.map((m) => m.attempts).join(",")}}`}::int[]))`;
}

/**
 * Writes send results in one statement: sent/captured (with the provider's id for a sent SMS), or the error —
 * queued again for the job's retry, or failed once the attempts are used up. Fenced by (id, attempts).
 */
async function writeResults(db: Db, now: Date, settled: Settled[]): Promise<void> {
  if (settled.length === 0) return;
  const results = settled.map((s) => {
    if ("result" in s) return { id: s.m.id, attempts: s.m.attempts, status: s.result.status, ok: true, provider_id: s.result.status === "sent" ? s.result.providerId : null, last_error: null };
    return { id: s.m.id, attempts: s.m.attempts, status: s.m.attempts >= DELIVERY_MAX_ATTEMPTS ? "failed" : "queued", ok: false, provider_id: null, last_error: errorText(s.error) };
  });
  // One JSON parameter for the whole list (any text is safe in it; no statement grows with the list).
  await db.execute(sql`update ${messages} set
      status = v.status::message_status,
      sent_at = case when v.ok then ${now.toISOString()}::timestamptz else ${messages.sentAt} end,
      provider_id = case when v.ok then v.provider_id else ${messages.providerId} end,
      claimed_until = null,
      last_error = v.last_error
    from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as v(id uuid, attempts int, status text, ok boolean, provider_id text, last_error text)
    where ${messages.id} = v.id and ${messages.attempts} = v.attempts`);
}

/**
 * Sends one outbox message (deliverMessages for one): its outcome, or the transport's error thrown when the
 * message went back to the queue for a retry.
 */
export async function deliverMessage(db: Db, now: Date, messageId: string, transports: SequenceTransports = defaultTransports): Promise<DeliveryOutcome> {
  const delivery = (await deliverMessages(db, now, [messageId], transports)).get(messageId)!;
  if (delivery.outcome === "retry") throw delivery.error;
  return delivery.outcome;
}

/** Of these messages, those still "sending" under another delivery's live claim, with the claim's end. */
export async function claimedElsewhere(db: Db, now: Date, messageIds: string[]): Promise<Map<string, Date>> {
  if (messageIds.length === 0) return new Map();
  const held = await db
    .select({ id: messages.id, until: messages.claimedUntil })
    .from(messages)
    .where(and(inArray(messages.id, messageIds), eq(messages.status, "sending"), gt(messages.claimedUntil, now)));
  return new Map(held.map((m) => [m.id, m.until!]));
}
