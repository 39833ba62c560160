import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { memberships, notifications, users, workflows } from "@/db/schema";
import { createActivity } from "../activities/commands";
import { createActivitySchema } from "../activities/schema";
import { addDaysToDate, localDate, localTime, safeTimeZone } from "../activities/time";
import { updateContact } from "../contacts/commands";
import { markLost, markWon, moveDeal, updateDeal } from "../deals/commands";
import { updateDealSchema } from "../deals/schema";
import { PermanentJobError } from "../jobs/types";
import { changeScore } from "../scoring/apply";
import { enrollContact } from "../sequences/commands";
import type { AutomationCtx } from "./actor";
import { CUSTOM_FIELD_PATH } from "./fields";
import type { WorkflowAction } from "./schema";
import type { ContactRow, DealRow, Subject } from "./subject";

/** What an action did, kept in the run log (ids and values, never free text a user did not write). */
export type ActionDetail = Record<string, unknown>;

function needDeal(subject: Subject): DealRow {
  if (!subject.deal) throw new PermanentJobError("this action needs a deal, and the workflow's record is a contact");
  return subject.deal;
}

function needContact(subject: Subject): ContactRow {
  if (!subject.contact) throw new PermanentJobError("the deal has no contact to update");
  return subject.contact;
}

/** Replaces contact fields through the contacts command (which validates and checks references); custom fields not named keep their values. */
function updateContactField(ctx: AutomationCtx, contact: ContactRow, patch: Partial<Pick<ContactRow, "lifecycle" | "source" | "title" | "ownerId">>, custom?: Record<string, unknown>) {
  return updateContact(ctx, {
    contactId: contact.id,
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    phone: contact.phone,
    title: contact.title,
    companyId: contact.companyId,
    ownerId: contact.ownerId,
    lifecycle: contact.lifecycle,
    source: contact.source,
    timeZone: contact.timeZone,
    ...patch,
    ...(custom ? { custom } : {}),
  });
}

/** The next member of a round-robin list after the last one picked (skipping people who left the workspace). */
async function nextRoundRobin(ctx: AutomationCtx, actionId: string, userIds: string[]): Promise<string> {
  const [workflow] = await ctx.db.select({ state: workflows.state }).from(workflows).where(eq(workflows.id, ctx.automation.workflowId)).for("update");
  const members = new Set(
    (await ctx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, ctx.workspaceId), inArray(memberships.userId, userIds)))).map((m) => m.id),
  );
  const last = workflow?.state[actionId] ?? -1;
  for (let i = 1; i <= userIds.length; i++) {
    const index = (last + i) % userIds.length;
    if (members.has(userIds[index]!)) {
      await ctx.db
        .update(workflows)
        .set({ state: { ...(workflow?.state ?? {}), [actionId]: index } })
        .where(eq(workflows.id, ctx.automation.workflowId));
      return userIds[index]!;
    }
  }
  throw new PermanentJobError("none of the round-robin users is a member of the workspace any more");
}

/** A notify action's text with the record's names filled in (plain text: the bell renders it as text). Pure. */
export function fillMessage(message: string, subject: Pick<Subject, "deal" | "contact" | "owner">): string {
  const values: Record<string, string> = {
    "deal.title": subject.deal?.title ?? "",
    "contact.name": subject.contact ? [subject.contact.firstName, subject.contact.lastName].filter(Boolean).join(" ") : "",
    "owner.name": subject.owner?.name ?? "",
  };
  return message.replace(/\{\{\s*(deal\.title|contact\.name|owner\.name)\s*\}\}/g, (_, key: string) => values[key] ?? "").slice(0, 1000);
}

/**
 * Performs one database action of a workflow through the domain commands (so validation, history, and the
 * events the change causes are exactly those of a person doing it), inside the step's transaction.
 */
export async function performAction(ctx: AutomationCtx, action: Exclude<WorkflowAction, { type: "webhook" | "send_email" }>, subject: Subject): Promise<ActionDetail> {
  switch (action.type) {
    case "create_activity": {
      const assigneeId = action.assignTo === "user" ? action.userId! : (subject.owner?.id ?? ctx.userId);
      const [assignee] = await ctx.db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, assigneeId));
      const tz = safeTimeZone(assignee?.timeZone ?? ctx.workspace.timeZone);
      const at = new Date(ctx.now.getTime() + action.dueIn * 3_600_000);
      const due =
        action.dueUnit === "hours" ? { dueDate: localDate(at, tz), dueTime: localTime(at, tz) } : { dueDate: addDaysToDate(localDate(ctx.now, tz), action.dueIn), dueTime: null };
      const input = createActivitySchema.parse({
        type: action.activityType,
        subject: action.subject,
        notes: action.notes || null,
        ...due,
        assigneeId,
        dealId: subject.deal?.id ?? null,
        contactId: subject.contact?.id ?? null,
      });
      const activity = await createActivity(ctx, input, tz, { origin: "workflow" });
      return { activityId: activity.id, assigneeId, ...due };
    }
    case "update_field": {
      const custom = CUSTOM_FIELD_PATH.exec(action.field);
      if (custom) {
        const [, entity, key] = custom as unknown as [string, "deal" | "contact", string];
        const patch = { custom: { [key]: action.value } };
        if (entity === "deal") await updateDeal(ctx, updateDealSchema.parse({ dealId: needDeal(subject).id, ...patch }));
        else await updateContactField(ctx, needContact(subject), {}, patch.custom);
        return { field: action.field, value: action.value };
      }
      const [entity, prop] = action.field.split(".") as ["deal" | "contact", string];
      if (entity === "deal") {
        const deal = needDeal(subject);
        const value = prop === "expectedCloseDate" || prop === "source" ? action.value || null : action.value;
        await updateDeal(ctx, updateDealSchema.parse({ dealId: deal.id, [prop]: value }));
      } else {
        await updateContactField(ctx, needContact(subject), { [prop]: action.value || null } as Partial<ContactRow>);
      }
      return { field: action.field, value: action.value };
    }
    case "move_stage": {
      const { stageChanged } = await moveDeal(ctx, { dealId: needDeal(subject).id, toStageId: action.stageId });
      return { stageId: action.stageId, changed: stageChanged };
    }
    case "mark_won":
      await markWon(ctx, needDeal(subject).id);
      return { status: "won" };
    case "mark_lost":
      await markLost(ctx, needDeal(subject).id, action.reason);
      return { status: "lost", reason: action.reason };
    case "adjust_score": {
      const contactId = subject.contact?.id;
      if (!contactId) return { skipped: "noContact" };
      const { depth, chain, runId } = ctx.automation;
      const delta = await changeScore(ctx.db, ctx.now, {
        workspaceId: ctx.workspaceId,
        contactId,
        requested: action.points,
        reason: "workflow",
        workflowRunId: runId,
        dedupeKey: `workflow-run:${runId}:action:${action.id}`,
        // The threshold event it may cause comes from this run: one level deeper, with this run in the chain.
        cause: { depth: depth + 1, chain, actorId: ctx.userId },
      });
      return { contactId, points: action.points, applied: delta };
    }
    case "notify": {
      const userId = action.to === "user" ? action.userId! : subject.owner?.id;
      if (!userId) return { skipped: "noOwner" };
      const [member] = await ctx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
      if (!member) return { skipped: "notMember", userId };
      const link = subject.deal ? `deals/${subject.deal.id}` : subject.contact ? `contacts/${subject.contact.id}` : null;
      await ctx.db
        .insert(notifications)
        .values({
          workspaceId: ctx.workspaceId,
          userId,
          kind: "message",
          message: fillMessage(action.message, subject),
          link,
          dedupeKey: `workflow-run:${ctx.automation.runId}:action:${action.id}`,
          createdAt: ctx.now,
        })
        .onConflictDoNothing();
      return { userId };
    }
    case "enroll_sequence": {
      const contactId = subject.contact?.id;
      if (!contactId) return { skipped: "noContact" };
      const result = await enrollContact(ctx.db, ctx, { sequenceId: action.sequenceId, contactId, dealId: subject.deal?.id ?? null });
      // A refusal (already active, unsubscribed, no email…) is an outcome, not an error: retrying would not help.
      return result.ok ? { contactId, enrollmentId: result.enrollmentId } : { contactId, refused: result.reason };
    }
    case "change_owner": {
      const ownerId = action.mode === "user" ? action.userId! : await nextRoundRobin(ctx, action.id, action.userIds);
      if (subject.deal) await updateDeal(ctx, updateDealSchema.parse({ dealId: subject.deal.id, ownerId }));
      else await updateContactField(ctx, needContact(subject), { ownerId });
      return { ownerId };
    }
  }
}
