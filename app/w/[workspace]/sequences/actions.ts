"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { and, eq } from "drizzle-orm";
import { messages, sequenceEnrollments } from "@/db/schema";
import { workspaceAction } from "@/lib/actions";
import { isDemoMode } from "@/lib/demo";
import { forbidden, notFound } from "@/lib/errors";
import { receiveInboundEmail } from "@/lib/inbound/email";
import { receiveInboundSms } from "@/lib/inbound/sms";
import { archiveSequence, changeEnrollment, enrollContacts, saveSequence } from "@/lib/sequences/commands";
import { previewTemplate } from "@/lib/sequences/queries";
import { ownEnrollments } from "@/lib/sequences/scope";
import { enrollmentActionSchema, enrollSchema, messageIdSchema, previewSchema, saveSequenceSchema, sequenceIdSchema } from "@/lib/sequences/schema";

const refresh = (slug: string) => {
  revalidatePath(`/w/${slug}/sequences`, "layout");
  revalidatePath(`/w/${slug}/contacts`, "layout");
  revalidatePath(`/w/${slug}/deals`, "layout");
};

/** The builder's save: settings and every step (objects, not FormData). */
export const saveSequenceAction = workspaceAction("sequences.manage", saveSequenceSchema, async (ctx, input) => {
  const saved = await saveSequence(ctx, input);
  refresh(ctx.workspace.slug);
  return saved;
});

export const archiveSequenceAction = workspaceAction("sequences.manage", sequenceIdSchema, async (ctx, input) => {
  await archiveSequence(ctx, input.sequenceId);
  refresh(ctx.workspace.slug);
});

/** Enroll one contact (contact page), a deal's contact (deal page) or a bulk selection; one result per contact. */
export const enrollContactsAction = workspaceAction("sequences.enroll", enrollSchema, async (ctx, input) => {
  const results = await enrollContacts(ctx, input);
  refresh(ctx.workspace.slug);
  return results.map((r) => ({ contactId: r.contactId, ok: r.result.ok, reason: r.result.ok ? null : r.result.reason }));
});

export const changeEnrollmentAction = workspaceAction("sequences.enroll", enrollmentActionSchema, async (ctx, input) => {
  await changeEnrollment(ctx, input);
  refresh(ctx.workspace.slug);
});

export const previewTemplateAction = workspaceAction("sequences.manage", previewSchema, async (ctx, input) => previewTemplate(ctx, input));

/**
 * Demo mode only: answers a captured message as the prospect would, through the real inbound pipeline (the
 * same parser and matching as POST /api/inbound/email or /api/inbound/sms).
 */
export const simulateReplyAction = workspaceAction("sequences.enroll", messageIdSchema, async (ctx, input) => {
  if (!isDemoMode()) throw forbidden();
  // Only a message of an enrollment the member may see (a rep limited to their own deals: their own).
  const [row] = await ctx.db
    .select({ m: messages })
    .from(messages)
    .innerJoin(sequenceEnrollments, eq(sequenceEnrollments.id, messages.enrollmentId))
    .where(and(eq(messages.workspaceId, ctx.workspaceId), eq(messages.id, input.messageId), ownEnrollments(ctx)));
  const m = row?.m;
  if (!m || !m.sentAt) throw notFound();
  if (m.channel === "sms") {
    await receiveInboundSms(ctx.db, ctx.now, { from: m.toAddress, body: "Yes, call me tomorrow.", sid: `demo-${randomUUID()}` });
  } else {
    const raw = [
      `From: <${m.toAddress}>`,
      `To: <${m.fromAddress}>`,
      `Subject: Re: ${m.subject.replace(/[\r\n]+/g, " ")}`,
      `Message-ID: <demo-${randomUUID()}@pipewise.demo>`,
      `In-Reply-To: ${m.messageIdHeader}`,
      `References: ${m.messageIdHeader}`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Thanks — this sounds useful. Could we talk on Thursday?",
      "",
    ].join("\r\n");
    await receiveInboundEmail(ctx.db, ctx.now, raw);
  }
  refresh(ctx.workspace.slug);
});
