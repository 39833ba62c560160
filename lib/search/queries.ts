import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { companies, contacts, deals, stages } from "@/db/schema";
import type { Ctx } from "../context";
import { containsPattern, prefixPattern } from "../companies/references";
import { visibleDeals } from "../deals/scope";

export type SearchHit = { kind: "deal" | "contact" | "company"; id: string; title: string; subtitle: string | null };

export const MIN_QUERY_LENGTH = 2;

/**
 * ⌘K: deals, contacts and companies matching what was typed, each kind ranked by "starts with" then trigram
 * similarity then recency. The WHERE expressions are exactly the trigram-indexed ones (migration 0002), so a
 * 100,000-row workspace answers from the indexes. Deals go through visibleDeals: a rep limited to own deals never
 * finds others'. The query is matched case-insensitively and literally (% and _ are not wildcards).
 */
export async function globalSearch(ctx: Ctx, query: string, perKind = 6): Promise<SearchHit[]> {
  const q = query.trim().toLowerCase().slice(0, 100);
  if (q.length < MIN_QUERY_LENGTH) return [];
  const like = containsPattern(q);
  const prefix = prefixPattern(q);

  const dealTitle = sql`lower(${deals.title})`;
  const contactText = sql`lower(${contacts.firstName} || ' ' || ${contacts.lastName} || ' ' || coalesce(${contacts.email}, '') || ' ' || coalesce(${contacts.phone}, ''))`;
  const contactName = sql`lower(${contacts.firstName} || ' ' || ${contacts.lastName})`;
  const companyName = sql`lower(${companies.name})`;

  const [dealRows, contactRows, companyRows] = await Promise.all([
    ctx.db
      .select({ id: deals.id, title: deals.title, status: deals.status, stage: stages.name, company: companies.name })
      .from(deals)
      .innerJoin(stages, eq(stages.id, deals.stageId))
      .leftJoin(companies, eq(companies.id, deals.companyId))
      .where(and(visibleDeals(ctx), sql`${dealTitle} like ${like}`))
      .orderBy(desc(sql`${dealTitle} like ${prefix}`), desc(sql`similarity(${dealTitle}, ${q})`), desc(deals.updatedAt))
      .limit(perKind),
    ctx.db
      .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email, company: companies.name })
      .from(contacts)
      .leftJoin(companies, eq(companies.id, contacts.companyId))
      .where(and(eq(contacts.workspaceId, ctx.workspaceId), sql`${contactText} like ${like}`))
      .orderBy(desc(sql`${contactName} like ${prefix}`), desc(sql`similarity(${contactText}, ${q})`), desc(contacts.updatedAt))
      .limit(perKind),
    ctx.db
      .select({ id: companies.id, name: companies.name, domain: companies.domain })
      .from(companies)
      .where(and(eq(companies.workspaceId, ctx.workspaceId), sql`${companyName} like ${like}`))
      .orderBy(desc(sql`${companyName} like ${prefix}`), desc(sql`similarity(${companyName}, ${q})`), desc(companies.updatedAt))
      .limit(perKind),
  ]);
  return [
    ...dealRows.map((d) => ({ kind: "deal" as const, id: d.id, title: d.title, subtitle: [d.company, d.stage].filter(Boolean).join(" · ") || null })),
    ...contactRows.map((c) => ({ kind: "contact" as const, id: c.id, title: `${c.firstName} ${c.lastName}`.trim(), subtitle: [c.email, c.company].filter(Boolean).join(" · ") || null })),
    ...companyRows.map((c) => ({ kind: "company" as const, id: c.id, title: c.name, subtitle: c.domain })),
  ];
}
