import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { contacts, deals, pipelines, stages, users } from "@/db/schema";
import type { Ctx } from "../context";
import { visibleDeals } from "../deals/scope";

export type RelatedDealDTO = {
  id: string;
  title: string;
  /** Minor units of `currency`. */
  value: number;
  currency: string;
  status: "open" | "won" | "lost";
  stageName: string;
  pipelineName: string;
  ownerName: string | null;
  contactName: string | null;
  expectedCloseDate: string | null;
  closedAt: Date | null;
};

/**
 * The deals of one contact or company as the caller may see them (visibleDeals: workspace, not deleted, and
 * only their own when the workspace limits reps). Open deals first, then the most recently changed. The caller
 * has already checked that the contact / company belongs to ctx's workspace.
 */
export function listRelatedDeals(ctx: Ctx, of: { contactId: string } | { companyId: string }, limit = 200): Promise<RelatedDealDTO[]> {
  return ctx.db
    .select({
      id: deals.id,
      title: deals.title,
      value: deals.value,
      currency: deals.currency,
      status: deals.status,
      stageName: stages.name,
      pipelineName: pipelines.name,
      ownerName: users.name,
      contactName: sql<string | null>`nullif(concat_ws(' ', ${contacts.firstName}, nullif(${contacts.lastName}, '')), '')`,
      expectedCloseDate: deals.expectedCloseDate,
      closedAt: deals.closedAt,
    })
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .where(and(visibleDeals(ctx), "contactId" in of ? eq(deals.contactId, of.contactId) : eq(deals.companyId, of.companyId)))
    .orderBy(sql`case ${deals.status} when 'open' then 0 else 1 end`, desc(deals.updatedAt), asc(deals.id))
    .limit(limit);
}
