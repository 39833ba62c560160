"use server";

import { workspaceAction } from "@/lib/actions";
import { searchCompanies } from "@/lib/companies/queries";
import { searchContacts } from "@/lib/contacts/queries";
import { z } from "@/lib/validation";

const searchSchema = z.object({ q: z.string().trim().max(100) });

/** Pickers on the deal page: contacts and companies matching what the user typed (workspace-scoped). */
export const searchContactsAction = workspaceAction("deals.read", searchSchema, (ctx, { q }) => searchContacts(ctx, q, 8));
export const searchCompaniesAction = workspaceAction("deals.read", searchSchema, (ctx, { q }) => searchCompanies(ctx, q, 8));
