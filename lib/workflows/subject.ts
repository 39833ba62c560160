import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { activities, contacts, customFields, deals, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { currencyDigits } from "../format";
import { customValueToInput, type FieldDef } from "../custom-fields/values";
import type { CustomFieldTypes, SubjectFields } from "./conditions";
import { customConditionType, customPath } from "./fields";

export type DealRow = typeof deals.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type ActivityRow = typeof activities.$inferSelect;
export type Subject = {
  type: "deal" | "contact" | "activity";
  deal: DealRow | null;
  contact: ContactRow | null;
  /** For activity events: the activity (its deal and contact are loaded as `deal` / `contact`). */
  activity: ActivityRow | null;
  owner: { id: string; name: string; email: string; timeZone: string } | null;
  fields: SubjectFields;
  /** The condition type of each of the workspace's (active) deal and contact custom fields. */
  customTypes: CustomFieldTypes;
};

export type CustomDef = FieldDef & { entity: "deal" | "contact" };

/** The workspace's active deal and contact custom fields (what conditions and "update field" may name). */
export async function loadCustomDefs(db: Db, workspaceId: string): Promise<CustomDef[]> {
  const rows = await db
    .select({ entity: customFields.entity, key: customFields.key, label: customFields.label, type: customFields.type, settings: customFields.settings })
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.archivedAt), inArray(customFields.entity, ["deal", "contact"])));
  return rows as CustomDef[];
}

/** Custom field values as conditions see them (money in major units, a checkbox "true"/"false", a multi-select its ids). Pure. */
export function customSubjectFields(defs: CustomDef[], deal: DealRow | null, contact: ContactRow | null): { fields: SubjectFields; types: CustomFieldTypes } {
  const fields: SubjectFields = {};
  const types: CustomFieldTypes = {};
  for (const def of defs) {
    const path = customPath(def.entity, def.key);
    types[path] = customConditionType(def.type);
    const record = def.entity === "deal" ? deal : contact;
    const value = record ? (record.custom as Record<string, unknown>)[def.key] : undefined;
    const input = value === undefined || value === null ? null : customValueToInput(def, value);
    fields[path] = input === "" ? null : input;
  }
  return { fields, types };
}

async function loadDeal(db: Db, workspaceId: string, dealId: string): Promise<DealRow | null> {
  const [deal = null] = await db
    .select()
    .from(deals)
    .where(and(eq(deals.id, dealId), eq(deals.workspaceId, workspaceId), isNull(deals.deletedAt)));
  return deal;
}

async function loadContact(db: Db, workspaceId: string, contactId: string): Promise<ContactRow | null> {
  const [contact = null] = await db.select().from(contacts).where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, workspaceId)));
  return contact;
}

/**
 * The record a run is about, with its contact and owner, and the field values conditions test. A deleted deal
 * (or another workspace's id) is null: the run has nothing left to act on. An activity brings its deal (if any)
 * and its contact (or its deal's); its owner is the deal's owner, else the contact's, else the assignee.
 */
export async function loadSubject(db: Db, workspaceId: string, subjectType: string, subjectId: string): Promise<Subject | null> {
  let deal: DealRow | null = null;
  let contact: ContactRow | null = null;
  let activity: ActivityRow | null = null;
  let ownerId: string | null;
  if (subjectType === "deal") {
    deal = await loadDeal(db, workspaceId, subjectId);
    if (!deal) return null;
    if (deal.contactId) contact = await loadContact(db, workspaceId, deal.contactId);
    ownerId = deal.ownerId;
  } else if (subjectType === "contact") {
    contact = await loadContact(db, workspaceId, subjectId);
    if (!contact) return null;
    ownerId = contact.ownerId;
  } else if (subjectType === "activity") {
    [activity = null] = await db.select().from(activities).where(and(eq(activities.id, subjectId), eq(activities.workspaceId, workspaceId)));
    if (!activity) return null;
    if (activity.dealId) deal = await loadDeal(db, workspaceId, activity.dealId);
    const contactId = activity.contactId ?? deal?.contactId;
    if (contactId) contact = await loadContact(db, workspaceId, contactId);
    ownerId = deal?.ownerId ?? contact?.ownerId ?? activity.assigneeId;
  } else return null;
  const [owner = null] = ownerId
    ? await db.select({ id: users.id, name: users.name, email: users.email, timeZone: users.timeZone }).from(users).where(eq(users.id, ownerId))
    : [];
  const custom = customSubjectFields(await loadCustomDefs(db, workspaceId), deal, contact);
  return { type: subjectType, deal, contact, activity, owner, fields: { ...subjectFields(deal, contact, owner, activity), ...custom.fields }, customTypes: custom.types };
}

/** The condition fields of a deal / contact / owner triple. Pure. */
export function subjectFields(deal: DealRow | null, contact: ContactRow | null, owner: { id: string; name: string; email: string } | null, activity: ActivityRow | null = null): SubjectFields {
  return {
    "activity.type": activity ? (activity.type === "custom" ? activity.customTypeId : activity.type) : null,
    "activity.subject": activity?.subject ?? null,
    "activity.assigneeId": activity?.assigneeId ?? null,
    "deal.title": deal?.title ?? null,
    "deal.value": deal ? deal.value / 10 ** currencyDigits(deal.currency) : null,
    "deal.currency": deal?.currency ?? null,
    "deal.status": deal?.status ?? null,
    "deal.pipelineId": deal?.pipelineId ?? null,
    "deal.stageId": deal?.stageId ?? null,
    "deal.source": deal?.source ?? null,
    "deal.expectedCloseDate": deal?.expectedCloseDate ?? null,
    "deal.lostReason": deal?.lostReason ?? null,
    "contact.firstName": contact?.firstName ?? null,
    "contact.lastName": contact?.lastName ?? null,
    "contact.email": contact?.email ?? null,
    "contact.phone": contact?.phone ?? null,
    "contact.title": contact?.title ?? null,
    "contact.lifecycle": contact?.lifecycle ?? null,
    "contact.source": contact?.source ?? null,
    "contact.score": contact?.score ?? null,
    "owner.id": owner?.id ?? null,
    "owner.name": owner?.name ?? null,
    "owner.email": owner?.email ?? null,
  };
}
