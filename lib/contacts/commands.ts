import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { companies, contacts, deals, sequenceEnrollments } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { can } from "../auth/permissions";
import { audit } from "../workspaces/audit";
import { assertCompanyInWorkspace, isUniqueViolation, isUuid, resolveOwner } from "../companies/references";
import { unlinkDeals } from "../deals/commands";
import { visibleDeals } from "../deals/scope";
import { ownEnrollments } from "../sequences/scope";
import { applyCustomValues } from "../custom-fields/commands";
import { withoutUnchanged } from "../companies/custom";
import { emitEvent } from "../events/emit";
import { enqueueWebhookDeliveries } from "../webhooks/fanout";
import { contactName, createContactSchema, updateContactSchema, type CreateContactData, type CreateContactInput } from "./schema";

export type ContactRow = typeof contacts.$inferSelect;

const emailTaken = () => new AppError("CONFLICT", "errors.contactEmailTaken", { email: ["errors.contactEmailTaken"] });

/** Refuses an email another contact of the workspace already has (compared lower-case, like the unique index). */
async function assertEmailFree(db: Db, ctx: Ctx, email: string | null, exceptId?: string) {
  if (!email) return;
  const [clash] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, ctx.workspaceId),
        sql`lower(${contacts.email}) = ${email.toLowerCase()}`,
        exceptId ? ne(contacts.id, exceptId) : undefined,
      ),
    );
  if (clash) throw emailTaken();
}

/**
 * The company the contact should point at: a picked id (checked to be in the workspace), or a name typed in
 * the picker, which reuses the workspace's company of that name (case-insensitive) or creates it.
 */
async function resolveCompany(db: Db, ctx: Ctx, data: Pick<CreateContactData, "companyId" | "newCompanyName">, ownerId: string | null) {
  if (data.companyId) {
    await assertCompanyInWorkspace(db, ctx, data.companyId);
    return data.companyId;
  }
  if (!data.newCompanyName) return null;
  const [existing] = await db
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.workspaceId, ctx.workspaceId), sql`lower(${companies.name}) = ${data.newCompanyName.toLowerCase()}`))
    .limit(1);
  if (existing) return existing.id;
  const [created] = await db
    .insert(companies)
    .values({ workspaceId: ctx.workspaceId, name: data.newCompanyName, ownerId, createdAt: ctx.now, updatedAt: ctx.now })
    .returning({ id: companies.id });
  return created!.id;
}

// ---- who may delete or reassign a contact or company ------------------------------------------------------

/** A contact or a company: the records whose deletion unlinks deals (see unlinkDeals). */
export type Party = { contactId: string } | { companyId: string };

/**
 * Why ctx may not delete this contact or company (an i18n key under "errors"), or null when it may. Members
 * with contacts.manageAny delete anything. Anyone else deletes only a record they own (`ownerId`, read by the
 * caller) and only when they can see every deal linked to it — deleting unlinks those deals in the caller's
 * name, so a rep limited to their own deals could otherwise change colleagues' deals they cannot even open.
 * Trashed deals count too (unlinkDeals unlinks them as well).
 *
 * With `lock` (inside the deleting transaction, after the record's row is locked) the linked deals are locked
 * FOR UPDATE in id order, as unlinkDeals does, so none can change owner between this check and the unlink;
 * no new deal can be linked meanwhile either, since the foreign key check needs the record's row. Pages call
 * it without `lock` to decide whether to offer the Delete button.
 */
export async function partyDeleteRefusal(db: Db, ctx: Ctx, party: Party, ownerId: string | null, opts: { lock?: boolean } = {}): Promise<string | null> {
  if (can(ctx.role, "contacts.manageAny")) return null;
  if (ownerId !== ctx.userId) return "errors.partyDeleteNotOwner";
  // A contact's enrollments and messages go with it: a colleague's outreach the member may not see (or stop,
  // see changeEnrollment) is not theirs to erase either.
  // (ownEnrollments is a condition only for a member limited to their own deals; an ownerless one is not theirs.)
  if ("contactId" in party && ownEnrollments(ctx)) {
    const [theirs] = await db
      .select({ id: sequenceEnrollments.id })
      .from(sequenceEnrollments)
      .where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.contactId, party.contactId), sql`${sequenceEnrollments.ownerId} is distinct from ${ctx.userId}`))
      .limit(1);
    if (theirs) return "errors.partyDeleteOthersEnrollments";
  }
  const query = db
    .select({ id: deals.id, visible: sql<boolean>`coalesce(${visibleDeals(ctx, { includeDeleted: true })}, false)` })
    .from(deals)
    .where(linkedTo(ctx, party))
    .orderBy(deals.id);
  const linked = opts.lock ? await query.for("update") : await query;
  return linked.every((d) => d.visible) ? null : "errors.partyDeleteHiddenDeals";
}

/**
 * The start of deleting a contact or company, inside its transaction: locks the deals linked to it in id order,
 * then the record's own row (`lockRecord`, NOT_FOUND when it is not in the workspace), then refuses (FORBIDDEN)
 * what partyDeleteRefusal refuses. Deals first: every other path that touches both (winning a deal updates its
 * contact's lifecycle; linking a deal checks the record's row) takes the deal first, so the delete must too, or
 * two transactions can each hold what the other waits for.
 */
export async function lockForDelete(db: Db, ctx: Ctx, party: Party, lockRecord: () => Promise<{ ownerId: string | null } | undefined>): Promise<void> {
  await db.select({ id: deals.id }).from(deals).where(linkedTo(ctx, party)).orderBy(deals.id).for("update");
  const current = await lockRecord();
  if (!current) throw new AppError("NOT_FOUND");
  const refusal = await partyDeleteRefusal(db, ctx, party, current.ownerId, { lock: true });
  if (refusal) throw new AppError("FORBIDDEN", refusal);
}

/** The deals of this workspace linked to the contact or company. */
const linkedTo = (ctx: Ctx, party: Party) =>
  and(eq(deals.workspaceId, ctx.workspaceId), "contactId" in party ? eq(deals.contactId, party.contactId) : eq(deals.companyId, party.companyId));

/**
 * The owner an update leaves a contact or company with. Not sent (undefined) keeps the current owner — an
 * edit is never a silent takeover. A member without contacts.manageAny may change the owner only of a record
 * they own or that has none (hand their own on, or claim an unassigned one); a colleague's record keeps its
 * owner (FORBIDDEN "errors.partyOwnerNotYours"). A new owner must be a member (VALIDATION, see resolveOwner).
 */
export async function resolveUpdatedOwner(db: Db, ctx: Ctx, sent: string | null | undefined, current: string | null): Promise<string | null> {
  if (sent === undefined || sent === current) return current;
  if (!mayChangeOwner(ctx, current)) throw new AppError("FORBIDDEN", "errors.partyOwnerNotYours");
  return resolveOwner(db, ctx, sent, current);
}

/** Whether ctx may give a contact or company owned by `current` to another owner (see resolveUpdatedOwner). */
export function mayChangeOwner(ctx: Pick<Ctx, "role" | "userId">, current: string | null): boolean {
  return current === null || current === ctx.userId || can(ctx.role, "contacts.manageAny");
}

/** A concurrent insert of the same email slips past the pre-check; the unique index still refuses it. */
async function mapEmailRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/**
 * Creates a contact in ctx's workspace. Input is (re)validated here, so callers such as the demo seed may pass
 * plain objects (`{ firstName, email, companyId }`). Email is unique per workspace, case-insensitively
 * (CONFLICT "errors.contactEmailTaken"); company must be in the workspace and owner a member (VALIDATION).
 * Owner omitted → the caller. Lifecycle defaults to "lead". Custom values are checked against the
 * workspace's active contact fields (VALIDATION with "custom.<key>" errors).
 */
export async function createContact(ctx: Ctx, input: CreateContactInput): Promise<ContactRow> {
  assertCan(ctx, "contacts.write");
  const data = createContactSchema.parse(input);
  return mapEmailRace(() =>
    ctx.db.transaction(async (tx) => {
      await assertEmailFree(tx, ctx, data.email);
      const ownerId = await resolveOwner(tx, ctx, data.ownerId);
      const { custom } = await applyCustomValues(tx, ctx, "contact", {}, data.custom);
      const companyId = await resolveCompany(tx, ctx, data, ownerId);
      const [row] = await tx
        .insert(contacts)
        .values({
          workspaceId: ctx.workspaceId,
          firstName: data.firstName,
          lastName: data.lastName,
          email: data.email,
          phone: data.phone,
          title: data.title,
          companyId,
          ownerId,
          lifecycle: data.lifecycle,
          source: data.source,
          timeZone: data.timeZone,
          custom,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await emitEvent(tx, ctx, { type: "contact.created", subjectId: row!.id });
      return row!;
    }),
  );
}

/**
 * Replaces a contact's editable fields (the edit form sends them all). Another workspace's contact is
 * NOT_FOUND and left untouched. Score, unsubscribe state and creation time are not editable here. Custom
 * fields not sent keep their values; an empty value clears one. The owner follows resolveUpdatedOwner: not
 * sent keeps it, and only contacts.manageAny changes the owner of a colleague's contact.
 */
export async function updateContact(ctx: Ctx, input: CreateContactInput & { contactId: string }): Promise<ContactRow> {
  assertCan(ctx, "contacts.write");
  const data = updateContactSchema.parse(input);
  return mapEmailRace(() =>
    ctx.db.transaction(async (tx) => {
      const [current] = await tx
        .select({ id: contacts.id, ownerId: contacts.ownerId, custom: contacts.custom })
        .from(contacts)
        .where(and(eq(contacts.id, data.contactId), eq(contacts.workspaceId, ctx.workspaceId)))
        .for("update");
      if (!current) throw new AppError("NOT_FOUND");
      await assertEmailFree(tx, ctx, data.email, data.contactId);
      const ownerId = await resolveUpdatedOwner(tx, ctx, data.ownerId, current.ownerId);
      const { custom, changed } = await applyCustomValues(tx, ctx, "contact", current.custom, withoutUnchanged(current.custom, data.custom));
      const companyId = await resolveCompany(tx, ctx, data, ownerId);
      const [row] = await tx
        .update(contacts)
        .set({
          firstName: data.firstName,
          lastName: data.lastName,
          email: data.email,
          phone: data.phone,
          title: data.title,
          companyId,
          ownerId,
          lifecycle: data.lifecycle,
          source: data.source,
          timeZone: data.timeZone,
          ...(changed.length ? { custom } : {}),
          updatedAt: ctx.now,
        })
        .where(and(eq(contacts.id, data.contactId), eq(contacts.workspaceId, ctx.workspaceId)))
        .returning();
      await enqueueWebhookDeliveries(tx, ctx, "contact.updated", row!.id); // no domain event: webhooks only
      return row!;
    }),
  );
}

/**
 * Deletes a contact. Its deals stay and lose the link (foreign key set null); its enrollments, messages and
 * score events go with it. Only a member with contacts.manageAny, or the contact's owner when every linked
 * deal is visible to them, may (FORBIDDEN otherwise, see partyDeleteRefusal). Recorded in the audit log with
 * the name and email, since the row itself is gone.
 */
export async function deleteContact(ctx: Ctx, contactId: string): Promise<void> {
  assertCan(ctx, "contacts.write");
  if (!isUuid(contactId)) throw new AppError("NOT_FOUND");
  await ctx.db.transaction(async (tx) => {
    await lockForDelete(tx, ctx, { contactId }, async () => {
      const [row] = await tx.select({ ownerId: contacts.ownerId }).from(contacts).where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, ctx.workspaceId))).for("update");
      return row;
    });
    await unlinkDeals(tx, ctx, { contactId });
    const [row] = await tx
      .delete(contacts)
      .where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, ctx.workspaceId)))
      .returning({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email });
    if (!row) throw new AppError("NOT_FOUND");
    await audit(tx, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      action: "contact.deleted",
      targetType: "contact",
      targetId: row.id,
      details: { name: contactName(row), ...(row.email ? { email: row.email } : {}) },
      at: ctx.now,
    });
  });
}
