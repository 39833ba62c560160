import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { customFields } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import type { CustomFieldEntity } from "./schema";
import type { FieldDef } from "./values";

export type CustomFieldDTO = FieldDef & { id: string; entity: CustomFieldEntity; position: number; archived: boolean };

/** The workspace's fields of one entity in display order (active only unless asked). */
export async function listCustomFields(ctx: Pick<Ctx, "db" | "workspaceId">, entity: CustomFieldEntity, opts: { includeArchived?: boolean; db?: Db } = {}): Promise<CustomFieldDTO[]> {
  const rows = await (opts.db ?? ctx.db)
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, ctx.workspaceId), eq(customFields.entity, entity), opts.includeArchived ? undefined : isNull(customFields.archivedAt)))
    .orderBy(asc(customFields.position), asc(customFields.createdAt));
  return rows.map((r) => ({ id: r.id, entity: r.entity, key: r.key, label: r.label, type: r.type, settings: r.settings, position: r.position, archived: r.archivedAt !== null }));
}

/** Only what the browser needs of a field (no ids, positions or archive state). */
export const toFieldDef = (f: CustomFieldDTO): FieldDef => ({ key: f.key, label: f.label, type: f.type, settings: f.settings });
