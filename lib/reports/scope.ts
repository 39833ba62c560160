import { and, eq, type SQL } from "drizzle-orm";
import { deals } from "@/db/schema";
import type { Ctx } from "../context";
import { visibleDeals } from "../deals/scope";
import { rows } from "@/db/migrate";

/** The filters every report takes besides its period. Ids are checked against the workspace by the queries. */
export type ReportFilters = { pipelineId?: string | null; ownerId?: string | null };

/**
 * The deals a report counts: visibleDeals(ctx) (workspace, not deleted, own deals for limited reps) plus the
 * report's pipeline and owner. SQL over the unaliased "deals" table.
 */
export function reportDeals(ctx: Ctx, f: ReportFilters): SQL {
  return and(visibleDeals(ctx), f.pipelineId ? eq(deals.pipelineId, f.pipelineId) : undefined, f.ownerId ? eq(deals.ownerId, f.ownerId) : undefined)!;
}

/** Rows of a raw query. */
export async function query<T>(ctx: Pick<Ctx, "db">, q: SQL): Promise<T[]> {
  return rows<T>(await ctx.db.execute(q));
}

/** numeric / bigint / count come back as strings from both drivers: read them as numbers (null stays null). */
export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** Instants as SQL timestamptz literals. */
export function ts(d: Date) {
  return d.toISOString();
}

/** A deal row as the report lists show it (id, title, money, owner, expected close). */
export type ReportDealDTO = { id: string; title: string; value: number; currency: string; ownerName: string | null; days: number; expectedCloseDate: string | null };

export function toReportDealRow(r: Record<string, unknown>): ReportDealDTO {
  return {
    id: String(r.id),
    title: String(r.title),
    value: num(r.value),
    currency: String(r.currency),
    ownerName: (r.owner_name as string | null) ?? null,
    days: Math.floor(num(r.days)),
    expectedCloseDate: (r.close as string | null) ?? null,
  };
}
