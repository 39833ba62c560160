import "server-only";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { messages, sequenceEnrollments } from "@/db/schema";
import type { Db } from "@/db/types";
import { unsubscribeContact } from "../sequences/commands";
import { isSmsOptOut, normalizePhone } from "./classify";
import { handleMatched, type InboundResult, type OutboundRow } from "./email";

/*
 * Inbound SMS (POST /api/inbound/sms), in the shape Twilio-compatible providers post: From, To, Body, MessageSid.
 * Matched to the latest sequence SMS sent to that number (see matchSms: never across workspaces); STOP (and
 * the other standard keywords) unsubscribes every contact texted at that number, anything else is a reply.
 * Recorded once per MessageSid.
 */
export async function receiveInboundSms(db: Db, now: Date, input: { from: string; body: string; sid: string }): Promise<InboundResult> {
  const phone = normalizePhone(input.from);
  if (!phone) return { matched: false };
  const optOut = isSmsOptOut(input.body);
  const outbound = await matchSms(db, phone, optOut);
  if (!outbound) return { matched: false };
  // One transaction: an opt-out is recorded exactly when it took effect, so a provider's retry after a failure
  // is not mistaken for a duplicate of an opt-out that never happened.
  return db.transaction(async (tx) => {
    const result = await handleMatched(tx, now, outbound, { channel: "sms", kind: optOut ? "opt_out" : "reply", from: input.from, subject: "", text: input.body.slice(0, 2000), externalId: input.sid || `sms:${phone}:${now.getTime()}` });
    if (optOut && !result.duplicate) {
      // STOP is about the number: every contact we texted at it (in any workspace sending from this number).
      const texted = await tx
        .selectDistinct({ workspaceId: messages.workspaceId, contactId: messages.contactId })
        .from(messages)
        .where(sentTo(phone));
      for (const c of texted) await unsubscribeContact(tx, { workspaceId: c.workspaceId, userId: "", now }, c.contactId);
    }
    return result;
  });
}

/** Sent SMS keep the number as the contact's record had it: compared reduced to + and digits. */
const sentTo = (phone: string) => and(eq(messages.channel, "sms"), isNotNull(messages.sentAt), sql`regexp_replace(${messages.toAddress}, '[^0-9+]', '', 'g') = ${phone}`);

/**
 * The sequence SMS a text from `phone` answers. Every workspace texts from the same sender number (SMS_FROM)
 * and an SMS carries no thread, so the number is all there is: the latest SMS to it among live enrollments
 * (active, paused), else among all — but only when those are all in one workspace. A number two tenants texted
 * is left unmatched rather than filing one tenant's prospect's words in the other's inbox (and stopping the
 * wrong sequence), as inbound email's sender fallback does. An opt-out is the exception: STOP is about the
 * number, so it is taken against the latest SMS and unsubscribes the contact in every workspace that texted it.
 */
async function matchSms(db: Db, phone: string, optOut: boolean): Promise<OutboundRow | null> {
  // SMS sent to the number (by live enrollments only, or by any)
  const sent = (live: boolean) => and(sentTo(phone), live ? inArray(sequenceEnrollments.status, ["active", "paused"]) : undefined);
  const latest = (live: boolean) =>
    db.select({ m: messages }).from(messages).innerJoin(sequenceEnrollments, eq(sequenceEnrollments.id, messages.enrollmentId)).where(sent(live)).orderBy(desc(messages.createdAt)).limit(1);
  // Whether those SMS went out from more than one workspace.
  const spansWorkspaces = async (live: boolean) => {
    const [row] = await db
      .select({ n: sql<number>`count(distinct ${messages.workspaceId})::int` })
      .from(messages)
      .innerJoin(sequenceEnrollments, eq(sequenceEnrollments.id, messages.enrollmentId))
      .where(sent(live));
    return Number(row?.n ?? 0) > 1;
  };
  const [newest] = await latest(false);
  if (!newest) return null;
  if (optOut) return newest.m;
  const [live] = await latest(true);
  if (live) return (await spansWorkspaces(true)) ? null : live.m;
  return (await spansWorkspaces(false)) ? null : newest.m;
}
