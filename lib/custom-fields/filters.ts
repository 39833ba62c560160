import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import { parseCustomValue, type FieldDef } from "./values";

/** A custom-field filter from the URL (`cf.<key>=<value>`), already parsed to the stored type. */
export type CustomFilter = { key: string; type: FieldDef["type"]; value: unknown };

const textual = new Set(["text", "long_text", "url", "email", "phone"]);

/**
 * Reads `cf.<key>` params for known fields; values that do not parse are ignored (a stale link shows everything
 * rather than an error page).
 */
export function customFiltersFrom(params: Record<string, string | undefined>, fields: FieldDef[]): CustomFilter[] {
  const out: CustomFilter[] = [];
  for (const [name, raw] of Object.entries(params)) {
    if (!name.startsWith("cf.") || raw === undefined || raw === "") continue;
    const field = fields.find((f) => f.key === name.slice(3));
    if (!field) continue;
    if (textual.has(field.type)) {
      out.push({ key: field.key, type: field.type, value: raw.trim().slice(0, 200) });
      continue;
    }
    const parsed = parseCustomValue(field, field.type === "multi_select" ? [raw] : raw);
    if (parsed.ok && parsed.value !== null) out.push({ key: field.key, type: field.type, value: parsed.value });
  }
  return out;
}

/**
 * SQL for custom filters over a `custom` jsonb column: text types match case-insensitively anywhere; every other
 * type by containment (`custom @> {"key": value}`, served by the GIN jsonb_path_ops index; a multi-select
 * matches records having that option among others).
 */
export function customFilterConditions(column: AnyColumn, filters: CustomFilter[]): SQL[] {
  return filters.map((f) => {
    if (textual.has(f.type)) {
      const like = `%${String(f.value).toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return sql`lower(${column} ->> ${f.key}) like ${like}`;
    }
    return sql`${column} @> ${JSON.stringify({ [f.key]: f.value })}::jsonb`;
  });
}

/** ORDER BY expression for a custom field (numbers and money numerically, everything else as text; empty last). */
export function customSortExpression(column: AnyColumn, field: FieldDef): SQL {
  return field.type === "number" || field.type === "money" ? sql`(${column} ->> ${field.key})::numeric` : sql`${column} ->> ${field.key}`;
}
