import "server-only";
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { companies, contacts } from "@/db/schema";
import { createCompany, deleteCompany, updateCompany } from "../../companies/commands";
import { getCompany } from "../../companies/queries";
import { companyFieldsSchema } from "../../companies/schema";
import { createContact, deleteContact, updateContact } from "../../contacts/commands";
import { getContact } from "../../contacts/queries";
import { contactFieldsSchema } from "../../contacts/schema";
import { AppError } from "../../errors";
import { z } from "../../validation";
import { pathId } from "../body";
import { afterCursor, defineOperation, exactTime, likeOf, pageOf, pageQuery, toPage } from "../operation";
import { companyDTO, companySchema, contactDTO, contactSchema } from "../dto";
import { moneyFieldsOf } from "../money-fields";
import type { ApiKeyCtx } from "../../api-keys/authenticate";
import { customFieldsInput } from "./common";

// ---- contacts ------------------------------------------------------------------------------------------------

async function contactById(ctx: Parameters<typeof getContact>[0], contactId: string) {
  await getContact(ctx, contactId); // NOT_FOUND outside the workspace
  const [row] = await ctx.db.select().from(contacts).where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, ctx.workspaceId)));
  return row!;
}

/** The domain's own field rules (zod), with custom values under `customFields` as everywhere in the API. */
const contactMoney = (ctx: ApiKeyCtx) => moneyFieldsOf(ctx.db, ctx.workspaceId, "contact");
const companyMoney = (ctx: ApiKeyCtx) => moneyFieldsOf(ctx.db, ctx.workspaceId, "company");

const contactBody = z.strictObject({ ...contactFieldsSchema.omit({ custom: true, newCompanyName: true }).shape, customFields: customFieldsInput });
const contactPatch = z.strictObject({ ...contactFieldsSchema.omit({ custom: true, newCompanyName: true }).partial().shape, customFields: customFieldsInput });

export const listContactsOp = defineOperation({
  method: "GET",
  path: "/contacts",
  operationId: "listContacts",
  summary: "List contacts",
  tag: "Contacts",
  permission: "contacts.read",
  query: z.object({
    q: z.string().trim().min(1).max(200).optional().describe("Matches name, email or phone."),
    companyId: z.uuid().optional(),
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    ...pageQuery,
  }),
  response: pageOf(contactSchema),
  async run(ctx, { query }) {
    const like = query.q ? likeOf(query.q) : null;
    const rows = await ctx.db
      .select({ contact: contacts, id: contacts.id, cursorTime: exactTime(contacts.createdAt) })
      .from(contacts)
      .where(
        and(
          eq(contacts.workspaceId, ctx.workspaceId),
          like ? or(sql`(${contacts.firstName} || ' ' || ${contacts.lastName}) ilike ${like}`, ilike(contacts.email, like), ilike(contacts.phone, like)) : undefined,
          query.companyId ? eq(contacts.companyId, query.companyId) : undefined,
          query.updatedSince ? sql`${contacts.updatedAt} >= ${query.updatedSince}::timestamptz` : undefined,
          afterCursor(query.cursor, contacts.createdAt, contacts.id),
        ),
      )
      .orderBy(asc(contacts.createdAt), asc(contacts.id))
      .limit(query.limit + 1);
    const money = await contactMoney(ctx);
    return toPage(rows, query.limit, (r) => contactDTO(r.contact, money));
  },
});

export const getContactOp = defineOperation({
  method: "GET",
  path: "/contacts/{contactId}",
  operationId: "getContact",
  summary: "Get a contact",
  tag: "Contacts",
  permission: "contacts.read",
  response: contactSchema,
  run: async (ctx, { params }) => contactDTO(await contactById(ctx, pathId(params.contactId)), await contactMoney(ctx)),
});

export const createContactOp = defineOperation({
  method: "POST",
  path: "/contacts",
  operationId: "createContact",
  summary: "Create a contact",
  description: "Email is unique per workspace (409 when taken). Owner defaults to the key's member.",
  tag: "Contacts",
  permission: "contacts.write",
  body: contactBody,
  status: 201,
  response: contactSchema,
  async run(ctx, { body }) {
    const { customFields, ...fields } = body;
    return contactDTO(await createContact(ctx, { ...fields, custom: customFields }), await contactMoney(ctx));
  },
});

export const updateContactOp = defineOperation({
  method: "PATCH",
  path: "/contacts/{contactId}",
  operationId: "updateContact",
  summary: "Update a contact",
  description: "Only the fields sent change. A key of a rep cannot change the owner of a contact someone else owns (403).",
  tag: "Contacts",
  permission: "contacts.write",
  body: contactPatch,
  response: contactSchema,
  async run(ctx, { params, body }) {
    const contactId = pathId(params.contactId);
    const { customFields, ...fields } = body;
    // The read, the merge and the write share one transaction holding the row lock, so an edit committed
    // meanwhile is read and kept instead of being overwritten with the older values (updateContact's own
    // transaction becomes a savepoint inside this one).
    const row = await ctx.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, ctx.workspaceId)))
        .for("update");
      if (!current) throw new AppError("NOT_FOUND");
      const merged = {
        firstName: current.firstName,
        lastName: current.lastName,
        email: current.email,
        phone: current.phone,
        title: current.title,
        companyId: current.companyId,
        ownerId: current.ownerId,
        lifecycle: current.lifecycle,
        source: current.source,
        timeZone: current.timeZone,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      };
      return updateContact({ ...ctx, db: tx }, { ...merged, contactId, custom: customFields });
    });
    return contactDTO(row, await contactMoney(ctx));
  },
});

export const deleteContactOp = defineOperation({
  method: "DELETE",
  path: "/contacts/{contactId}",
  operationId: "deleteContact",
  summary: "Delete a contact",
  description:
    "Its deals stay and lose the link (recorded in their history). A key of a rep deletes only contacts its member owns, and only when every deal linked to them is visible to that member (403 otherwise); managers and up delete any.",
  tag: "Contacts",
  permission: "contacts.write",
  status: 204,
  async run(ctx, { params }) {
    await deleteContact(ctx, pathId(params.contactId));
    return null;
  },
});

// ---- companies -----------------------------------------------------------------------------------------------

async function companyById(ctx: Parameters<typeof getCompany>[0], companyId: string) {
  await getCompany(ctx, companyId);
  const [row] = await ctx.db.select().from(companies).where(and(eq(companies.id, companyId), eq(companies.workspaceId, ctx.workspaceId)));
  return row!;
}

const companyBody = z.strictObject({ ...companyFieldsSchema.omit({ custom: true }).shape, customFields: customFieldsInput });
const companyPatch = z.strictObject({ ...companyFieldsSchema.omit({ custom: true }).partial().shape, customFields: customFieldsInput });

export const listCompaniesOp = defineOperation({
  method: "GET",
  path: "/companies",
  operationId: "listCompanies",
  summary: "List companies",
  tag: "Companies",
  permission: "contacts.read",
  query: z.object({
    q: z.string().trim().min(1).max(200).optional().describe("Matches the name or the domain."),
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    ...pageQuery,
  }),
  response: pageOf(companySchema),
  async run(ctx, { query }) {
    const like = query.q ? likeOf(query.q) : null;
    const rows = await ctx.db
      .select({ company: companies, id: companies.id, cursorTime: exactTime(companies.createdAt) })
      .from(companies)
      .where(
        and(
          eq(companies.workspaceId, ctx.workspaceId),
          like ? or(ilike(companies.name, like), ilike(companies.domain, like)) : undefined,
          query.updatedSince ? sql`${companies.updatedAt} >= ${query.updatedSince}::timestamptz` : undefined,
          afterCursor(query.cursor, companies.createdAt, companies.id),
        ),
      )
      .orderBy(asc(companies.createdAt), asc(companies.id))
      .limit(query.limit + 1);
    const money = await companyMoney(ctx);
    return toPage(rows, query.limit, (r) => companyDTO(r.company, money));
  },
});

export const getCompanyOp = defineOperation({
  method: "GET",
  path: "/companies/{companyId}",
  operationId: "getCompany",
  summary: "Get a company",
  tag: "Companies",
  permission: "contacts.read",
  response: companySchema,
  run: async (ctx, { params }) => companyDTO(await companyById(ctx, pathId(params.companyId)), await companyMoney(ctx)),
});

export const createCompanyOp = defineOperation({
  method: "POST",
  path: "/companies",
  operationId: "createCompany",
  summary: "Create a company",
  tag: "Companies",
  permission: "contacts.write",
  body: companyBody,
  status: 201,
  response: companySchema,
  async run(ctx, { body }) {
    const { customFields, ...fields } = body;
    return companyDTO(await createCompany(ctx, { ...fields, custom: customFields }), await companyMoney(ctx));
  },
});

export const updateCompanyOp = defineOperation({
  method: "PATCH",
  path: "/companies/{companyId}",
  operationId: "updateCompany",
  summary: "Update a company",
  description: "Only the fields sent change. A key of a rep cannot change the owner of a company someone else owns (403).",
  tag: "Companies",
  permission: "contacts.write",
  body: companyPatch,
  response: companySchema,
  async run(ctx, { params, body }) {
    const companyId = pathId(params.companyId);
    const { customFields, ...fields } = body;
    // One transaction with the row lock from read to write, as for contacts above.
    const row = await ctx.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(companies)
        .where(and(eq(companies.id, companyId), eq(companies.workspaceId, ctx.workspaceId)))
        .for("update");
      if (!current) throw new AppError("NOT_FOUND");
      const merged = {
        name: current.name,
        domain: current.domain,
        phone: current.phone,
        address: current.address,
        ownerId: current.ownerId,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      };
      return updateCompany({ ...ctx, db: tx }, { ...merged, companyId, custom: customFields });
    });
    return companyDTO(row, await companyMoney(ctx));
  },
});

export const deleteCompanyOp = defineOperation({
  method: "DELETE",
  path: "/companies/{companyId}",
  operationId: "deleteCompany",
  summary: "Delete a company",
  description:
    "Its contacts and deals stay and lose the link. A key of a rep deletes only companies its member owns, and only when every deal linked to them is visible to that member (403 otherwise); managers and up delete any.",
  tag: "Companies",
  permission: "contacts.write",
  status: 204,
  async run(ctx, { params }) {
    await deleteCompany(ctx, pathId(params.companyId));
    return null;
  },
});

export const partyOperations = [listContactsOp, createContactOp, getContactOp, updateContactOp, deleteContactOp, listCompaniesOp, createCompanyOp, getCompanyOp, updateCompanyOp, deleteCompanyOp];
