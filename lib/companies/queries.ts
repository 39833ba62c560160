import "server-only";
import { and, asc, count, desc, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import { companies, contacts, deals, users } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { visibleDeals } from "../deals/scope";
import { containsPattern, isUuid, prefixPattern } from "./references";
import { listCustomFields } from "../custom-fields/queries";
import { customFilters, customSortField, customSortKey } from "./custom";
import { listRelatedDeals, type RelatedDealDTO } from "./related-deals";
import type { CompanyListParams, CompanySort, SortDir } from "./schema";

export const COMPANY_PAGE_SIZE = 50;

export type CompanyListRow = {
  id: string;
  name: string;
  domain: string | null;
  phone: string | null;
  owner: { id: string; name: string } | null;
  contactCount: number;
  /** Open deals the caller may see (visibleDeals). */
  openDealCount: number;
  createdAt: Date;
  /** Custom field values by key (see lib/custom-fields/values.ts for the stored shapes). */
  custom: Record<string, unknown>;
};

export type CompanyPage = { rows: CompanyListRow[]; total: number; page: number; pageSize: number; pageCount: number; sort: CompanySort; dir: SortDir };

const contactCountOf = () =>
  sql<number>`(select count(*)::int from ${contacts} where ${contacts.workspaceId} = ${companies.workspaceId} and ${contacts.companyId} = ${companies.id})`;
const openDealCountOf = (ctx: Ctx) =>
  sql<number>`(select count(*)::int from ${deals} where ${visibleDeals(ctx)} and ${deals.companyId} = ${companies.id} and ${deals.status} = 'open')`;

/** Default direction per column: names A→Z, everything countable or dated biggest / newest first. */
export function defaultCompanyDir(sort: CompanySort): SortDir {
  return sort === "name" || sort.startsWith("cf.") ? "asc" : "desc";
}

function companySearch(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const pattern = containsPattern(q);
  const digits = q.replace(/\D/g, "");
  return or(
    ilike(companies.name, pattern),
    ilike(companies.domain, pattern),
    ilike(companies.phone, pattern),
    // "5551234" finds "+1 (555) 123-4567"
    digits.length >= 3 ? sql`regexp_replace(coalesce(${companies.phone}, ''), '\\D', '', 'g') like ${`%${digits}%`}` : undefined,
  );
}

function ownerFilter(ctx: Ctx, owner: CompanyListParams["owner"]): SQL | undefined {
  if (!owner) return undefined;
  if (owner === "none") return isNull(companies.ownerId);
  return eq(companies.ownerId, owner === "me" ? ctx.userId : owner);
}

/**
 * One page of the workspace's companies with search (name, domain, phone), owner filter, custom-field
 * equality filters (`cf`), sort (also by a custom field, "cf.<key>") and the total count. A page past the end
 * is clamped to the last page; a sort or filter naming no active field is ignored.
 */
export async function listCompanies(ctx: Ctx, params: CompanyListParams = {}, pageSize = COMPANY_PAGE_SIZE): Promise<CompanyPage> {
  const fields = params.cf || params.sort?.startsWith("cf.") ? await listCustomFields(ctx, "company") : [];
  const where = and(eq(companies.workspaceId, ctx.workspaceId), companySearch(params.q), ownerFilter(ctx, params.owner), ...customFilters(companies.custom, fields, params.cf));
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(companies).where(where);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(params.page ?? 1, pageCount);
  const sortField = customSortField(fields, params.sort);
  const sort: CompanySort = sortField ? `cf.${sortField.key}` : params.sort && !params.sort.startsWith("cf.") ? params.sort : "name";
  const dir = params.dir ?? defaultCompanyDir(sort);
  const contactCount = contactCountOf();
  const openDealCount = openDealCountOf(ctx);
  const builtIn = { name: sql`lower(${companies.name})`, created: sql`${companies.createdAt}`, contacts: contactCount, deals: openDealCount } as Record<string, SQL>;
  const keys: SQL[] = sortField
    ? [sql`${customSortKey(companies.custom, sortField)} ${sql.raw(dir)} nulls last`, asc(sql`lower(${companies.name})`)]
    : [dir === "asc" ? asc(builtIn[sort]!) : desc(builtIn[sort]!)];
  const rows = await ctx.db
    .select({
      id: companies.id,
      name: companies.name,
      domain: companies.domain,
      phone: companies.phone,
      ownerId: companies.ownerId,
      ownerName: users.name,
      contactCount,
      openDealCount,
      createdAt: companies.createdAt,
      custom: companies.custom,
    })
    .from(companies)
    .leftJoin(users, eq(users.id, companies.ownerId))
    .where(where)
    .orderBy(...keys, asc(companies.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map(({ ownerId, ownerName, ...r }) => ({ ...r, owner: ownerId ? { id: ownerId, name: ownerName ?? "" } : null })),
    total,
    page,
    pageSize,
    pageCount,
    sort,
    dir,
  };
}

export type CompanyOption = { id: string; name: string; domain: string | null };

/** For pickers: companies whose name or domain contains `q`, names starting with it first. Empty q → A–Z. */
export function searchCompanies(ctx: Ctx, q: string, limit = 10): Promise<CompanyOption[]> {
  const text = q.trim();
  const pattern = containsPattern(text);
  return ctx.db
    .select({ id: companies.id, name: companies.name, domain: companies.domain })
    .from(companies)
    .where(and(eq(companies.workspaceId, ctx.workspaceId), text ? or(ilike(companies.name, pattern), ilike(companies.domain, pattern)) : undefined))
    .orderBy(
      ...(text ? [sql`case when lower(${companies.name}) like ${prefixPattern(text.toLowerCase())} then 0 else 1 end`] : []),
      sql`lower(${companies.name})`,
      asc(companies.id),
    )
    .limit(Math.min(Math.max(Math.trunc(limit) || 10, 1), 50));
}

export type CompanyDetail = {
  id: string;
  name: string;
  domain: string | null;
  phone: string | null;
  address: string | null;
  owner: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
  /** Custom field values by key, archived fields' values included (pages show the active fields only). */
  custom: Record<string, unknown>;
  contacts: { id: string; firstName: string; lastName: string; email: string | null; phone: string | null; title: string | null; lifecycle: "lead" | "qualified" | "customer" }[];
  contactCount: number;
  deals: RelatedDealDTO[];
};

/** A company of ctx's workspace with its contacts and the deals the caller may see; else NOT_FOUND. */
export async function getCompany(ctx: Ctx, companyId: string): Promise<CompanyDetail> {
  if (!isUuid(companyId)) throw new AppError("NOT_FOUND");
  const [row] = await ctx.db
    .select({
      id: companies.id,
      name: companies.name,
      domain: companies.domain,
      phone: companies.phone,
      address: companies.address,
      ownerId: companies.ownerId,
      ownerName: users.name,
      createdAt: companies.createdAt,
      updatedAt: companies.updatedAt,
      custom: companies.custom,
      contactCount: contactCountOf(),
    })
    .from(companies)
    .leftJoin(users, eq(users.id, companies.ownerId))
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, ctx.workspaceId)));
  if (!row) throw new AppError("NOT_FOUND");
  const [people, companyDeals] = await Promise.all([
    ctx.db
      .select({
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        email: contacts.email,
        phone: contacts.phone,
        title: contacts.title,
        lifecycle: contacts.lifecycle,
      })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, ctx.workspaceId), eq(contacts.companyId, companyId)))
      .orderBy(sql`lower(${contacts.firstName})`, sql`lower(${contacts.lastName})`, asc(contacts.id))
      .limit(500),
    listRelatedDeals(ctx, { companyId }),
  ]);
  const { ownerId, ownerName, ...company } = row;
  return { ...company, owner: ownerId ? { id: ownerId, name: ownerName ?? "" } : null, contacts: people, deals: companyDeals };
}
