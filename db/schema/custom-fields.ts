import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./auth";

export const customFieldEntityEnum = pgEnum("custom_field_entity", ["deal", "contact", "company"]);
export const customFieldTypeEnum = pgEnum("custom_field_type", [
  "text",
  "long_text",
  "number",
  "money",
  "date",
  "single_select",
  "multi_select",
  "checkbox",
  "user",
  "url",
  "email",
  "phone",
]);

export type CustomFieldOption = { id: string; label: string };
/** Per-type settings: the choices of a select, the currency of a money field. */
export type CustomFieldSettings = { options?: CustomFieldOption[]; currency?: string };

/**
 * A workspace-defined field of deals, contacts or companies. Values live in the record's `custom` jsonb under
 * `key` (typed per field; see lib/custom-fields/values.ts and docs/decisions.md). Archived fields keep their
 * values and come back intact when restored.
 */
export const customFields = pgTable(
  "custom_fields",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    entity: customFieldEntityEnum().notNull(),
    /** Stable machine name ("budget_owner"); labels may change, keys never do. */
    key: text().notNull(),
    label: text().notNull(),
    type: customFieldTypeEnum().notNull(),
    settings: jsonb().$type<CustomFieldSettings>().notNull().default({}),
    position: integer().notNull().default(0),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("custom_fields_ws_entity_key_idx").on(t.workspaceId, t.entity, t.key), index("custom_fields_ws_entity_pos_idx").on(t.workspaceId, t.entity, t.position)],
);
