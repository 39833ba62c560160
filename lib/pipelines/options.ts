import "server-only";
import { and, asc, eq, max, ne, sql } from "drizzle-orm";
import { workspaceOptions } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { z } from "../validation";

/**
 * The workspace's pick lists: deal sources and lost reasons. Deals and contacts store the label as text, so
 * renaming or removing an option changes the list offered in forms, never a deal or contact that carries it.
 */

export const optionKinds = ["deal_source", "lost_reason"] as const;
export type OptionKind = (typeof optionKinds)[number];

const optionKind = z.enum(optionKinds);
/** Deal and contact sources are stored with at most 80 characters; lost reasons follow the same limit. */
const label = z.string().trim().min(1).max(80);

export const addOptionSchema = z.object({ kind: optionKind, label });
export const renameOptionSchema = z.object({ optionId: z.uuid(), label });
export const moveOptionSchema = z.object({
  optionId: z.uuid(),
  /** The option shown above after the move (null: it becomes first). */
  beforeId: z.uuid().nullable().optional(),
  /** The option shown below after the move (null: it becomes last). */
  afterId: z.uuid().nullable().optional(),
});
export const removeOptionSchema = z.object({ optionId: z.uuid() });

export type OptionDTO = { id: string; kind: OptionKind; label: string };

/** Both pick lists of the workspace, each in its order. */
export async function listWorkspaceOptions(ctx: Ctx): Promise<Record<OptionKind, OptionDTO[]>> {
  const rows = await ctx.db
    .select({ id: workspaceOptions.id, kind: workspaceOptions.kind, label: workspaceOptions.label })
    .from(workspaceOptions)
    .where(eq(workspaceOptions.workspaceId, ctx.workspaceId))
    .orderBy(asc(workspaceOptions.position), asc(workspaceOptions.label));
  return {
    deal_source: rows.filter((r) => r.kind === "deal_source"),
    lost_reason: rows.filter((r) => r.kind === "lost_reason"),
  };
}

const labelTaken = () => new AppError("CONFLICT", "errors.optionTaken", { label: ["errors.optionTaken"] });

/** Labels are unique per workspace and kind, compared case-insensitively ("price" clashes with "Price"). */
async function assertLabelFree(db: Db, ctx: Ctx, kind: OptionKind, text: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: workspaceOptions.id })
    .from(workspaceOptions)
    .where(
      and(
        eq(workspaceOptions.workspaceId, ctx.workspaceId),
        eq(workspaceOptions.kind, kind),
        sql`lower(${workspaceOptions.label}) = ${text.toLowerCase()}`,
        exceptId ? ne(workspaceOptions.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (clash) throw labelTaken();
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

/** The pre-check misses a concurrent insert of the same label; the unique index still refuses it. */
async function mapLabelRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw labelTaken();
    throw error;
  }
}

async function getOwnOption(db: Db, ctx: Ctx, optionId: string) {
  const [row] = await db
    .select()
    .from(workspaceOptions)
    .where(and(eq(workspaceOptions.id, optionId), eq(workspaceOptions.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/** Appends a label to the end of its list. */
export async function addOption(ctx: Ctx, input: z.input<typeof addOptionSchema>): Promise<OptionDTO> {
  assertCan(ctx, "pipelines.manage");
  const data = addOptionSchema.parse(input);
  return mapLabelRace(() =>
    ctx.db.transaction(async (tx) => {
      await assertLabelFree(tx, ctx, data.kind, data.label);
      const [last] = await tx
        .select({ p: max(workspaceOptions.position) })
        .from(workspaceOptions)
        .where(and(eq(workspaceOptions.workspaceId, ctx.workspaceId), eq(workspaceOptions.kind, data.kind)));
      const [row] = await tx
        .insert(workspaceOptions)
        .values({ workspaceId: ctx.workspaceId, kind: data.kind, label: data.label, position: (last?.p ?? -1) + 1 })
        .returning({ id: workspaceOptions.id, kind: workspaceOptions.kind, label: workspaceOptions.label });
      await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "option.created", targetType: "workspace_option", targetId: row!.id, details: { kind: data.kind, label: data.label }, at: ctx.now });
      return row!;
    }),
  );
}

/** Renames a label in the list. Deals and contacts saved with the old label keep it. */
export async function renameOption(ctx: Ctx, input: z.input<typeof renameOptionSchema>): Promise<void> {
  assertCan(ctx, "pipelines.manage");
  const data = renameOptionSchema.parse(input);
  await mapLabelRace(() =>
    ctx.db.transaction(async (tx) => {
      const option = await getOwnOption(tx, ctx, data.optionId);
      if (option.label === data.label) return;
      await assertLabelFree(tx, ctx, option.kind, data.label, option.id);
      await tx.update(workspaceOptions).set({ label: data.label }).where(eq(workspaceOptions.id, option.id));
      await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "option.renamed", targetType: "workspace_option", targetId: option.id, details: { kind: option.kind, from: option.label, to: data.label }, at: ctx.now });
    }),
  );
}

/**
 * Puts an option between two neighbours of the same list (as shown after a drag and drop). Positions are small
 * integers, so the list is renumbered; only the rows whose position changes are written.
 */
export async function moveOption(ctx: Ctx, input: z.input<typeof moveOptionSchema>): Promise<void> {
  assertCan(ctx, "pipelines.manage");
  const data = moveOptionSchema.parse(input);
  await ctx.db.transaction(async (tx) => {
    const option = await getOwnOption(tx, ctx, data.optionId);
    const list = await tx
      .select({ id: workspaceOptions.id, position: workspaceOptions.position })
      .from(workspaceOptions)
      .where(and(eq(workspaceOptions.workspaceId, ctx.workspaceId), eq(workspaceOptions.kind, option.kind)))
      .orderBy(asc(workspaceOptions.position), asc(workspaceOptions.label))
      .for("update");
    const rest = list.filter((o) => o.id !== option.id);
    const indexOf = (id: string) => {
      const i = rest.findIndex((o) => o.id === id);
      if (i < 0) throw new AppError("NOT_FOUND"); // another list, another workspace, or the option itself
      return i;
    };
    // The neighbour above wins when both are given (they agree unless the client's list is stale).
    const at = data.beforeId ? indexOf(data.beforeId) + 1 : data.afterId ? indexOf(data.afterId) : 0;
    if (data.beforeId && data.afterId) indexOf(data.afterId);
    const order = [...rest.slice(0, at), option, ...rest.slice(at)];
    for (const [position, row] of order.entries()) {
      const current = list.find((o) => o.id === row.id)!;
      if (current.position !== position) await tx.update(workspaceOptions).set({ position }).where(eq(workspaceOptions.id, row.id));
    }
  });
}

/** Removes a label from its list. Deals and contacts that carry it keep it (they store the text). */
export async function removeOption(ctx: Ctx, input: z.input<typeof removeOptionSchema>): Promise<void> {
  assertCan(ctx, "pipelines.manage");
  const data = removeOptionSchema.parse(input);
  await ctx.db.transaction(async (tx) => {
    const option = await getOwnOption(tx, ctx, data.optionId);
    await tx.delete(workspaceOptions).where(eq(workspaceOptions.id, option.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "option.removed", targetType: "workspace_option", targetId: option.id, details: { kind: option.kind, label: option.label }, at: ctx.now });
  });
}
