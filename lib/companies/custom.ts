import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { users } from "@/db/schema";
import type { Ctx } from "../context";
import { parseCustomValue, type FieldDef } from "../custom-fields/values";

/**
 * Custom fields on the contact and company lists and forms: equality filters, sorting, user-name lookup.
 * Every key used in SQL belongs to one of the workspace's active fields (the caller passes them in) and is
 * bound as a parameter, never spliced into the statement.
 */

/** Long text has no sensible equality filter; every other type filters by its stored value. */
export function isFilterable(field: FieldDef): boolean {
  return field.type !== "long_text";
}

/**
 * `cf.<key>=<value>` filters as SQL over a jsonb `custom` column. Values are parsed like form input (a select
 * by option id or label, a number as typed, a checkbox as true/false) and matched with `custom @> {key: value}`,
 * which the table's GIN index (jsonb_path_ops) serves. "Unticked" means not ticked (false or never set). Keys
 * of unknown or archived fields and values the field would refuse are ignored, like any stale URL parameter.
 */
export function customFilters(column: PgColumn, fields: FieldDef[], filters: Record<string, string> | undefined): SQL[] {
  const out: SQL[] = [];
  for (const [key, raw] of Object.entries(filters ?? {})) {
    const field = fields.find((f) => f.key === key);
    if (!field || !isFilterable(field)) continue;
    const parsed = parseCustomValue(field, raw);
    if (!parsed.ok || parsed.value === null) continue;
    if (field.type === "checkbox" && parsed.value === false) {
      out.push(sql`not (${column} @> ${JSON.stringify({ [key]: true })}::jsonb)`);
    } else {
      out.push(sql`${column} @> ${JSON.stringify({ [key]: parsed.value })}::jsonb`);
    }
  }
  return out;
}

/** The active field a `sort=cf.<key>` names, if any. */
export function customSortField(fields: FieldDef[], sort: string | undefined): FieldDef | undefined {
  if (!sort?.startsWith("cf.")) return undefined;
  return fields.find((f) => f.key === sort.slice(3));
}

/**
 * The ordering expression of a custom field, as a user reads the column: text case-insensitively, numbers and
 * amounts numerically, dates chronologically, selects in the order of their choices, users by name.
 */
export function customSortKey(column: PgColumn, field: FieldDef): SQL {
  const key = field.key;
  switch (field.type) {
    case "number":
    case "money":
    case "checkbox":
      return sql`(${column} -> ${key})`;
    case "date":
      return sql`(${column} ->> ${key})`;
    case "single_select":
    case "multi_select": {
      const options = field.settings.options ?? [];
      const value = field.type === "single_select" ? sql`(${column} ->> ${key})` : sql`(${column} -> ${key} ->> 0)`;
      if (options.length === 0) return sql`null`;
      // a removed choice sorts after the current ones; no value stays null (sorted last)
      return sql`(case when ${value} is null then null ${sql.join(
        options.map((o, i) => sql`when ${value} = ${o.id} then ${i}::int`),
        sql` `,
      )} else ${options.length}::int end)`;
    }
    case "user":
      return sql`(select lower(${users.name}) from ${users} where ${users.id}::text = ${column} ->> ${key})`;
    default:
      return sql`lower(${column} ->> ${key})`;
  }
}

/**
 * Names of the users that user-type custom values point at (members and former members alike), so a page can
 * show "Ann Lee" rather than an id, and keep a former member selected in an edit form.
 */
export async function customUserNames(ctx: Pick<Ctx, "db">, fields: FieldDef[], records: { custom: Record<string, unknown> }[]): Promise<Record<string, string>> {
  const keys = fields.filter((f) => f.type === "user").map((f) => f.key);
  const ids = new Set<string>();
  for (const r of records) for (const k of keys) {
    const v = r.custom[k];
    if (typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v)) ids.add(v.toLowerCase());
  }
  if (ids.size === 0) return {};
  const rows = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...ids]));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/**
 * Drops submitted custom values identical to what the record already stores. An edit form re-posts every
 * field; an unchanged user field naming a former member must not make the save fail (only new picks are
 * checked for membership), just as an unchanged owner is kept. Identical strings parse to themselves.
 */
export function withoutUnchanged(current: Record<string, unknown>, raw: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!raw) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k, v]) => !(typeof v === "string" && typeof current[k] === "string" && v === current[k])));
}
