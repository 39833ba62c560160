import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { companies, contacts, deals, stages } from "@/db/schema";
import type { Ctx } from "../context";
import { containsPattern, prefixPattern } from "../companies/references";
import { visibleDeals } from "../deals/scope";

/** `closed`: a won or lost deal (its title alone does not tell it from an open deal of the same name). */
export type SearchHit = { kind: "deal" | "contact" | "company"; id: string; title: string; subtitle: string | null; closed?: "won" | "lost" };

export const MIN_QUERY_LENGTH = 2;

/** How many matches per kind are ranked: the indexes find candidates, only these few are sorted. */
const CANDIDATES = 60;

/**
 * ⌘K: deals, contacts and companies matching what was typed, each kind ranked by "starts with", then trigram
 * similarity, then recency. From three characters on, the WHERE expressions are exactly the trigram-indexed ones
 * (migration 0002); two characters match name prefixes through btree text_pattern_ops indexes (0007). Each kind
 * takes at most CANDIDATES index matches before ranking, so a broad term on 100,000 rows stays fast. Deals go
 * through visibleDeals: a rep limited to own deals never finds others'. Matching is case-insensitive and literal
 * (% and _ are not wildcards).
 */
export async function globalSearch(ctx: Ctx, query: string, perKind = 6): Promise<SearchHit[]> {
  const q = query.trim().toLowerCase().slice(0, 100);
  if (q.length < MIN_QUERY_LENGTH) return [];
  const prefixOnly = q.length < 3;
  const like = prefixOnly ? prefixPattern(q) : containsPattern(q);
  const prefix = prefixPattern(q);

  const dealTitle = sql`lower(${deals.title})`;
  const contactText = sql`lower(${contacts.firstName} || ' ' || ${contacts.lastName} || ' ' || coalesce(${contacts.email}, '') || ' ' || coalesce(${contacts.phone}, ''))`;
  const contactName = sql`lower(${contacts.firstName} || ' ' || ${contacts.lastName})`;
  const companyName = sql`lower(${companies.name})`;

  const dealCandidates = ctx.db
    .select({ id: deals.id, key: sql<string>`${dealTitle}`.as("key"), updatedAt: deals.updatedAt })
    .from(deals)
    .where(and(visibleDeals(ctx), sql`${dealTitle} like ${like}`))
    .limit(CANDIDATES)
    .as("deal_candidates");
  const contactCandidates = ctx.db
    .select({ id: contacts.id, key: sql<string>`${contactName}`.as("key"), text: sql<string>`${contactText}`.as("text"), updatedAt: contacts.updatedAt })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, ctx.workspaceId), prefixOnly ? sql`${contactName} like ${like}` : sql`${contactText} like ${like}`))
    .limit(CANDIDATES)
    .as("contact_candidates");
  const companyCandidates = ctx.db
    .select({ id: companies.id, key: sql<string>`${companyName}`.as("key"), updatedAt: companies.updatedAt })
    .from(companies)
    .where(and(eq(companies.workspaceId, ctx.workspaceId), sql`${companyName} like ${like}`))
    .limit(CANDIDATES)
    .as("company_candidates");

  const [dealRows, contactRows, companyRows] = await Promise.all([
    ctx.db
      .select({ id: deals.id, title: deals.title, status: deals.status, stage: stages.name, company: companies.name })
      .from(dealCandidates)
      .innerJoin(deals, eq(deals.id, dealCandidates.id))
      .innerJoin(stages, eq(stages.id, deals.stageId))
      .leftJoin(companies, eq(companies.id, deals.companyId))
      .orderBy(desc(sql`${dealCandidates.key} like ${prefix}`), desc(sql`similarity(${dealCandidates.key}, ${q})`), desc(dealCandidates.updatedAt))
      .limit(perKind),
    ctx.db
      .select({ id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email, company: companies.name })
      .from(contactCandidates)
      .innerJoin(contacts, eq(contacts.id, contactCandidates.id))
      .leftJoin(companies, eq(companies.id, contacts.companyId))
      .orderBy(desc(sql`${contactCandidates.key} like ${prefix}`), desc(sql`similarity(${contactCandidates.text}, ${q})`), desc(contactCandidates.updatedAt))
      .limit(perKind),
    ctx.db
      .select({ id: companies.id, name: companies.name, domain: companies.domain })
      .from(companyCandidates)
      .innerJoin(companies, eq(companies.id, companyCandidates.id))
      .orderBy(desc(sql`${companyCandidates.key} like ${prefix}`), desc(sql`similarity(${companyCandidates.key}, ${q})`), desc(companyCandidates.updatedAt))
      .limit(perKind),
  ]);
  return [
    ...dealRows.map((d) => ({
      kind: "deal" as const,
      id: d.id,
      title: d.title,
      subtitle: [d.company, d.stage].filter(Boolean).join(" · ") || null,
      ...(d.status === "open" ? {} : { closed: d.status }),
    })),
    ...contactRows.map((c) => ({ kind: "contact" as const, id: c.id, title: `${c.firstName} ${c.lastName}`.trim(), subtitle: [c.email, c.company].filter(Boolean).join(" · ") || null })),
    ...companyRows.map((c) => ({ kind: "company" as const, id: c.id, title: c.name, subtitle: c.domain })),
  ];
}
