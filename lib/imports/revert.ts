import "server-only";
import { and, asc, eq, gt, inArray, notExists, sql } from "drizzle-orm";
import { companies, contacts, deals, importRecords, imports, pipelines, stages } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { REVERT_WINDOW_DAYS } from "./commands";

const CHUNK = 1000;

export type RevertResult = {
  deleted: Record<"deals" | "contacts" | "companies" | "stages" | "pipelines", number>;
  restored: Record<"contacts" | "companies", number>;
  /** Fields changed again since the import: left as they are now. */
  keptChangedFields: number;
  /** Pipelines and stages the import created that now hold other deals: kept. */
  keptInUse: number;
};

type Entity = (typeof importRecords.$inferSelect)["entity"];

/** The ids an import recorded for one entity and action, in chunks (memory stays bounded). */
async function* recorded(db: Db, ctx: Ctx, importId: string, entity: Entity, action: "created" | "updated") {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({ id: importRecords.id, entityId: importRecords.entityId, before: importRecords.before, after: importRecords.after })
      .from(importRecords)
      .where(and(eq(importRecords.workspaceId, ctx.workspaceId), eq(importRecords.importId, importId), eq(importRecords.entity, entity), eq(importRecords.action, action), gt(importRecords.id, after)))
      .orderBy(asc(importRecords.id))
      .limit(CHUNK);
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    yield rows;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Undoes a completed import, within REVERT_WINDOW_DAYS of its end, in one transaction: restores the fields it
 * updated on existing contacts and companies (only those nobody changed since), then deletes exactly the deals
 * (with their history), contacts and companies it created, and the stages and pipelines it created unless
 * other deals now use them. Another workspace's import is NOT_FOUND.
 */
export async function revertImport(ctx: Ctx, importId: string): Promise<RevertResult> {
  assertCan(ctx, "data.import");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.id, importId), eq(imports.workspaceId, ctx.workspaceId)))
      .for("update");
    if (!row) throw new AppError("NOT_FOUND");
    if (row.status !== "completed") throw new AppError("CONFLICT", "errors.importBusy");
    if (!row.finishedAt || ctx.now.getTime() - row.finishedAt.getTime() > REVERT_WINDOW_DAYS * 86_400_000) throw new AppError("CONFLICT", "errors.importRevertExpired");

    const result: RevertResult = {
      deleted: { deals: 0, contacts: 0, companies: 0, stages: 0, pipelines: 0 },
      restored: { contacts: 0, companies: 0 },
      keptChangedFields: 0,
      keptInUse: 0,
    };

    for (const [entity, table, key] of [
      ["contact", contacts, "contacts"],
      ["company", companies, "companies"],
    ] as const) {
      for await (const chunk of recorded(tx, ctx, importId, entity, "updated")) {
        const current = await tx
          .select()
          .from(table)
          .where(and(eq(table.workspaceId, ctx.workspaceId), inArray(table.id, chunk.map((r) => r.entityId))));
        const byId = new Map(current.map((c) => [c.id, c as Record<string, unknown>]));
        for (const record of chunk) {
          const now = byId.get(record.entityId);
          if (!now || !record.after || !record.before) continue;
          const restore: Record<string, unknown> = {};
          for (const [field, value] of Object.entries(record.after)) {
            if (same(now[field], value)) restore[field] = record.before[field] ?? null;
            else result.keptChangedFields++;
          }
          if (Object.keys(restore).length === 0) continue;
          await tx
            .update(table)
            .set({ ...restore, updatedAt: ctx.now })
            .where(and(eq(table.id, record.entityId), eq(table.workspaceId, ctx.workspaceId)));
          result.restored[key]++;
        }
      }
    }

    for (const [entity, table, key] of [
      ["deal", deals, "deals"],
      ["contact", contacts, "contacts"],
      ["company", companies, "companies"],
    ] as const) {
      for await (const chunk of recorded(tx, ctx, importId, entity, "created")) {
        const gone = await tx
          .delete(table)
          .where(and(eq(table.workspaceId, ctx.workspaceId), inArray(table.id, chunk.map((r) => r.entityId))))
          .returning({ id: table.id });
        result.deleted[key] += gone.length;
      }
    }

    // Stages and pipelines go only when no deal (the workspace's own, added since) sits in them.
    for await (const chunk of recorded(tx, ctx, importId, "stage", "created")) {
      const ids = chunk.map((r) => r.entityId);
      const gone = await tx
        .delete(stages)
        .where(
          and(
            eq(stages.workspaceId, ctx.workspaceId),
            inArray(stages.id, ids),
            notExists(tx.select({ one: sql`1` }).from(deals).where(eq(deals.stageId, stages.id))),
            // Never leave a pipeline that was there before without stages; the import's own pipelines go below.
            sql`(exists (select 1 from ${stages} s2 where s2.pipeline_id = ${stages.pipelineId}
                   and s2.id not in (select r.entity_id from ${importRecords} r where r.import_id = ${importId} and r.entity = 'stage'))
                 or exists (select 1 from ${importRecords} r where r.import_id = ${importId} and r.entity = 'pipeline' and r.entity_id = ${stages.pipelineId}))`,
          ),
        )
        .returning({ id: stages.id });
      result.deleted.stages += gone.length;
      result.keptInUse += ids.length - gone.length;
    }
    for await (const chunk of recorded(tx, ctx, importId, "pipeline", "created")) {
      const ids = chunk.map((r) => r.entityId);
      const gone = await tx
        .delete(pipelines)
        .where(and(eq(pipelines.workspaceId, ctx.workspaceId), inArray(pipelines.id, ids), notExists(tx.select({ one: sql`1` }).from(deals).where(eq(deals.pipelineId, pipelines.id)))))
        .returning({ id: pipelines.id });
      result.deleted.pipelines += gone.length;
      result.keptInUse += ids.length - gone.length;
    }

    await tx.update(imports).set({ status: "reverted", revertedAt: ctx.now, revertedBy: ctx.userId }).where(eq(imports.id, row.id));
    await audit(tx, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      action: "import.reverted",
      targetType: "import",
      targetId: row.id,
      details: { kind: row.kind, fileName: row.fileName, ...result },
      at: ctx.now,
    });
    return result;
  });
}
