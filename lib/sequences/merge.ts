import "server-only";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { companies, contacts, customFields, deals, memberships, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { formatCustomValue, type FieldDef } from "../custom-fields/values";
import { formatMoney } from "../format";
import type { MergeValues } from "./template";

export type MergeRecord = {
  contact: typeof contacts.$inferSelect;
  values: MergeValues;
};

/** The custom field keys of each record type, for the template check (archived fields count as unknown). */
export async function customFieldKeys(db: Db, workspaceId: string): Promise<{ contact: string[]; company: string[]; deal: string[] }> {
  const rows = await db
    .select({ entity: customFields.entity, key: customFields.key })
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.archivedAt)));
  return {
    contact: rows.filter((r) => r.entity === "contact").map((r) => r.key),
    company: rows.filter((r) => r.entity === "company").map((r) => r.key),
    deal: rows.filter((r) => r.entity === "deal").map((r) => r.key),
  };
}

/**
 * The merge values for one contact: the contact, its company, the deal (the enrollment's, else the contact's
 * most recent open deal) and the owner (the enrollment's sender). Everything is read within `workspaceId`.
 * Returns null when the contact is not in the workspace.
 */
export async function loadMergeValues(
  db: Db,
  workspaceId: string,
  input: { contactId: string; dealId?: string | null; ownerId?: string | null; locale?: string },
): Promise<MergeRecord | null> {
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, input.contactId)));
  if (!contact) return null;
  const [company] = contact.companyId ? await db.select().from(companies).where(and(eq(companies.workspaceId, workspaceId), eq(companies.id, contact.companyId))) : [];
  const [deal] = input.dealId
    ? await db.select().from(deals).where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, input.dealId), isNull(deals.deletedAt)))
    : await db
        .select()
        .from(deals)
        .where(and(eq(deals.workspaceId, workspaceId), eq(deals.contactId, contact.id), isNull(deals.deletedAt), eq(deals.status, "open")))
        .orderBy(desc(deals.createdAt))
        .limit(1);
  const ownerId = input.ownerId ?? contact.ownerId;
  const [owner] = ownerId ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, ownerId)) : [];
  const fields = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.archivedAt)));
  const userIds = new Set<string>();
  for (const f of fields) if (f.type === "user") for (const rec of [contact.custom, company?.custom, deal?.custom]) if (typeof rec?.[f.key] === "string") userIds.add(rec[f.key] as string);
  const people = userIds.size ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...userIds])) : [];
  const locale = input.locale ?? "en";
  const values: MergeValues = {
    "contact.first_name": contact.firstName,
    "contact.last_name": contact.lastName,
    "contact.full_name": `${contact.firstName} ${contact.lastName}`.trim(),
    "contact.email": contact.email,
    "contact.phone": contact.phone,
    "contact.title": contact.title,
    "company.name": company?.name,
    "company.domain": company?.domain,
    "deal.title": deal?.title,
    "deal.value": deal ? formatMoney(deal.value, deal.currency, locale) : null,
    "owner.name": owner?.name,
    "owner.first_name": owner?.name.split(/\s+/)[0],
    "owner.email": owner?.email,
  };
  for (const f of fields) {
    const rec = f.entity === "contact" ? contact.custom : f.entity === "company" ? company?.custom : deal?.custom;
    const raw = rec?.[f.key];
    if (raw === undefined || raw === null || raw === "") continue;
    const def: FieldDef = { key: f.key, label: f.label, type: f.type, settings: f.settings };
    values[`${f.entity}.custom.${f.key}`] = formatCustomValue(def, raw, locale, (id) => people.find((p) => p.id === id)?.name);
  }
  return { contact, values };
}

/**
 * The sender's address: the owner's email while they are a member of the workspace; `MAIL_FROM`'s address when
 * there is no owner or they have left (a former member's personal address must not keep writing to prospects).
 */
export async function senderAddress(db: Db, ownerId: string | null, workspaceId: string): Promise<{ address: string; name: string | null }> {
  if (ownerId) {
    const [owner] = await db
      .select({ name: users.name, email: users.email })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
      .where(eq(users.id, ownerId));
    if (owner) return { address: owner.email, name: owner.name };
  }
  const fallback = process.env.MAIL_FROM ?? "Pipewise <no-reply@pipewise.local>";
  const m = /<([^>]+)>/.exec(fallback);
  return { address: m ? m[1]! : fallback, name: null };
}
