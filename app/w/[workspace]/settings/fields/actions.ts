"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { changeCustomFieldType, createCustomField, moveCustomField, setCustomFieldArchived, updateCustomField } from "@/lib/custom-fields/commands";
import { changeFieldTypeSchema, createFieldSchema, fieldIdSchema, moveFieldSchema, updateFieldSchema } from "@/lib/custom-fields/schema";
import { z } from "@/lib/validation";

const done = (slug: string) => revalidatePath(`/w/${slug}`, "layout");

export const createFieldAction = workspaceAction("settings.manage", createFieldSchema, async (ctx, input) => {
  const field = await createCustomField(ctx, { ...input, currency: input.currency || undefined });
  done(ctx.workspace.slug);
  return { id: field.id };
});

export const updateFieldAction = workspaceAction("settings.manage", updateFieldSchema, async (ctx, input) => {
  await updateCustomField(ctx, { ...input, currency: input.currency || undefined });
  done(ctx.workspace.slug);
});

export const changeFieldTypeAction = workspaceAction("settings.manage", changeFieldTypeSchema, async (ctx, input) => {
  await changeCustomFieldType(ctx, input);
  done(ctx.workspace.slug);
});

export const moveFieldAction = workspaceAction("settings.manage", moveFieldSchema, async (ctx, input) => {
  await moveCustomField(ctx, input);
  done(ctx.workspace.slug);
});

export const archiveFieldAction = workspaceAction("settings.manage", fieldIdSchema.extend({ archived: z.boolean() }), async (ctx, input) => {
  await setCustomFieldArchived(ctx, input.fieldId, input.archived);
  done(ctx.workspace.slug);
});
