import "server-only";
import { and, asc, count, eq, gte, ilike, isNull, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { companies, contacts, users, workspaceOptions } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { containsPattern, isUuid, prefixPattern } from "../companies/references";
import { listRelatedDeals, type RelatedDealDTO } from "../companies/related-deals";
import type { SortDir } from "../companies/schema";
import { customFilters, customSortField, customSortKey } from "../companies/custom";
import { listCustomFields } from "../custom-fields/queries";
import { contactName, type ContactListParams, type ContactSort, type Lifecycle } from "./schema";

export const CONTACT_PAGE_SIZE = 50;

export type ContactListRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  lifecycle: Lifecycle;
  score: number;
  company: { id: string; name: string } | null;
  owner: { id: string; name: string } | null;
  createdAt: Date;
  /** Custom field values by key (see lib/custom-fields/values.ts for the stored shapes). */
  custom: Record<string, unknown>;
};

export type ContactPage = { rows: ContactListRow[]; total: number; page: number; pageSize: number; pageCount: number; sort: ContactSort; dir: SortDir };

/** Default direction per column: text A→Z, lifecycle lead→customer, dates newest first, score highest first. */
export function defaultContactDir(sort: ContactSort): SortDir {
  return sort === "created" || sort === "score" ? "desc" : "asc"; // custom fields too: A→Z, small→large, early→late
}

const fullName = sql`concat_ws(' ', ${contacts.firstName}, nullif(${contacts.lastName}, ''))`;

function contactSearch(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const pattern = containsPattern(q);
  const digits = q.replace(/\D/g, "");
  return or(
    ilike(fullName, pattern),
    // Family name first, no space, as Chinese names are written: "王芳" finds first "芳", last "王".
    ilike(sql`concat(${contacts.lastName}, ${contacts.firstName})`, pattern),
    ilike(contacts.email, pattern),
    ilike(contacts.phone, pattern),
    // "5551234" finds "+1 (555) 123-4567"
    digits.length >= 3 ? sql`regexp_replace(coalesce(${contacts.phone}, ''), '\\D', '', 'g') like ${`%${digits}%`}` : undefined,
    ilike(companies.name, pattern),
  );
}

function ownerFilter(ctx: Ctx, owner: ContactListParams["owner"]): SQL | undefined {
  if (!owner) return undefined;
  if (owner === "none") return isNull(contacts.ownerId);
  return eq(contacts.ownerId, owner === "me" ? ctx.userId : owner);
}

/**
 * One page of the workspace's contacts: search (name, email, phone, company name; case-insensitive), owner,
 * lifecycle and custom-field equality filters (`cf`), sort (also by a custom field, "cf.<key>"), and the total
 * count. A page past the end is clamped to the last page; a sort or filter naming no active field is ignored.
 */
export async function listContacts(ctx: Ctx, params: ContactListParams = {}, pageSize = CONTACT_PAGE_SIZE): Promise<ContactPage> {
  const fields = params.cf || params.sort?.startsWith("cf.") ? await listCustomFields(ctx, "contact") : [];
  const where = and(
    eq(contacts.workspaceId, ctx.workspaceId),
    contactSearch(params.q),
    ownerFilter(ctx, params.owner),
    params.lifecycle ? eq(contacts.lifecycle, params.lifecycle) : undefined,
    params.minScore !== undefined ? gte(contacts.score, params.minScore) : undefined,
    ...customFilters(contacts.custom, fields, params.cf),
  );
  const [{ total } = { total: 0 }] = await ctx.db
    .select({ total: count() })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.id, contacts.companyId), eq(companies.workspaceId, contacts.workspaceId)))
    .where(where);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(params.page ?? 1, pageCount);
  const sortField = customSortField(fields, params.sort);
  const sort: ContactSort = sortField ? `cf.${sortField.key}` : params.sort && !params.sort.startsWith("cf.") ? params.sort : "created";
  const dir = params.dir ?? defaultContactDir(sort);
  const by = (key: SQL | AnyColumn) => sql`${key} ${sql.raw(dir)} nulls last`;
  const keys: SQL[] = sortField
    ? [by(customSortKey(contacts.custom, sortField)), asc(sql`lower(${contacts.firstName})`)]
    : ({
        name: [by(sql`lower(${contacts.firstName})`), by(sql`lower(${contacts.lastName})`)],
        created: [by(contacts.createdAt)],
        company: [by(sql`lower(${companies.name})`), asc(sql`lower(${contacts.firstName})`)],
        lifecycle: [by(contacts.lifecycle), asc(sql`lower(${contacts.firstName})`)],
        score: [by(contacts.score), asc(sql`lower(${contacts.firstName})`)],
      } as Record<string, SQL[]>)[sort]!;
  const rows = await ctx.db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      phone: contacts.phone,
      title: contacts.title,
      lifecycle: contacts.lifecycle,
      score: contacts.score,
      companyId: companies.id,
      companyName: companies.name,
      ownerId: contacts.ownerId,
      ownerName: users.name,
      createdAt: contacts.createdAt,
      custom: contacts.custom,
    })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.id, contacts.companyId), eq(companies.workspaceId, contacts.workspaceId)))
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(where)
    .orderBy(...keys, asc(contacts.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map(({ companyId, companyName, ownerId, ownerName, ...r }) => ({
      ...r,
      company: companyId ? { id: companyId, name: companyName ?? "" } : null,
      owner: ownerId ? { id: ownerId, name: ownerName ?? "" } : null,
    })),
    total,
    page,
    pageSize,
    pageCount,
    sort,
    dir,
  };
}

export type ContactOption = { id: string; name: string; email: string | null; companyName: string | null };

/** For pickers (deal form, activities): contacts whose name or email contains `q`, prefix matches first. */
export async function searchContacts(ctx: Ctx, q: string, limit = 10): Promise<ContactOption[]> {
  const text = q.trim();
  const pattern = containsPattern(text);
  const rows = await ctx.db
    .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email, companyName: companies.name })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.id, contacts.companyId), eq(companies.workspaceId, contacts.workspaceId)))
    .where(
      and(
        eq(contacts.workspaceId, ctx.workspaceId),
        text
          ? or(ilike(fullName, pattern), ilike(sql`concat(${contacts.lastName}, ${contacts.firstName})`, pattern), ilike(contacts.email, pattern))
          : undefined,
      ),
    )
    .orderBy(
      ...(text
        ? [sql`case when lower(${fullName}) like ${prefixPattern(text.toLowerCase())} or lower(${contacts.email}) like ${prefixPattern(text.toLowerCase())} then 0 else 1 end`]
        : []),
      sql`lower(${contacts.firstName})`,
      sql`lower(${contacts.lastName})`,
      asc(contacts.id),
    )
    .limit(Math.min(Math.max(Math.trunc(limit) || 10, 1), 50));
  return rows.map((r) => ({ id: r.id, name: contactName(r), email: r.email, companyName: r.companyName }));
}

export type ContactDetail = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  lifecycle: Lifecycle;
  source: string | null;
  timeZone: string | null;
  score: number;
  unsubscribedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Custom field values by key, archived fields' values included (pages show the active fields only). */
  custom: Record<string, unknown>;
  company: { id: string; name: string; domain: string | null } | null;
  owner: { id: string; name: string } | null;
  deals: RelatedDealDTO[];
};

/** A contact of ctx's workspace with its company and the deals the caller may see; else NOT_FOUND. */
export async function getContact(ctx: Ctx, contactId: string): Promise<ContactDetail> {
  if (!isUuid(contactId)) throw new AppError("NOT_FOUND");
  const [row] = await ctx.db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      phone: contacts.phone,
      title: contacts.title,
      lifecycle: contacts.lifecycle,
      source: contacts.source,
      timeZone: contacts.timeZone,
      score: contacts.score,
      unsubscribedAt: contacts.unsubscribedAt,
      createdAt: contacts.createdAt,
      updatedAt: contacts.updatedAt,
      custom: contacts.custom,
      companyId: companies.id,
      companyName: companies.name,
      companyDomain: companies.domain,
      ownerId: contacts.ownerId,
      ownerName: users.name,
    })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.id, contacts.companyId), eq(companies.workspaceId, contacts.workspaceId)))
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, ctx.workspaceId)));
  if (!row) throw new AppError("NOT_FOUND");
  const { companyId, companyName, companyDomain, ownerId, ownerName, ...contact } = row;
  return {
    ...contact,
    company: companyId ? { id: companyId, name: companyName ?? "", domain: companyDomain } : null,
    owner: ownerId ? { id: ownerId, name: ownerName ?? "" } : null,
    deals: await listRelatedDeals(ctx, { contactId }),
  };
}

/** Suggestions for the contact "source" field: the workspace's deal-source pick list. */
export async function listSourceSuggestions(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.db
    .select({ label: workspaceOptions.label })
    .from(workspaceOptions)
    .where(and(eq(workspaceOptions.workspaceId, ctx.workspaceId), eq(workspaceOptions.kind, "deal_source")))
    .orderBy(asc(workspaceOptions.position), asc(workspaceOptions.label));
  return rows.map((r) => r.label);
}
