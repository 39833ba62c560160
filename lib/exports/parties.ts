import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { companies, contacts, users } from "@/db/schema";
import type { Ctx } from "../context";
import { listCompanies } from "../companies/queries";
import type { CompanyListParams } from "../companies/schema";
import { listContacts } from "../contacts/queries";
import type { ContactListParams } from "../contacts/schema";
import { companyFields, contactFields } from "../imports/fields";
import { wallDate } from "../spreadsheets/dates";
import type { CellValue, Column } from "../spreadsheets/write";
import type { CustomCells } from "./custom";
import type { Translate } from "./types";

const PAGE = 1000;

/**
 * Contacts and companies exports. Rows come from the lists' own queries (listContacts / listCompanies), a page
 * at a time, so the export holds exactly what the list shows with the same search, filters and order; the
 * few columns the list does not carry (source, time zone, owner email, address) are read for that page's ids.
 * Columns are the import's fields, so an exported file imports back.
 */

const contactExportFields = contactFields.filter((f) => f !== "fullName");

export function contactColumns(t: Translate): Column[] {
  return [
    ...contactExportFields.map((f) => ({ header: t(`imports.fields.contacts.${f}`), type: f === "createdAt" ? ("datetime" as const) : ("text" as const) })),
    { header: t("exports.columns.id"), type: "text" as const, width: 38 },
  ];
}

export async function* contactRows(ctx: Ctx, params: ContactListParams, t: Translate, customCells: CustomCells = () => []): AsyncGenerator<CellValue[]> {
  const tz = ctx.workspace.timeZone;
  for (let page = 1; ; page++) {
    const result = await listContacts(ctx, { ...params, page }, PAGE);
    if (result.page !== page || result.rows.length === 0) return; // past the end (the list clamps the page)
    const ids = result.rows.map((r) => r.id);
    const extra = await ctx.db
      .select({ id: contacts.id, source: contacts.source, timeZone: contacts.timeZone, ownerEmail: users.email, custom: contacts.custom })
      .from(contacts)
      .leftJoin(users, eq(users.id, contacts.ownerId))
      .where(and(eq(contacts.workspaceId, ctx.workspaceId), inArray(contacts.id, ids)));
    const more = new Map(extra.map((e) => [e.id, e]));
    for (const c of result.rows) {
      const m = more.get(c.id);
      const values: Record<(typeof contactExportFields)[number], CellValue> = {
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        phone: c.phone,
        jobTitle: c.title,
        company: c.company?.name ?? null,
        ownerEmail: m?.ownerEmail ?? null,
        lifecycle: t(`contacts.lifecycle.${c.lifecycle}`),
        source: m?.source ?? null,
        timeZone: m?.timeZone ?? null,
        createdAt: wallDate(c.createdAt, tz),
      };
      yield [...contactExportFields.map((f) => values[f]), c.id, ...customCells(m?.custom)];
    }
    if (page >= result.pageCount) return;
  }
}

export function companyColumns(t: Translate): Column[] {
  return [
    ...companyFields.map((f) => ({ header: t(`imports.fields.companies.${f}`), type: f === "createdAt" ? ("datetime" as const) : ("text" as const) })),
    { header: t("exports.columns.contactCount"), type: "integer" as const },
    { header: t("exports.columns.openDealCount"), type: "integer" as const },
    { header: t("exports.columns.id"), type: "text" as const, width: 38 },
  ];
}

export async function* companyRows(ctx: Ctx, params: CompanyListParams, customCells: CustomCells = () => []): AsyncGenerator<CellValue[]> {
  const tz = ctx.workspace.timeZone;
  for (let page = 1; ; page++) {
    const result = await listCompanies(ctx, { ...params, page }, PAGE);
    if (result.page !== page || result.rows.length === 0) return;
    const ids = result.rows.map((r) => r.id);
    const extra = await ctx.db
      .select({ id: companies.id, address: companies.address, ownerEmail: users.email, custom: companies.custom })
      .from(companies)
      .leftJoin(users, eq(users.id, companies.ownerId))
      .where(and(eq(companies.workspaceId, ctx.workspaceId), inArray(companies.id, ids)));
    const more = new Map(extra.map((e) => [e.id, e]));
    for (const c of result.rows) {
      const m = more.get(c.id);
      const values: Record<(typeof companyFields)[number], CellValue> = {
        name: c.name,
        domain: c.domain,
        phone: c.phone,
        address: m?.address ?? null,
        ownerEmail: m?.ownerEmail ?? null,
        createdAt: wallDate(c.createdAt, tz),
      };
      yield [...companyFields.map((f) => values[f]), c.contactCount, c.openDealCount, c.id, ...customCells(m?.custom)];
    }
    if (page >= result.pageCount) return;
  }
}
