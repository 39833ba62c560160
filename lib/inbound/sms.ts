import "server-only";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { messages } from "@/db/schema";
import type { Db } from "@/db/types";
import { unsubscribeContact } from "../sequences/commands";
import { isSmsOptOut, normalizePhone } from "./classify";
import { handleMatched, type InboundResult } from "./email";

/*
 * Inbound SMS (POST /api/inbound/sms), in the shape Twilio-compatible providers post: From, To, Body, MessageSid.
 * Matched to the latest sequence SMS sent to that number; STOP (and the other standard keywords) unsubscribes
 * every contact texted at that number, anything else is a reply. Recorded once per MessageSid.
 */
export async function receiveInboundSms(db: Db, now: Date, input: { from: string; body: string; sid: string }): Promise<InboundResult> {
  const phone = normalizePhone(input.from);
  if (!phone) return { matched: false };
  // Sent SMS keep the number as the contact's record had it: compare both reduced to + and digits.
  const [outbound] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.channel, "sms"), isNotNull(messages.sentAt), sql`regexp_replace(${messages.toAddress}, '[^0-9+]', '', 'g') = ${phone}`))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  if (!outbound) return { matched: false };
  const optOut = isSmsOptOut(input.body);
  // One transaction: an opt-out is recorded exactly when it took effect, so a provider's retry after a failure
  // is not mistaken for a duplicate of an opt-out that never happened.
  return db.transaction(async (tx) => {
    const result = await handleMatched(tx, now, outbound, { channel: "sms", kind: optOut ? "opt_out" : "reply", from: input.from, subject: "", text: input.body.slice(0, 2000), externalId: input.sid || `sms:${phone}:${now.getTime()}` });
    if (optOut && !result.duplicate) {
      // STOP is about the number: every contact we texted at it (in any workspace sending from this number).
      const texted = await tx
        .selectDistinct({ workspaceId: messages.workspaceId, contactId: messages.contactId })
        .from(messages)
        .where(and(eq(messages.channel, "sms"), isNotNull(messages.sentAt), sql`regexp_replace(${messages.toAddress}, '[^0-9+]', '', 'g') = ${phone}`));
      for (const c of texted) await unsubscribeContact(tx, { workspaceId: c.workspaceId, userId: "", now }, c.contactId);
    }
    return result;
  });
}
