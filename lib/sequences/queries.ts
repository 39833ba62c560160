import "server-only";
import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import { contacts, deals, inboundMessages, messages, sequenceEnrollments, sequenceStepVariants, sequenceSteps, sequences, users } from "@/db/schema";
import type { Ctx } from "../context";
import { notFound } from "../errors";
import { visibleDeals } from "../deals/scope";
import { ownEnrollments } from "./scope";
import { customFieldKeys, loadMergeValues } from "./merge";
import { getSequenceStats, type SequenceStats } from "./stats";
import { checkTemplate, renderTemplate, renderEmailHtml } from "./template";

export type SequenceListItem = { id: string; name: string; description: string | null; stepCount: number; kinds: string[]; stats: SequenceStats | null; createdAt: Date };

export async function listSequences(ctx: Ctx): Promise<SequenceListItem[]> {
  const list = await ctx.db
    .select()
    .from(sequences)
    .where(and(eq(sequences.workspaceId, ctx.workspaceId), isNull(sequences.archivedAt)))
    .orderBy(asc(sequences.name));
  if (list.length === 0) return [];
  const steps = await ctx.db
    .select({ sequenceId: sequenceSteps.sequenceId, kind: sequenceSteps.kind })
    .from(sequenceSteps)
    .where(and(eq(sequenceSteps.workspaceId, ctx.workspaceId), inArray(sequenceSteps.sequenceId, list.map((s) => s.id))))
    .orderBy(asc(sequenceSteps.position));
  const stats = await getSequenceStats(ctx.db, ctx.workspaceId, { sequenceIds: list.map((s) => s.id) });
  return list.map((s) => {
    const mine = steps.filter((x) => x.sequenceId === s.id);
    return { id: s.id, name: s.name, description: s.description, stepCount: mine.length, kinds: [...new Set(mine.map((x) => x.kind))], stats: stats.find((x) => x.sequenceId === s.id) ?? null, createdAt: s.createdAt };
  });
}

export type SequenceDetail = typeof sequences.$inferSelect & {
  steps: (typeof sequenceSteps.$inferSelect & { variants: { id: string; subject: string; body: string }[] })[];
};

export async function getSequence(ctx: Ctx, sequenceId: string): Promise<SequenceDetail> {
  const [seq] = await ctx.db.select().from(sequences).where(and(eq(sequences.workspaceId, ctx.workspaceId), eq(sequences.id, sequenceId), isNull(sequences.archivedAt)));
  if (!seq) throw notFound();
  const steps = await ctx.db.select().from(sequenceSteps).where(and(eq(sequenceSteps.workspaceId, ctx.workspaceId), eq(sequenceSteps.sequenceId, seq.id))).orderBy(asc(sequenceSteps.position));
  const variants = steps.length
    ? await ctx.db.select().from(sequenceStepVariants).where(and(eq(sequenceStepVariants.workspaceId, ctx.workspaceId), inArray(sequenceStepVariants.stepId, steps.map((s) => s.id)))).orderBy(asc(sequenceStepVariants.position))
    : [];
  return { ...seq, steps: steps.map((s) => ({ ...s, variants: variants.filter((v) => v.stepId === s.id).map((v) => ({ id: v.id, subject: v.subject, body: v.body })) })) };
}

/** Live sequences to enroll into (id, name), for the enroll dialogs. */
export async function listSequenceOptions(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  return ctx.db.select({ id: sequences.id, name: sequences.name }).from(sequences).where(and(eq(sequences.workspaceId, ctx.workspaceId), isNull(sequences.archivedAt))).orderBy(asc(sequences.name));
}

export type EnrollmentRow = {
  id: string;
  sequenceId: string;
  sequenceName: string;
  contactId: string;
  contactName: string;
  contactEmail: string | null;
  ownerName: string | null;
  status: (typeof sequenceEnrollments.$inferSelect)["status"];
  stopReason: string | null;
  nextStep: number;
  nextRunAt: Date | null;
  pausedUntil: Date | null;
  enrolledAt: Date;
  endedAt: Date | null;
};

const enrollmentColumns = {
  id: sequenceEnrollments.id,
  sequenceId: sequenceEnrollments.sequenceId,
  sequenceName: sequences.name,
  contactId: contacts.id,
  contactName: sql<string>`trim(${contacts.firstName} || ' ' || ${contacts.lastName})`,
  contactEmail: contacts.email,
  ownerName: users.name,
  status: sequenceEnrollments.status,
  stopReason: sequenceEnrollments.stopReason,
  nextStep: sequenceEnrollments.nextStep,
  nextRunAt: sequenceEnrollments.nextRunAt,
  pausedUntil: sequenceEnrollments.pausedUntil,
  enrolledAt: sequenceEnrollments.enrolledAt,
  endedAt: sequenceEnrollments.endedAt,
};

/** Enrollments of a sequence, or of a contact, or of a deal (the deal's own and its contact's), newest first. */
export async function listEnrollments(ctx: Ctx, by: { sequenceId?: string; contactId?: string; dealId?: string }, limit = 200): Promise<EnrollmentRow[]> {
  let dealContact: string | null = null;
  if (by.dealId) {
    const [deal] = await ctx.db.select({ contactId: deals.contactId }).from(deals).where(and(visibleDeals(ctx), eq(deals.id, by.dealId)));
    if (!deal) return [];
    dealContact = deal.contactId;
  }
  return ctx.db
    .select(enrollmentColumns)
    .from(sequenceEnrollments)
    .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
    .innerJoin(contacts, eq(contacts.id, sequenceEnrollments.contactId))
    .leftJoin(users, eq(users.id, sequenceEnrollments.ownerId))
    .where(
      and(
        eq(sequenceEnrollments.workspaceId, ctx.workspaceId),
        ownEnrollments(ctx),
        by.sequenceId ? eq(sequenceEnrollments.sequenceId, by.sequenceId) : undefined,
        by.contactId ? eq(sequenceEnrollments.contactId, by.contactId) : undefined,
        by.dealId ? or(eq(sequenceEnrollments.dealId, by.dealId), dealContact ? eq(sequenceEnrollments.contactId, dealContact) : undefined) : undefined,
      ),
    )
    .orderBy(desc(sequenceEnrollments.enrolledAt))
    .limit(limit);
}

export type OutboxRow = {
  id: string;
  channel: "email" | "sms";
  status: (typeof messages.$inferSelect)["status"];
  toAddress: string;
  fromAddress: string;
  subject: string;
  text: string;
  messageIdHeader: string | null;
  createdAt: Date;
  sentAt: Date | null;
  repliedAt: Date | null;
  contactId: string;
  contactName: string;
  sequenceName: string;
  enrollmentStatus: (typeof sequenceEnrollments.$inferSelect)["status"];
  lastError: string | null;
};

/** The outbox: rendered sequence messages, newest first, optionally one status. */
export async function listOutbox(ctx: Ctx, filter: { status?: string } = {}, limit = 100): Promise<OutboxRow[]> {
  const statuses = ["queued", "sending", "sent", "captured", "failed", "cancelled"] as const;
  const status = statuses.find((s) => s === filter.status);
  return ctx.db
    .select({
      id: messages.id,
      channel: messages.channel,
      status: messages.status,
      toAddress: messages.toAddress,
      fromAddress: messages.fromAddress,
      subject: messages.subject,
      text: messages.text,
      messageIdHeader: messages.messageIdHeader,
      createdAt: messages.createdAt,
      sentAt: messages.sentAt,
      repliedAt: messages.repliedAt,
      contactId: contacts.id,
      contactName: sql<string>`trim(${contacts.firstName} || ' ' || ${contacts.lastName})`,
      sequenceName: sequences.name,
      enrollmentStatus: sequenceEnrollments.status,
      lastError: messages.lastError,
    })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .innerJoin(sequenceEnrollments, eq(sequenceEnrollments.id, messages.enrollmentId))
    .innerJoin(sequences, eq(sequences.id, sequenceEnrollments.sequenceId))
    .where(and(eq(messages.workspaceId, ctx.workspaceId), ownEnrollments(ctx), status ? eq(messages.status, status) : undefined))
    .orderBy(desc(messages.createdAt))
    .limit(limit);
}

export type TimelineEntry =
  | { kind: "sent"; at: Date; channel: "email" | "sms"; subject: string; text: string; sequenceName: string; status: string }
  | { kind: "inbound"; at: Date; channel: "email" | "sms"; inboundKind: string; subject: string; text: string }
  | { kind: "enrolled" | "ended"; at: Date; sequenceName: string; status: string; reason: string | null };

/** Sequence entries of a contact's (or a deal's: its enrollments and its contact's) timeline, newest first. */
export async function sequenceTimeline(ctx: Ctx, by: { contactId?: string; dealId?: string }): Promise<TimelineEntry[]> {
  const enrollments = await listEnrollments(ctx, by, 50);
  if (enrollments.length === 0) return [];
  const ids = enrollments.map((e) => e.id);
  const sent = await ctx.db
    .select({ at: messages.sentAt, channel: messages.channel, subject: messages.subject, text: messages.text, status: messages.status, enrollmentId: messages.enrollmentId })
    .from(messages)
    .where(and(eq(messages.workspaceId, ctx.workspaceId), inArray(messages.enrollmentId, ids), inArray(messages.status, ["sent", "captured"])));
  const inbound = await ctx.db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.workspaceId, ctx.workspaceId), inArray(inboundMessages.enrollmentId, ids)));
  const name = (id: string) => enrollments.find((e) => e.id === id)?.sequenceName ?? "";
  const entries: TimelineEntry[] = [
    ...enrollments.map((e) => ({ kind: "enrolled" as const, at: e.enrolledAt, sequenceName: e.sequenceName, status: e.status, reason: null })),
    ...enrollments.filter((e) => e.endedAt).map((e) => ({ kind: "ended" as const, at: e.endedAt!, sequenceName: e.sequenceName, status: e.status, reason: e.stopReason })),
    ...sent.map((m) => ({ kind: "sent" as const, at: m.at!, channel: m.channel, subject: m.subject, text: m.text.slice(0, 400), sequenceName: name(m.enrollmentId), status: m.status })),
    ...inbound.map((m) => ({ kind: "inbound" as const, at: m.receivedAt, channel: m.channel, inboundKind: m.kind, subject: m.subject, text: m.text.slice(0, 400) })),
  ];
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Contacts for the bulk enroll picker: name/email search, at most 100. */
export async function searchContactsForEnroll(ctx: Ctx, q: string): Promise<{ id: string; name: string; email: string | null; phone: string | null; unsubscribed: boolean }[]> {
  const term = q.trim();
  const list = await ctx.db
    .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email, phone: contacts.phone, unsubscribedAt: contacts.unsubscribedAt })
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, ctx.workspaceId),
        term ? or(ilike(sql`${contacts.firstName} || ' ' || ${contacts.lastName}`, `%${term.replace(/[%_\\]/g, "\\$&")}%`), ilike(contacts.email, `%${term.replace(/[%_\\]/g, "\\$&")}%`)) : undefined,
      ),
    )
    .orderBy(asc(contacts.firstName), asc(contacts.lastName))
    .limit(100);
  return list.map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}`.trim(), email: c.email, phone: c.phone, unsubscribed: !!c.unsubscribedAt }));
}

/** A contact as a pick list names it: with the email, so namesakes can be told apart. */
export function contactChoice(c: { id: string; name: string; email: string | null }): { id: string; name: string } {
  return { id: c.id, name: c.email ? `${c.name} · ${c.email}` : c.name };
}

export type Preview = { subject: string; text: string; html: string | null; problems: ReturnType<typeof checkTemplate> };

/** A step's template rendered for a real contact of the workspace (and the template check's findings). */
export async function previewTemplate(ctx: Ctx, input: { contactId: string; subject: string; body: string; kind: "email" | "sms" | "task" }): Promise<Preview> {
  const merge = await loadMergeValues(ctx.db, ctx.workspaceId, { contactId: input.contactId });
  if (!merge) throw notFound();
  const keys = await customFieldKeys(ctx.db, ctx.workspaceId);
  const problems = [...checkTemplate(input.subject, keys), ...checkTemplate(input.body, keys)];
  return {
    subject: renderTemplate(input.subject, merge.values),
    text: renderTemplate(input.body, merge.values),
    html: input.kind === "email" ? renderEmailHtml(input.body, merge.values, "") : null,
    problems,
  };
}
