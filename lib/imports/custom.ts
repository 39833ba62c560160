import "server-only";
import type { Ctx } from "../context";
import { listCustomFields, toFieldDef } from "../custom-fields/queries";
import type { FieldDef } from "../custom-fields/values";
import { CUSTOM_PREFIX, entityOf, type CustomColumn, type ImportKind } from "./fields";

/**
 * The workspace's active custom fields of the imported kind: their definitions (for parsing values with the
 * same rules as the forms) and the mapping targets they offer ("custom:<key>", shown by label).
 */
export async function customFieldsOf(ctx: Pick<Ctx, "db" | "workspaceId">, kind: ImportKind): Promise<{ defs: FieldDef[]; columns: CustomColumn[] }> {
  const defs = (await listCustomFields(ctx, entityOf[kind])).map(toFieldDef);
  return { defs, columns: defs.map((d) => ({ field: `${CUSTOM_PREFIX}${d.key}`, label: d.label })) };
}
