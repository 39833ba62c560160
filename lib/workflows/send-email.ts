import "server-only";
import { eq } from "drizzle-orm";
import { activities, workflowRuns, workflows } from "@/db/schema";
import type { Db } from "@/db/types";
import { appUrl } from "../app-url";
import { loadMergeValues, senderAddress } from "../sequences/merge";
import { renderEmailHtml, renderTemplate } from "../sequences/template";
import { sendEmail, type DeliveryResult, type OutgoingEmail } from "../sequences/transport";
import type { StepLog } from "./run-step";
import type { WorkflowAction } from "./schema";
import type { Subject } from "./subject";

export type SendEmailAction = Extract<WorkflowAction, { type: "send_email" }>;

/** The Message-ID of a run step's email: the same on every attempt, so a resend after a crash is recognisable. */
export function workflowMessageId(runId: string, step: number): string {
  const host = new URL(appUrl()).hostname || "pipewise.local";
  return `<wf.${runId}.${step}@${host}>`;
}

/**
 * The email a "send an email" step sends to the record's contact, from the record's owner, rendered with the
 * sequences' merge fields (values HTML-escaped). Null, with the reason, when there is nobody to send to.
 */
export async function composeWorkflowEmail(
  db: Db,
  run: { id: string; workspaceId: string },
  step: number,
  action: SendEmailAction,
  subject: Subject,
): Promise<{ mail: OutgoingEmail } | { skipped: "noContact" | "noEmail" | "unsubscribed" }> {
  const contact = subject.contact;
  if (!contact) return { skipped: "noContact" };
  if (!contact.email?.trim()) return { skipped: "noEmail" };
  if (contact.unsubscribedAt) return { skipped: "unsubscribed" };
  const ownerId = subject.deal?.ownerId ?? contact.ownerId ?? null;
  const merge = await loadMergeValues(db, run.workspaceId, { contactId: contact.id, dealId: subject.deal?.id ?? null, ownerId });
  const values = merge?.values ?? {};
  return {
    mail: {
      from: await senderAddress(db, ownerId, run.workspaceId),
      to: contact.email,
      subject: renderTemplate(action.subject, values).replace(/[\r\n]+/g, " ").slice(0, 300),
      text: renderTemplate(action.body, values),
      html: renderEmailHtml(action.body, values, ""),
      messageId: workflowMessageId(run.id, step),
      inReplyTo: null,
      references: [],
      headers: { "Auto-Submitted": "auto-generated", "X-Pipewise-Workflow-Run": run.id },
    },
  };
}

type Transport = (mail: OutgoingEmail) => Promise<DeliveryResult>;

/**
 * A "send an email" step, in three parts so a crash loses nothing: (1) under the run's lock, the step is marked
 * "sending" with its Message-ID; (2) the email is sent outside any transaction; (3) under the lock again, the
 * email is logged on the contact's (and deal's) timeline as a done email activity and the run moves on. A retry
 * after a crash between (2) and (3) sends again with the same Message-ID (at least once; mail clients drop a
 * second copy with the same Message-ID). Returns what the log records.
 */
export async function runSendEmailStep(
  db: Db,
  now: Date,
  run: typeof workflowRuns.$inferSelect,
  step: number,
  action: SendEmailAction,
  subject: Subject,
  hooks: { lock: (tx: Db) => Promise<typeof workflowRuns.$inferSelect | null>; advance: (tx: Db, run: typeof workflowRuns.$inferSelect, detail: Record<string, unknown>) => Promise<void> },
  transport: Transport = (m) => sendEmail(m),
): Promise<void> {
  const composed = await composeWorkflowEmail(db, run, step, action, subject);
  if ("skipped" in composed) {
    await db.transaction(async (tx) => {
      const locked = await hooks.lock(tx);
      if (locked) await hooks.advance(tx, locked, { skipped: composed.skipped });
    });
    return;
  }
  const { mail } = composed;
  const marked = await db.transaction(async (tx) => {
    const locked = await hooks.lock(tx);
    if (!locked) return false;
    const steps = [...(locked.steps as StepLog[])];
    steps[step] = { actionId: action.id, type: action.type, status: "sending", at: now.toISOString(), detail: { messageId: mail.messageId, to: mail.to } };
    await tx.update(workflowRuns).set({ steps }).where(eq(workflowRuns.id, locked.id));
    return true;
  });
  if (!marked) return;
  const result = await transport(mail);
  await db.transaction(async (tx) => {
    const locked = await hooks.lock(tx);
    if (!locked) return;
    const [workflow] = await tx.select({ createdBy: workflows.createdBy, updatedBy: workflows.updatedBy }).from(workflows).where(eq(workflows.id, locked.workflowId));
    const assigneeId = subject.deal?.ownerId ?? subject.contact?.ownerId ?? workflow?.updatedBy ?? workflow?.createdBy ?? null;
    if (assigneeId) {
      await tx.insert(activities).values({
        workspaceId: locked.workspaceId,
        type: "email",
        subject: mail.subject.slice(0, 200),
        notes: mail.text.slice(0, 10_000),
        dueAt: now,
        doneAt: now,
        assigneeId,
        dealId: subject.deal?.id ?? null,
        contactId: subject.contact?.id ?? null,
        origin: "workflow",
        createdBy: assigneeId,
        createdAt: now,
        updatedAt: now,
      });
    }
    await hooks.advance(tx, locked, { messageId: mail.messageId, to: mail.to, delivery: result.status });
  });
}
