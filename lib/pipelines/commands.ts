import "server-only";
import { and, asc, count, eq, inArray, isNull, max, sql } from "drizzle-orm";
import { dealEvents, deals, pipelines, stages, workspaceOptions } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { needsRebalance, positionBetween } from "../deals/position";
import { requirableDealFields } from "../deals/requirements";
import { listCustomFields } from "../custom-fields/queries";
import { defaultsFor, defaultStages } from "./defaults";

type StageInput = { name: string; probability: number; rottingDays: number | null };

async function insertPipeline(db: Db, workspaceId: string, name: string, stageInputs: readonly StageInput[], now: Date) {
  const [last] = await db.select({ p: max(pipelines.position) }).from(pipelines).where(eq(pipelines.workspaceId, workspaceId));
  const [pipeline] = await db
    .insert(pipelines)
    .values({ workspaceId, name, position: (last?.p ?? 0) + 1, createdAt: now })
    .returning();
  const stageRows = await db
    .insert(stages)
    .values(stageInputs.map((s, i) => ({ workspaceId, pipelineId: pipeline!.id, ...s, position: i + 1, createdAt: now })))
    .returning();
  return { pipeline: pipeline!, stages: stageRows };
}

/**
 * A new workspace's starting point: one pipeline with the default stages, and the default pick lists, in the
 * creator's language (see workspaceDefaults).
 */
export async function createDefaultWorkspaceData(db: Db, workspaceId: string, now: Date, locale?: string | null) {
  const defaults = defaultsFor(locale);
  await insertPipeline(db, workspaceId, defaults.pipelineName, defaults.stages, now);
  await db.insert(workspaceOptions).values([
    ...defaults.dealSources.map((label, i) => ({ workspaceId, kind: "deal_source" as const, label, position: i })),
    ...defaults.lostReasons.map((label, i) => ({ workspaceId, kind: "lost_reason" as const, label, position: i })),
  ]);
}

export async function createPipeline(ctx: Ctx, input: { name: string; stages?: StageInput[] }) {
  assertCan(ctx, "pipelines.manage");
  return ctx.db.transaction(async (tx) => {
    const created = await insertPipeline(tx, ctx.workspaceId, input.name, input.stages ?? defaultStages, ctx.now);
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "pipeline.created", targetType: "pipeline", targetId: created.pipeline.id, details: { name: input.name }, at: ctx.now });
    return created;
  });
}

async function getOwnPipeline(db: Db, ctx: Ctx, pipelineId: string) {
  const [row] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.id, pipelineId), eq(pipelines.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function renamePipeline(ctx: Ctx, input: { pipelineId: string; name: string }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    await getOwnPipeline(tx, ctx, input.pipelineId);
    await tx.update(pipelines).set({ name: input.name }).where(eq(pipelines.id, input.pipelineId));
  });
}

/**
 * Moves a pipeline one place up or down among the pipelines of the same kind (active or archived): an archived
 * pipeline sitting between two active ones is stepped over, so every move is visible in the list the user sees.
 */
export async function movePipeline(ctx: Ctx, input: { pipelineId: string; direction: "up" | "down" }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    await getOwnPipeline(tx, ctx, input.pipelineId);
    const list = await tx
      .select({ id: pipelines.id, position: pipelines.position, archived: sql<boolean>`${pipelines.archivedAt} is not null` })
      .from(pipelines)
      .where(eq(pipelines.workspaceId, ctx.workspaceId))
      .orderBy(asc(pipelines.position), asc(pipelines.createdAt));
    const i = list.findIndex((p) => p.id === input.pipelineId);
    const step = input.direction === "up" ? -1 : 1;
    let j = i + step;
    while (j >= 0 && j < list.length && list[j]!.archived !== list[i]!.archived) j += step;
    if (j < 0 || j >= list.length) return;
    // Renumber the (short) list so positions are distinct, then swap the two.
    const order = list.map((p) => p.id);
    [order[i], order[j]] = [order[j]!, order[i]!];
    for (const [k, id] of order.entries()) await tx.update(pipelines).set({ position: k + 1 }).where(eq(pipelines.id, id));
  });
}

export async function setPipelineArchived(ctx: Ctx, pipelineId: string, archived: boolean) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    const pipeline = await getOwnPipeline(tx, ctx, pipelineId);
    if ((pipeline.archivedAt !== null) === archived) return; // already so (a double click): nothing to refuse or record
    if (archived) {
      const [active] = await tx
        .select({ n: count() })
        .from(pipelines)
        .where(and(eq(pipelines.workspaceId, ctx.workspaceId), isNull(pipelines.archivedAt)));
      if ((active?.n ?? 0) <= 1) throw new AppError("CONFLICT", "errors.lastPipeline");
    }
    await tx.update(pipelines).set({ archivedAt: archived ? ctx.now : null }).where(eq(pipelines.id, pipelineId));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: archived ? "pipeline.archived" : "pipeline.restored", targetType: "pipeline", targetId: pipelineId, at: ctx.now });
  });
}

/** Copies a pipeline's stages and their settings (not its deals) into a new pipeline named "<name> (copy)". */
export async function duplicatePipeline(ctx: Ctx, pipelineId: string, name?: string) {
  assertCan(ctx, "pipelines.manage");
  return ctx.db.transaction(async (tx) => {
    const source = await getOwnPipeline(tx, ctx, pipelineId);
    const sourceStages = await tx
      .select({ name: stages.name, probability: stages.probability, rottingDays: stages.rottingDays })
      .from(stages)
      .where(and(eq(stages.pipelineId, pipelineId), eq(stages.workspaceId, ctx.workspaceId)))
      .orderBy(asc(stages.position));
    const copy = await insertPipeline(tx, ctx.workspaceId, name ?? `${source.name} (copy)`, sourceStages, ctx.now);
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "pipeline.duplicated", targetType: "pipeline", targetId: copy.pipeline.id, details: { from: pipelineId }, at: ctx.now });
    return copy;
  });
}

async function getOwnStage(db: Db, ctx: Ctx, stageId: string) {
  const [row] = await db
    .select()
    .from(stages)
    .where(and(eq(stages.id, stageId), eq(stages.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function addStage(ctx: Ctx, input: StageInput & { pipelineId: string }) {
  assertCan(ctx, "pipelines.manage");
  return ctx.db.transaction(async (tx) => {
    await getOwnPipeline(tx, ctx, input.pipelineId);
    const [last] = await tx.select({ p: max(stages.position) }).from(stages).where(eq(stages.pipelineId, input.pipelineId));
    const [stage] = await tx
      .insert(stages)
      .values({
        workspaceId: ctx.workspaceId,
        pipelineId: input.pipelineId,
        name: input.name,
        probability: input.probability,
        rottingDays: input.rottingDays,
        position: (last?.p ?? 0) + 1,
        createdAt: ctx.now,
      })
      .returning();
    return stage!;
  });
}

export async function updateStage(ctx: Ctx, input: StageInput & { stageId: string }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    await getOwnStage(tx, ctx, input.stageId);
    await tx
      .update(stages)
      .set({ name: input.name, probability: input.probability, rottingDays: input.rottingDays })
      .where(eq(stages.id, input.stageId));
  });
}

/** Puts a stage between two neighbours of the same pipeline (fractional position: one row changes). */
export async function reorderStage(ctx: Ctx, input: { stageId: string; beforeId?: string | null; afterId?: string | null }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    const stage = await getOwnStage(tx, ctx, input.stageId);
    const ids = [input.beforeId, input.afterId].filter((v): v is string => !!v);
    const neighbours = ids.length
      ? await tx
          .select({ id: stages.id, position: stages.position })
          .from(stages)
          .where(and(inArray(stages.id, ids), eq(stages.pipelineId, stage.pipelineId), eq(stages.workspaceId, ctx.workspaceId)))
      : [];
    if (neighbours.length !== ids.length) throw new AppError("NOT_FOUND");
    if (ids.includes(stage.id)) throw new AppError("VALIDATION");
    let pos = (id?: string | null) => neighbours.find((n) => n.id === id)?.position;
    if (needsRebalance(pos(input.beforeId), pos(input.afterId))) {
      // Midpoints have run out of precision: renumber the pipeline's (few) stages 1..n, keeping their order.
      await tx.execute(sql`
        update ${stages} s set position = x.rn from (
          select id, row_number() over (order by position, created_at) as rn from ${stages}
          where workspace_id = ${ctx.workspaceId} and pipeline_id = ${stage.pipelineId}) x
        where s.id = x.id`);
      const fresh = await tx
        .select({ id: stages.id, position: stages.position })
        .from(stages)
        .where(and(inArray(stages.id, ids), eq(stages.workspaceId, ctx.workspaceId)));
      pos = (id?: string | null) => fresh.find((n) => n.id === id)?.position;
    }
    await tx.update(stages).set({ position: positionBetween(pos(input.beforeId), pos(input.afterId)) }).where(eq(stages.id, stage.id));
  });
}

/**
 * Deletes a stage. Its deals (open or closed, soft-deleted too) first move to `moveToStageId` in the same
 * pipeline, each with a stage_changed event, so nothing is lost. A stage holding deals without a target is refused.
 */
export async function deleteStage(ctx: Ctx, input: { stageId: string; moveToStageId?: string | null }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    const stage = await getOwnStage(tx, ctx, input.stageId);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(stages)
      .where(and(eq(stages.pipelineId, stage.pipelineId), eq(stages.workspaceId, ctx.workspaceId)));
    if (n <= 1) throw new AppError("CONFLICT", "errors.lastStage");
    const held = await tx
      .select({ id: deals.id })
      .from(deals)
      .where(and(eq(deals.stageId, stage.id), eq(deals.workspaceId, ctx.workspaceId)))
      .for("update");
    if (held.length > 0) {
      if (!input.moveToStageId || input.moveToStageId === stage.id) {
        throw new AppError("VALIDATION", "errors.stageHasDeals", { moveToStageId: ["errors.stageHasDeals"] });
      }
      const target = await getOwnStage(tx, ctx, input.moveToStageId);
      if (target.pipelineId !== stage.pipelineId) throw new AppError("VALIDATION", "errors.stageOtherPipeline");
      const [last] = await tx.select({ p: max(deals.position) }).from(deals).where(eq(deals.stageId, target.id));
      const base = last?.p ?? 0;
      await tx.execute(sql`
        update ${deals} d set stage_id = ${target.id}, stage_entered_at = ${ctx.now.toISOString()}::timestamptz,
          position = ${base} + x.rn, version = d.version + 1, updated_at = ${ctx.now.toISOString()}::timestamptz
        from (select id, row_number() over (order by position) as rn from ${deals} where stage_id = ${stage.id}) x
        where d.id = x.id`);
      await tx.insert(dealEvents).values(
        held.map((d) => ({
          workspaceId: ctx.workspaceId,
          dealId: d.id,
          type: "stage_changed" as const,
          actorId: ctx.userId,
          fromStageId: stage.id,
          toStageId: target.id,
          data: { reason: "stage_deleted", fromStageName: stage.name },
          occurredAt: ctx.now,
        })),
      );
    }
    await tx.delete(stages).where(eq(stages.id, stage.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "stage.deleted", targetType: "stage", targetId: stage.id, details: { name: stage.name, movedDeals: held.length, to: input.moveToStageId ?? null }, at: ctx.now });
  });
}

/**
 * Sets the fields a deal must have to enter a stage: built-in names (lib/deals/requirements.ts) or
 * "custom:<key>" of an active deal field of this workspace.
 */
export async function setStageRequirements(ctx: Ctx, input: { stageId: string; fields: string[] }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    const stage = await getOwnStage(tx, ctx, input.stageId);
    const customKeys = new Set((await listCustomFields(ctx, "deal", { db: tx })).map((f) => `custom:${f.key}`));
    const valid = input.fields.every((f) => (requirableDealFields as readonly string[]).includes(f) || customKeys.has(f));
    if (!valid) throw new AppError("VALIDATION", "errors.unknownField", { fields: ["errors.unknownField"] });
    const fields = [...new Set(input.fields)];
    await tx.update(stages).set({ requiredFields: fields }).where(eq(stages.id, stage.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "stage.requirements_changed", targetType: "stage", targetId: stage.id, details: { name: stage.name, from: stage.requiredFields, to: fields }, at: ctx.now });
  });
}

export const MAX_CARD_FIELDS = 4;

/** Chooses up to four deal custom fields shown on this pipeline's board cards. */
export async function setPipelineCardFields(ctx: Ctx, input: { pipelineId: string; keys: string[] }) {
  assertCan(ctx, "pipelines.manage");
  await ctx.db.transaction(async (tx) => {
    const pipeline = await getOwnPipeline(tx, ctx, input.pipelineId);
    const keys = [...new Set(input.keys)];
    if (keys.length > MAX_CARD_FIELDS) throw new AppError("VALIDATION", "errors.tooManyCardFields", { keys: ["errors.tooManyCardFields"] });
    const known = new Set((await listCustomFields(ctx, "deal", { db: tx })).map((f) => f.key));
    if (!keys.every((k) => known.has(k))) throw new AppError("VALIDATION", "errors.unknownField", { keys: ["errors.unknownField"] });
    await tx.update(pipelines).set({ cardFields: keys }).where(eq(pipelines.id, input.pipelineId));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "pipeline.card_fields_changed", targetType: "pipeline", targetId: pipeline.id, details: { name: pipeline.name, from: pipeline.cardFields, to: keys }, at: ctx.now });
  });
}
