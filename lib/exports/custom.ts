import "server-only";
import { eq } from "drizzle-orm";
import { memberships, users } from "@/db/schema";
import type { Ctx } from "../context";
import { listCustomFields, toFieldDef } from "../custom-fields/queries";
import { customValueToInput, type FieldDef } from "../custom-fields/values";
import type { CellValue, Column } from "../spreadsheets/write";

export type CustomCells = (custom: Record<string, unknown> | null | undefined) => CellValue[];

/**
 * The workspace's active custom fields as extra export columns, headed by their labels and written the way the
 * import reads them back: options by label (several joined with "; "), money in the field currency's units,
 * dates as dates, people by their email, checkboxes as true/false.
 */
export async function customColumns(ctx: Ctx, entity: "deal" | "contact" | "company"): Promise<{ columns: Column[]; cells: CustomCells }> {
  const defs = (await listCustomFields(ctx, entity)).map(toFieldDef);
  const emails = new Map<string, string>();
  if (defs.some((d) => d.type === "user")) {
    const rows = await ctx.db.select({ id: users.id, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.workspaceId, ctx.workspaceId));
    for (const r of rows) emails.set(r.id, r.email);
  }
  const columns: Column[] = defs.map((d) => ({ header: d.label, type: d.type === "money" || d.type === "number" ? "decimal" : d.type === "date" ? "date" : "text" }));
  const cell = (d: FieldDef, value: unknown): CellValue => {
    if (value === undefined || value === null) return null;
    const label = (id: unknown) => d.settings.options?.find((o) => o.id === id)?.label ?? "";
    switch (d.type) {
      case "money":
        return String(customValueToInput(d, value));
      case "number":
        return typeof value === "number" ? String(value) : null;
      case "date":
        return typeof value === "string" ? new Date(`${value}T00:00:00Z`) : null;
      case "single_select":
        return label(value);
      case "multi_select":
        return Array.isArray(value) ? value.map(label).join("; ") : null;
      case "checkbox":
        return value === true ? "true" : value === false ? "false" : null;
      case "user":
        return emails.get(String(value)) ?? null;
      default:
        return String(value);
    }
  };
  return { columns, cells: (custom) => defs.map((d) => cell(d, custom?.[d.key])) };
}
