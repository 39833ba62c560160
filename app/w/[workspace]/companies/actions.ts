"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { createCompany, deleteCompany, updateCompany } from "@/lib/companies/commands";
import { searchCompanies } from "@/lib/companies/queries";
import { companyIdSchema, createCompanySchema, pickerQuerySchema, updateCompanySchema } from "@/lib/companies/schema";

/** Company names show on contact rows and pages, so both trees are refreshed. */
const refresh = (slug: string) => {
  revalidatePath(`/w/${slug}/companies`, "layout");
  revalidatePath(`/w/${slug}/contacts`, "layout");
};

export const createCompanyAction = workspaceAction("contacts.write", createCompanySchema, async (ctx, input) => {
  const company = await createCompany(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: company.id };
});

export const updateCompanyAction = workspaceAction("contacts.write", updateCompanySchema, async (ctx, input) => {
  const company = await updateCompany(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: company.id };
});

export const deleteCompanyAction = workspaceAction("contacts.write", companyIdSchema, async (ctx, input) => {
  await deleteCompany(ctx, input.companyId);
  refresh(ctx.workspace.slug);
});

/** For company pickers (contact form, deal form): `searchCompaniesAction(slug, undefined, { q })`. */
export const searchCompaniesAction = workspaceAction("contacts.read", pickerQuerySchema, (ctx, input) => searchCompanies(ctx, input.q, 8));
