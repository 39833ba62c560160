import "server-only";
import { and, eq } from "drizzle-orm";
import { companies } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { isUuid, resolveOwner } from "./references";
import { unlinkDeals } from "../deals/commands";
import { lockForDelete, resolveUpdatedOwner } from "../contacts/commands";
import { applyCustomValues } from "../custom-fields/commands";
import { withoutUnchanged } from "./custom";
import { createCompanySchema, updateCompanySchema, type CreateCompanyInput } from "./schema";

export type CompanyRow = typeof companies.$inferSelect;

/**
 * Creates a company in ctx's workspace. Input is (re)validated here, so callers such as the demo seed may pass
 * plain objects. Owner: omitted → the caller; null → unassigned; an id → must be a workspace member. Custom
 * values are checked against the workspace's active company fields (VALIDATION with "custom.<key>" errors).
 */
export async function createCompany(ctx: Ctx, input: CreateCompanyInput): Promise<CompanyRow> {
  assertCan(ctx, "contacts.write");
  const data = createCompanySchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const ownerId = await resolveOwner(tx, ctx, data.ownerId);
    const { custom } = await applyCustomValues(tx, ctx, "company", {}, data.custom);
    const [row] = await tx
      .insert(companies)
      .values({
        workspaceId: ctx.workspaceId,
        name: data.name,
        domain: data.domain,
        phone: data.phone,
        address: data.address,
        ownerId,
        custom,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    return row!;
  });
}

/**
 * Replaces a company's editable fields. Another workspace's company is NOT_FOUND and left untouched. Custom
 * fields not sent keep their values; an empty value clears one. The owner follows resolveUpdatedOwner (as for
 * contacts): not sent keeps it, and only contacts.manageAny changes the owner of a colleague's company.
 */
export async function updateCompany(ctx: Ctx, input: CreateCompanyInput & { companyId: string }): Promise<CompanyRow> {
  assertCan(ctx, "contacts.write");
  const data = updateCompanySchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ ownerId: companies.ownerId, custom: companies.custom })
      .from(companies)
      .where(and(eq(companies.id, data.companyId), eq(companies.workspaceId, ctx.workspaceId)))
      .for("update");
    if (!current) throw new AppError("NOT_FOUND");
    const ownerId = await resolveUpdatedOwner(tx, ctx, data.ownerId, current.ownerId);
    const { custom, changed } = await applyCustomValues(tx, ctx, "company", current.custom, withoutUnchanged(current.custom, data.custom));
    const [row] = await tx
      .update(companies)
      .set({ name: data.name, domain: data.domain, phone: data.phone, address: data.address, ownerId, ...(changed.length ? { custom } : {}), updatedAt: ctx.now })
      .where(and(eq(companies.id, data.companyId), eq(companies.workspaceId, ctx.workspaceId)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND");
    return row;
  });
}

/**
 * Deletes a company. Its contacts and deals stay and lose the link (foreign keys set null). Only a member with
 * contacts.manageAny, or the company's owner when every linked deal is visible to them, may (FORBIDDEN
 * otherwise, see partyDeleteRefusal). Recorded in the audit log with the name, since the row itself is gone.
 */
export async function deleteCompany(ctx: Ctx, companyId: string): Promise<void> {
  assertCan(ctx, "contacts.write");
  if (!isUuid(companyId)) throw new AppError("NOT_FOUND");
  const id = companyId;
  await ctx.db.transaction(async (tx) => {
    await lockForDelete(tx, ctx, { companyId: id }, async () => {
      const [row] = await tx.select({ ownerId: companies.ownerId }).from(companies).where(and(eq(companies.id, id), eq(companies.workspaceId, ctx.workspaceId))).for("update");
      return row;
    });
    await unlinkDeals(tx, ctx, { companyId: id });
    const [row] = await tx
      .delete(companies)
      .where(and(eq(companies.id, id), eq(companies.workspaceId, ctx.workspaceId)))
      .returning({ id: companies.id, name: companies.name, domain: companies.domain });
    if (!row) throw new AppError("NOT_FOUND");
    await audit(tx, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      action: "company.deleted",
      targetType: "company",
      targetId: row.id,
      details: { name: row.name, ...(row.domain ? { domain: row.domain } : {}) },
      at: ctx.now,
    });
  });
}
