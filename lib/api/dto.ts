import { activities, companies, contacts, deals } from "@/db/schema";
import { lifecycles } from "../contacts/schema";
import { z } from "../validation";
import { iso } from "./iso";
import { customForApi, type MoneyFields } from "./money-fields";
import { customFieldsOutput, nullableTimestamp, timestamp, toMajor } from "./resources/common";

/**
 * The API's (and webhooks') view of each record: camelCase, money in major units, ISO instants, custom values
 * under customFields. Pure: no database access, so the webhook fan-out can use them inside any transaction.
 */

export const dealSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  pipelineId: z.uuid(),
  stageId: z.uuid(),
  status: z.enum(["open", "won", "lost"]),
  value: z.number(),
  currency: z.string(),
  ownerId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  companyId: z.uuid().nullable(),
  expectedCloseDate: z.iso.date().nullable(),
  source: z.string().nullable(),
  notes: z.string().nullable(),
  lostReason: z.string().nullable(),
  customFields: customFieldsOutput,
  stageEnteredAt: timestamp,
  closedAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const dealEventSchema = z.object({
  id: z.string(),
  type: z.string().describe("created, stage_changed, won, lost, reopened, value_changed, owner_changed, close_date_changed, field_changed, deleted, restored"),
  fromStageId: z.uuid().nullable(),
  toStageId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
  actorName: z.string().nullable(),
  occurredAt: timestamp,
});

export type DealRow = typeof deals.$inferSelect;

export function dealDTO(d: DealRow, money?: MoneyFields): z.output<typeof dealSchema> {
  return {
    id: d.id,
    title: d.title,
    pipelineId: d.pipelineId,
    stageId: d.stageId,
    status: d.status,
    value: toMajor(d.value, d.currency),
    currency: d.currency,
    ownerId: d.ownerId,
    contactId: d.contactId,
    companyId: d.companyId,
    expectedCloseDate: d.expectedCloseDate,
    source: d.source,
    notes: d.notes,
    lostReason: d.lostReason,
    customFields: customForApi(d.custom, money),
    stageEnteredAt: iso(d.stageEnteredAt)!,
    closedAt: iso(d.closedAt),
    createdAt: iso(d.createdAt)!,
    updatedAt: iso(d.updatedAt)!,
  };
}

export const contactSchema = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  title: z.string().nullable(),
  companyId: z.uuid().nullable(),
  ownerId: z.uuid().nullable(),
  lifecycle: z.enum(lifecycles),
  source: z.string().nullable(),
  timeZone: z.string().nullable(),
  score: z.number().int(),
  unsubscribedAt: nullableTimestamp,
  customFields: customFieldsOutput,
  createdAt: timestamp,
  updatedAt: timestamp,
});

type ContactRow = typeof contacts.$inferSelect;
export const contactDTO = (c: ContactRow, money?: MoneyFields): z.output<typeof contactSchema> => ({
  id: c.id,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  title: c.title,
  companyId: c.companyId,
  ownerId: c.ownerId,
  lifecycle: c.lifecycle,
  source: c.source,
  timeZone: c.timeZone,
  score: c.score,
  unsubscribedAt: iso(c.unsubscribedAt),
  customFields: customForApi(c.custom, money),
  createdAt: iso(c.createdAt)!,
  updatedAt: iso(c.updatedAt)!,
});

export const companySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  domain: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  customFields: customFieldsOutput,
  createdAt: timestamp,
  updatedAt: timestamp,
});

type CompanyRow = typeof companies.$inferSelect;
export const companyDTO = (c: CompanyRow, money?: MoneyFields): z.output<typeof companySchema> => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
  phone: c.phone,
  address: c.address,
  ownerId: c.ownerId,
  customFields: customForApi(c.custom, money),
  createdAt: iso(c.createdAt)!,
  updatedAt: iso(c.updatedAt)!,
});

export const activitySchema = z.object({
  id: z.uuid(),
  type: z.string().describe("call, email, meeting, task, deadline, sms, or custom (see customTypeId)."),
  customTypeId: z.uuid().nullable(),
  subject: z.string(),
  notes: z.string().nullable(),
  dueAt: nullableTimestamp.describe("Instant of a timed activity."),
  dueDate: z.iso.date().nullable().describe("Date of an all-day activity."),
  durationMinutes: z.number().int().nullable(),
  assigneeId: z.uuid().nullable(),
  dealId: z.uuid().nullable().describe("Null when there is none or the key's member may not see the deal."),
  contactId: z.uuid().nullable(),
  done: z.boolean(),
  doneAt: nullableTimestamp,
  origin: z.enum(["manual", "workflow", "sequence"]),
  createdAt: timestamp,
  updatedAt: timestamp,
});

type ActivityRow = typeof activities.$inferSelect;
export const activityDTO = (a: ActivityRow, visibleDealId: string | null): z.output<typeof activitySchema> => ({
  id: a.id,
  type: a.type,
  customTypeId: a.customTypeId,
  subject: a.subject,
  notes: a.notes,
  dueAt: iso(a.dueAt),
  dueDate: a.dueDate,
  durationMinutes: a.durationMinutes,
  assigneeId: a.assigneeId,
  dealId: visibleDealId,
  contactId: a.contactId,
  done: a.doneAt !== null,
  doneAt: iso(a.doneAt),
  origin: a.origin,
  createdAt: iso(a.createdAt)!,
  updatedAt: iso(a.updatedAt)!,
});

