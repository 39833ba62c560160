import "server-only";
import { createHash } from "node:crypto";
import { simpleParser, type AddressObject } from "mailparser";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { contacts, inboundMessages, messages, sequenceEnrollments, sequences } from "@/db/schema";
import type { Db } from "@/db/types";
import { emitEvent } from "../events/emit";
import { endEnrollment, pauseEnrollment } from "../sequences/commands";
import { classifyInboundEmail, messageIdsIn, type InboundEmailKind } from "./classify";

/*
 * Inbound email (POST /api/inbound/email): a raw MIME message as mail providers' inbound webhooks deliver it.
 * Matched to the sequence email it answers by In-Reply-To / References (and, for bounces, by our Message-ID
 * quoted in the delivery report), else by the sender's address with a live enrollment. Recorded once per
 * inbound Message-ID, so a redelivered webhook changes nothing.
 */

export type InboundResult =
  | { matched: false }
  | { matched: true; duplicate: boolean; kind: InboundEmailKind; workspaceId: string; contactId: string; enrollmentId: string | null };

const OUR_ID = /<?seq\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^<>\s]+>?/gi;

export type OutboundRow = typeof messages.$inferSelect;

async function matchByIds(db: Db, ids: string[]): Promise<OutboundRow | null> {
  if (ids.length === 0) return null;
  const [row] = await db.select().from(messages).where(inArray(messages.messageIdHeader, ids)).orderBy(desc(messages.createdAt)).limit(1);
  return row ?? null;
}

/** The sequence email a bounce report is about: our Message-ID quoted anywhere in the report. */
async function matchQuoted(db: Db, raw: string): Promise<OutboundRow | null> {
  const ids = [...new Set([...raw.matchAll(OUR_ID)].map((m) => m[1]!.toLowerCase()))];
  if (ids.length === 0) return null;
  const [row] = await db.select().from(messages).where(inArray(messages.id, ids.slice(0, 20))).orderBy(desc(messages.createdAt)).limit(1);
  return row ?? null;
}

/**
 * Fallback: the latest sequence email sent to this address whose enrollment is still live — only when those
 * live enrollments are all in one workspace. A person in two tenants' sequences who answers without the
 * threading headers cannot be told apart: the message is left unmatched rather than shown to the wrong tenant.
 */
async function matchBySender(db: Db, from: string): Promise<OutboundRow | null> {
  const rows = await db
    .select({ m: messages })
    .from(messages)
    .innerJoin(sequenceEnrollments, eq(sequenceEnrollments.id, messages.enrollmentId))
    .where(
      and(
        eq(messages.channel, "email"),
        sql`lower(${messages.toAddress}) = ${from.toLowerCase()}`,
        isNotNull(messages.sentAt),
        inArray(sequenceEnrollments.status, ["active", "paused"]),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(50);
  if (new Set(rows.map((r) => r.m.workspaceId)).size !== 1) return null;
  return rows[0]!.m;
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0]?.address?.toLowerCase() ?? "";

/** Parses and handles one inbound email. */
export async function receiveInboundEmail(db: Db, now: Date, raw: string | Buffer): Promise<InboundResult> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const source = typeof raw === "string" ? raw : raw.toString("utf8");
  const from = firstAddress(parsed.from);
  const subject = parsed.subject ?? "";
  const headers = { get: (name: string) => { const v = parsed.headers.get(name.toLowerCase()); return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v); } };
  const contentType = parsed.headers.get("content-type") as { value?: string; params?: Record<string, string> } | undefined;
  const kind = classifyInboundEmail(
    { get: (name) => (name === "content-type" && contentType ? `${contentType.value ?? ""}; ${Object.entries(contentType.params ?? {}).map(([k, v]) => `${k}=${v}`).join("; ")}` : headers.get(name)) },
    subject,
    from,
  );
  const threadIds = [...messageIdsIn(parsed.inReplyTo), ...messageIdsIn(parsed.references)];
  const outbound = (await matchByIds(db, threadIds)) ?? (kind === "bounce" ? await matchQuoted(db, source) : null) ?? (kind !== "bounce" && from ? await matchBySender(db, from) : null);
  if (!outbound) return { matched: false };
  const externalId = parsed.messageId ?? `sha256:${createHash("sha256").update(source).digest("hex")}`;
  return handleMatched(db, now, outbound, { channel: "email", kind, from: from || outbound.toAddress, subject, text: (parsed.text ?? "").slice(0, 20_000), externalId });
}

/**
 * What an answer to an outbound sequence message does (email and SMS alike), in one transaction:
 * records it (once per external id), then — reply: stops the enrollment as replied (and, when the sequence says
 * so, the live enrollments of the contact's colleagues), marks the message replied, emits
 * contact.email_replied / contact.sms_replied; bounce: marks the message bounced and stops the enrollment as
 * bounced (when the sequence stops on bounces), emits contact.email_bounced; auto-reply: pauses the enrollment
 * for the sequence's configured days.
 */
export async function handleMatched(
  db: Db,
  now: Date,
  outbound: OutboundRow,
  inbound: { channel: "email" | "sms"; kind: InboundEmailKind | "opt_out"; from: string; subject: string; text: string; externalId: string },
): Promise<InboundResult & { matched: true }> {
  return db.transaction(async (tx) => {
    const ctx = { workspaceId: outbound.workspaceId, userId: "", now };
    const [recorded] = await tx
      .insert(inboundMessages)
      .values({
        workspaceId: outbound.workspaceId,
        channel: inbound.channel,
        kind: inbound.kind,
        contactId: outbound.contactId,
        enrollmentId: outbound.enrollmentId,
        messageId: outbound.id,
        fromAddress: inbound.from.slice(0, 320),
        subject: inbound.subject.slice(0, 500),
        text: inbound.text,
        externalId: inbound.externalId.slice(0, 500),
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: inboundMessages.id });
    const base = { matched: true as const, kind: inbound.kind === "opt_out" ? ("reply" as const) : inbound.kind, workspaceId: outbound.workspaceId, contactId: outbound.contactId, enrollmentId: outbound.enrollmentId };
    if (!recorded) return { ...base, duplicate: true };
    const [enrollment] = await tx
      .select({ e: sequenceEnrollments, seq: sequences })
      .from(sequenceEnrollments)
      .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
      .where(eq(sequenceEnrollments.id, outbound.enrollmentId));
    const data = { sequenceId: enrollment?.seq.id ?? null, enrollmentId: outbound.enrollmentId, messageId: outbound.id };

    if (inbound.kind === "bounce") {
      await tx.update(messages).set({ bouncedAt: now }).where(eq(messages.id, outbound.id));
      if (enrollment?.seq.stopOnBounce) await endEnrollment(tx, outbound.workspaceId, outbound.enrollmentId, "bounced", "bounced", now);
      await emitEvent(tx, ctx, { type: "contact.email_bounced", subjectId: outbound.contactId, data, actorId: null });
      return { ...base, duplicate: false };
    }
    if (inbound.kind === "auto_reply") {
      const days = enrollment?.seq.autoReplyPauseDays ?? 3;
      if (enrollment?.e.status === "active") await pauseEnrollment(tx, outbound.workspaceId, outbound.enrollmentId, new Date(now.getTime() + days * 86_400_000));
      return { ...base, duplicate: false };
    }
    // An SMS opt-out is the caller's to handle (it unsubscribes the contact, which ends the enrollment as such).
    if (inbound.kind === "opt_out") return { ...base, duplicate: false };
    // A person's reply.
    await tx.update(messages).set({ repliedAt: now }).where(and(eq(messages.id, outbound.id), sql`${messages.repliedAt} is null`));
    const live = enrollment && ["active", "paused"].includes(enrollment.e.status);
    if (live) await endEnrollment(tx, outbound.workspaceId, outbound.enrollmentId, "replied", "replied", now);
    // A reply after the last step still counts as the enrollment's reply.
    else if (enrollment?.e.status === "completed") await tx.update(sequenceEnrollments).set({ status: "replied", stopReason: "replied" }).where(eq(sequenceEnrollments.id, outbound.enrollmentId));
    if (enrollment?.seq.stopCompanyOnReply) {
      const [contact] = await tx.select({ companyId: contacts.companyId }).from(contacts).where(eq(contacts.id, outbound.contactId));
      if (contact?.companyId) {
        const colleagues = await tx
          .select({ id: sequenceEnrollments.id })
          .from(sequenceEnrollments)
          .innerJoin(contacts, eq(contacts.id, sequenceEnrollments.contactId))
          .where(
            and(
              eq(sequenceEnrollments.workspaceId, outbound.workspaceId),
              eq(contacts.companyId, contact.companyId),
              inArray(sequenceEnrollments.status, ["active", "paused"]),
            ),
          );
        for (const c of colleagues) await endEnrollment(tx, outbound.workspaceId, c.id, "stopped", "company_replied", now);
      }
    }
    await emitEvent(tx, ctx, { type: inbound.channel === "email" ? "contact.email_replied" : "contact.sms_replied", subjectId: outbound.contactId, data, actorId: null });
    return { ...base, duplicate: false };
  });
}
