import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { contacts, deals, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { currencyDigits } from "../format";
import type { SubjectFields } from "./conditions";

export type DealRow = typeof deals.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type Subject = {
  type: "deal" | "contact";
  deal: DealRow | null;
  contact: ContactRow | null;
  owner: { id: string; name: string; email: string; timeZone: string } | null;
  fields: SubjectFields;
};

/**
 * The record a run is about, with its contact and owner, and the field values conditions test. A deleted deal
 * (or another workspace's id) is null: the run has nothing left to act on.
 */
export async function loadSubject(db: Db, workspaceId: string, subjectType: string, subjectId: string): Promise<Subject | null> {
  let deal: DealRow | null = null;
  let contact: ContactRow | null = null;
  if (subjectType === "deal") {
    [deal = null] = await db
      .select()
      .from(deals)
      .where(and(eq(deals.id, subjectId), eq(deals.workspaceId, workspaceId), isNull(deals.deletedAt)));
    if (!deal) return null;
    if (deal.contactId) [contact = null] = await db.select().from(contacts).where(and(eq(contacts.id, deal.contactId), eq(contacts.workspaceId, workspaceId)));
  } else if (subjectType === "contact") {
    [contact = null] = await db.select().from(contacts).where(and(eq(contacts.id, subjectId), eq(contacts.workspaceId, workspaceId)));
    if (!contact) return null;
  } else return null;
  const ownerId = subjectType === "deal" ? deal!.ownerId : contact!.ownerId;
  const [owner = null] = ownerId
    ? await db.select({ id: users.id, name: users.name, email: users.email, timeZone: users.timeZone }).from(users).where(eq(users.id, ownerId))
    : [];
  return { type: subjectType, deal, contact, owner, fields: subjectFields(deal, contact, owner) };
}

/** The condition fields of a deal / contact / owner triple. Pure. */
export function subjectFields(deal: DealRow | null, contact: ContactRow | null, owner: { id: string; name: string; email: string } | null): SubjectFields {
  return {
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
