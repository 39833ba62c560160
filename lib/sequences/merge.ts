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
  const [values] = await loadMergeValuesMany(db, workspaceId, [{ ...input, contact }]);
  return { contact, values: values! };
}

export type MergeInput = { contact: typeof contacts.$inferSelect; dealId?: string | null; ownerId?: string | null; locale?: string };

/**
 * The merge values of many contacts of one workspace (already loaded, in `workspaceId`), in the order given —
 * what loadMergeValues computes for one, with one query per kind of record for the whole list (a batch of
 * sequence steps renders hundreds at once). Everything is read within `workspaceId`.
 */
export async function loadMergeValuesMany(db: Db, workspaceId: string, inputs: MergeInput[]): Promise<MergeValues[]> {
  if (inputs.length === 0) return [];
  const companyIds = [...new Set(inputs.map((i) => i.contact.companyId).filter((id): id is string => !!id))];
  const companyRows = companyIds.length ? await db.select().from(companies).where(and(eq(companies.workspaceId, workspaceId), inArray(companies.id, companyIds))) : [];
  const companyById = new Map(companyRows.map((c) => [c.id, c]));
  // The enrollment's deal when it names one (and it is not deleted), else the contact's most recent open deal.
  const dealIds = [...new Set(inputs.map((i) => i.dealId).filter((id): id is string => !!id))];
  const named = dealIds.length ? await db.select().from(deals).where(and(eq(deals.workspaceId, workspaceId), inArray(deals.id, dealIds), isNull(deals.deletedAt))) : [];
  const dealById = new Map(named.map((d) => [d.id, d]));
  const openFor = [...new Set(inputs.filter((i) => !i.dealId).map((i) => i.contact.id))];
  const latestOpen = openFor.length
    ? await db
        .selectDistinctOn([deals.contactId])
        .from(deals)
        .where(and(eq(deals.workspaceId, workspaceId), inArray(deals.contactId, openFor), isNull(deals.deletedAt), eq(deals.status, "open")))
        .orderBy(deals.contactId, desc(deals.createdAt))
    : [];
  const openByContact = new Map(latestOpen.map((d) => [d.contactId!, d]));
  const ownerIds = [...new Set(inputs.map((i) => i.ownerId ?? i.contact.ownerId).filter((id): id is string => !!id))];
  const owners = ownerIds.length ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [];
  const ownerById = new Map(owners.map((o) => [o.id, o]));
  const fields = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.archivedAt)));
  const records = inputs.map((input) => {
    const { contact } = input;
    const company = contact.companyId ? companyById.get(contact.companyId) : undefined;
    const deal = input.dealId ? dealById.get(input.dealId) : openByContact.get(contact.id);
    const ownerId = input.ownerId ?? contact.ownerId;
    return { input, contact, company, deal, owner: ownerId ? ownerById.get(ownerId) : undefined };
  });
  const userIds = new Set<string>();
  for (const f of fields)
    if (f.type === "user")
      for (const r of records) for (const rec of [r.contact.custom, r.company?.custom, r.deal?.custom]) if (typeof rec?.[f.key] === "string") userIds.add(rec[f.key] as string);
  const people = userIds.size ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...userIds])) : [];
  return records.map(({ input, contact, company, deal, owner }) => {
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
    return values;
  });
}

export type SenderAddress = { address: string; name: string | null };

/**
 * The sender's address: the owner's email while they are a member of the workspace; `MAIL_FROM`'s address when
 * there is no owner or they have left (a former member's personal address must not keep writing to prospects).
 */
export async function senderAddress(db: Db, ownerId: string | null, workspaceId: string): Promise<SenderAddress> {
  return (await senderAddresses(db, workspaceId, [ownerId])).get(ownerId)!;
}

/** senderAddress for several owners of one workspace in one query; keyed by owner id (null: no owner). */
export async function senderAddresses(db: Db, workspaceId: string, ownerIds: (string | null)[]): Promise<Map<string | null, SenderAddress>> {
  const ids = [...new Set(ownerIds.filter((id): id is string => !!id))];
  const members = ids.length
    ? await db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
        .where(inArray(users.id, ids))
    : [];
  const fallback = process.env.MAIL_FROM ?? "Pipewise <no-reply@pipewise.local>";
  const m = /<([^>]+)>/.exec(fallback);
  const anonymous: SenderAddress = { address: m ? m[1]! : fallback, name: null };
  const out = new Map<string | null, SenderAddress>();
  for (const id of ownerIds) {
    const member = id ? members.find((u) => u.id === id) : undefined;
    out.set(id, member ? { address: member.email, name: member.name } : anonymous);
  }
  return out;
}
