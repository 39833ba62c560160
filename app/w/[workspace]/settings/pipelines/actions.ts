"use server";

import { revalidatePath } from "next/cache";
import { getLocale } from "next-intl/server";
import { workspaceAction } from "@/lib/actions";
import { defaultsFor } from "@/lib/pipelines/defaults";
import {
  addStage,
  createPipeline,
  deleteStage,
  duplicatePipeline,
  movePipeline,
  renamePipeline,
  reorderStage,
  setPipelineArchived,
  setPipelineCardFields,
  setStageRequirements,
  updateStage,
} from "@/lib/pipelines/commands";
import { z } from "@/lib/validation";
import { addOption, addOptionSchema, moveOption, moveOptionSchema, removeOption, removeOptionSchema, renameOption, renameOptionSchema } from "@/lib/pipelines/options";
import {
  addStageSchema,
  createPipelineSchema,
  deleteStageSchema,
  movePipelineSchema,
  pipelineIdSchema,
  renamePipelineSchema,
  reorderStageSchema,
  updateStageSchema,
} from "@/lib/pipelines/schema";

/** Pipelines and stages show up everywhere in the workspace (board, switcher, deal forms): refresh it all. */
const done = (slug: string) => revalidatePath(`/w/${slug}`, "layout");

export const createPipelineAction = workspaceAction("pipelines.manage", createPipelineSchema.pick({ name: true }), async (ctx, input) => {
  // A new pipeline's stages in the language the page is shown in, as the hint under the name field says.
  const { pipeline } = await createPipeline(ctx, { name: input.name, stages: [...defaultsFor(await getLocale()).stages] });
  done(ctx.workspace.slug);
  return { id: pipeline.id };
});

export const renamePipelineAction = workspaceAction("pipelines.manage", renamePipelineSchema, async (ctx, input) => {
  await renamePipeline(ctx, input);
  done(ctx.workspace.slug);
});

export const movePipelineAction = workspaceAction("pipelines.manage", movePipelineSchema, async (ctx, input) => {
  await movePipeline(ctx, input);
  done(ctx.workspace.slug);
});

export const archivePipelineAction = workspaceAction("pipelines.manage", pipelineIdSchema, async (ctx, input) => {
  await setPipelineArchived(ctx, input.pipelineId, true);
  done(ctx.workspace.slug);
});

export const restorePipelineAction = workspaceAction("pipelines.manage", pipelineIdSchema, async (ctx, input) => {
  await setPipelineArchived(ctx, input.pipelineId, false);
  done(ctx.workspace.slug);
});

/** `name` is the copy's name in the user's language ("Sales (copy)"), composed by the form; default: English. */
const duplicatePipelineSchema = pipelineIdSchema.extend({ name: renamePipelineSchema.shape.name.optional() });

export const duplicatePipelineAction = workspaceAction("pipelines.manage", duplicatePipelineSchema, async (ctx, input) => {
  const copy = await duplicatePipeline(ctx, input.pipelineId, input.name);
  done(ctx.workspace.slug);
  return { id: copy.pipeline.id };
});

export const addStageAction = workspaceAction("pipelines.manage", addStageSchema, async (ctx, input) => {
  const stage = await addStage(ctx, input);
  done(ctx.workspace.slug);
  return { id: stage.id };
});

export const updateStageAction = workspaceAction("pipelines.manage", updateStageSchema, async (ctx, input) => {
  await updateStage(ctx, input);
  done(ctx.workspace.slug);
});

export const reorderStageAction = workspaceAction("pipelines.manage", reorderStageSchema, async (ctx, input) => {
  await reorderStage(ctx, input);
  done(ctx.workspace.slug);
});

export const deleteStageAction = workspaceAction("pipelines.manage", deleteStageSchema, async (ctx, input) => {
  await deleteStage(ctx, input);
  done(ctx.workspace.slug);
});

export const addOptionAction = workspaceAction("pipelines.manage", addOptionSchema, async (ctx, input) => {
  const option = await addOption(ctx, input);
  done(ctx.workspace.slug);
  return { id: option.id };
});

export const renameOptionAction = workspaceAction("pipelines.manage", renameOptionSchema, async (ctx, input) => {
  await renameOption(ctx, input);
  done(ctx.workspace.slug);
});

export const moveOptionAction = workspaceAction("pipelines.manage", moveOptionSchema, async (ctx, input) => {
  await moveOption(ctx, input);
  done(ctx.workspace.slug);
});

export const removeOptionAction = workspaceAction("pipelines.manage", removeOptionSchema, async (ctx, input) => {
  await removeOption(ctx, input);
  done(ctx.workspace.slug);
});

export const setStageRequirementsAction = workspaceAction(
  "pipelines.manage",
  z.object({ stageId: z.uuid(), fields: z.array(z.string().max(80)).max(50) }),
  async (ctx, input) => {
    await setStageRequirements(ctx, input);
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
  },
);

export const setCardFieldsAction = workspaceAction(
  "pipelines.manage",
  z.object({ pipelineId: z.uuid(), keys: z.array(z.string().max(60)).max(10) }),
  async (ctx, input) => {
    await setPipelineCardFields(ctx, input);
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
  },
);
