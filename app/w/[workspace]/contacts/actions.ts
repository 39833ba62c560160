"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { createContact, deleteContact, updateContact } from "@/lib/contacts/commands";
import { searchContacts } from "@/lib/contacts/queries";
import { contactIdSchema, createContactSchema, updateContactSchema } from "@/lib/contacts/schema";
import { pickerQuerySchema } from "@/lib/companies/schema";

/** Contacts show up on company pages (and the other way round), so both trees are refreshed. */
const refresh = (slug: string) => {
  revalidatePath(`/w/${slug}/contacts`, "layout");
  revalidatePath(`/w/${slug}/companies`, "layout");
};

export const createContactAction = workspaceAction("contacts.write", createContactSchema, async (ctx, input) => {
  const contact = await createContact(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: contact.id };
});

export const updateContactAction = workspaceAction("contacts.write", updateContactSchema, async (ctx, input) => {
  const contact = await updateContact(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: contact.id };
});

export const deleteContactAction = workspaceAction("contacts.write", contactIdSchema, async (ctx, input) => {
  await deleteContact(ctx, input.contactId);
  refresh(ctx.workspace.slug);
});

/** For contact pickers elsewhere (deal form, activities): `searchContactsAction(slug, undefined, { q })`. */
export const searchContactsAction = workspaceAction("contacts.read", pickerQuerySchema, (ctx, input) => searchContacts(ctx, input.q, 8));
