"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { discardImport, executeImport, saveMapping, startImport, validateImport } from "@/lib/imports/commands";
import { revertImport } from "@/lib/imports/revert";
import { importIdSchema, saveMappingSchema, startImportSchema } from "@/lib/imports/schema";

/**
 * Import steps. Small files (up to INLINE_ROW_LIMIT rows) are checked and imported within the request; bigger
 * ones are queued for the automation engine (lib/imports/jobs.ts) and the page follows their progress.
 * Imports change deals, contacts, companies and pipelines: the whole workspace is revalidated after them.
 */
const refresh = (slug: string) => revalidatePath(`/w/${slug}`, "layout");

export const saveMappingAction = workspaceAction("data.import", saveMappingSchema, async (ctx, input) => {
  const { background } = await saveMapping(ctx, input);
  if (!background) await validateImport(ctx.db, input.importId, ctx.now, () => new Date());
  revalidatePath(`/w/${ctx.workspace.slug}/settings/import`, "layout");
  return { background };
});

export const startImportAction = workspaceAction("data.import", startImportSchema, async (ctx, input) => {
  const { background } = await startImport(ctx, input);
  if (!background) await executeImport(ctx.db, input.importId, ctx.now, async () => {}, () => new Date());
  refresh(ctx.workspace.slug);
  return { background };
});

export const revertImportAction = workspaceAction("data.import", importIdSchema, async (ctx, input) => {
  const result = await revertImport(ctx, input.importId);
  refresh(ctx.workspace.slug);
  return result;
});

export const discardImportAction = workspaceAction("data.import", importIdSchema, async (ctx, input) => {
  await discardImport(ctx, input.importId);
  revalidatePath(`/w/${ctx.workspace.slug}/settings/import`, "layout");
});
