import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { id, createdAt, workspaceId } from "./columns";

export const dealStatusEnum = pgEnum("deal_status", ["open", "won", "lost"]);
export const lifecycleEnum = pgEnum("lifecycle", ["lead", "qualified", "customer"]);
export const dealEventTypeEnum = pgEnum("deal_event_type", [
  "created",
  "stage_changed",
  "won",
  "lost",
  "reopened",
  "value_changed",
  "owner_changed",
  "close_date_changed",
  "field_changed",
  "deleted",
  "restored",
]);
export const optionKindEnum = pgEnum("option_kind", ["deal_source", "lost_reason"]);


export const pipelines = pgTable(
  "pipelines",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    position: doublePrecision().notNull().default(0),
    archivedAt: timestamp({ withTimezone: true }),
    /** Up to four deal custom field keys shown on this pipeline's board cards. */
    cardFields: jsonb().$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index("pipelines_ws_idx").on(t.workspaceId, t.position)],
);

export const stages = pgTable(
  "stages",
  {
    id: id(),
    workspaceId: workspaceId(),
    pipelineId: uuid()
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    name: text().notNull(),
    position: doublePrecision().notNull(),
    /** Win probability, whole percent 0–100. */
    probability: integer().notNull().default(0),
    /** Days in the stage after which an open deal counts as stuck; null = never. */
    rottingDays: integer(),
    /** Fields a deal must have filled to enter this stage: built-in names or "custom:<key>". */
    requiredFields: jsonb().$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index("stages_ws_pipeline_idx").on(t.workspaceId, t.pipelineId, t.position)],
);

export const companies = pgTable(
  "companies",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    domain: text(),
    phone: text(),
    address: text(),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Custom field values by key (lib/custom-fields). */
    custom: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("companies_ws_name_idx").on(t.workspaceId, sql`lower(${t.name})`),
    // global search: trigram indexes serve ILIKE '%text%' (pg_trgm, migration 0001)
    index("companies_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
    // two-character searches match prefixes, served by these btree indexes (trigrams need three characters)
    index("companies_custom_idx").using("gin", sql`${t.custom} jsonb_path_ops`),
    index("companies_ws_name_prefix_idx").on(t.workspaceId, sql`lower(${t.name}) text_pattern_ops`),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    workspaceId: workspaceId(),
    firstName: text().notNull(),
    lastName: text().notNull().default(""),
    email: text(),
    phone: text(),
    title: text(),
    companyId: uuid().references(() => companies.id, { onDelete: "set null" }),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    lifecycle: lifecycleEnum().notNull().default("lead"),
    source: text(),
    score: integer().notNull().default(0),
    timeZone: text(),
    unsubscribedAt: timestamp({ withTimezone: true }),
    custom: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("contacts_ws_created_idx").on(t.workspaceId, t.createdAt),
    index("contacts_ws_company_idx").on(t.workspaceId, t.companyId),
    uniqueIndex("contacts_ws_email_idx").on(t.workspaceId, sql`lower(${t.email})`),
    index("contacts_search_trgm_idx").using(
      "gin",
      sql`lower(${t.firstName} || ' ' || ${t.lastName} || ' ' || coalesce(${t.email}, '') || ' ' || coalesce(${t.phone}, '')) gin_trgm_ops`,
    ),
    index("contacts_custom_idx").using("gin", sql`${t.custom} jsonb_path_ops`),
    index("contacts_ws_name_prefix_idx").on(t.workspaceId, sql`lower(${t.firstName} || ' ' || ${t.lastName}) text_pattern_ops`),
  ],
);

export const deals = pgTable(
  "deals",
  {
    id: id(),
    workspaceId: workspaceId(),
    pipelineId: uuid()
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    stageId: uuid()
      .notNull()
      .references(() => stages.id),
    title: text().notNull(),
    /** Minor units of `currency` (cents for USD). */
    value: bigint({ mode: "number" }).notNull().default(0),
    currency: char({ length: 3 }).notNull().default("USD"),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    contactId: uuid().references(() => contacts.id, { onDelete: "set null" }),
    companyId: uuid().references(() => companies.id, { onDelete: "set null" }),
    status: dealStatusEnum().notNull().default("open"),
    lostReason: text(),
    expectedCloseDate: date({ mode: "string" }),
    source: text(),
    notes: text(),
    /** Fractional order inside the stage column. */
    position: doublePrecision().notNull().default(0),
    stageEnteredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    /** Soft delete: restorable for 30 days. */
    deletedAt: timestamp({ withTimezone: true }),
    /** Custom field values by key (lib/custom-fields). */
    custom: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    version: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("deals_ws_stage_pos_idx").on(t.workspaceId, t.stageId, t.position).where(sql`${t.deletedAt} is null`),
    index("deals_ws_pipeline_status_idx").on(t.workspaceId, t.pipelineId, t.status),
    index("deals_ws_owner_idx").on(t.workspaceId, t.ownerId),
    index("deals_ws_contact_idx").on(t.workspaceId, t.contactId),
    index("deals_ws_company_idx").on(t.workspaceId, t.companyId),
    index("deals_ws_closed_idx").on(t.workspaceId, t.closedAt),
    index("deals_title_trgm_idx").using("gin", sql`lower(${t.title}) gin_trgm_ops`),
    index("deals_ws_title_prefix_idx").on(t.workspaceId, sql`lower(${t.title}) text_pattern_ops`),
    // custom field filters: custom @> '{"key": value}' is served by this index
    index("deals_custom_idx").using("gin", sql`${t.custom} jsonb_path_ops`),
    // the deals list's default order (last updated first): its page is read in index order and stops after 50
    index("deals_ws_updated_idx").on(t.workspaceId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.deletedAt} is null`),
    // "recently deleted": the few soft-deleted deals, without scanning the live ones
    index("deals_ws_deleted_idx").on(t.workspaceId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

export const dealEvents = pgTable(
  "deal_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    dealId: uuid()
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    type: dealEventTypeEnum().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    fromStageId: uuid(),
    toStageId: uuid(),
    /** For field changes: { field, from, to }; for lost: { reason }. */
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("deal_events_ws_deal_idx").on(t.workspaceId, t.dealId, t.occurredAt),
    index("deal_events_ws_type_time_idx").on(t.workspaceId, t.type, t.occurredAt),
  ],
);

/** Workspace-editable pick lists (deal sources, lost reasons). */
export const workspaceOptions = pgTable(
  "workspace_options",
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: optionKindEnum().notNull(),
    label: text().notNull(),
    position: integer().notNull().default(0),
  },
  // case-insensitive, as the app compares labels ("Price" and "price" are one label)
  (t) => [uniqueIndex("workspace_options_ws_kind_label_lower_idx").on(t.workspaceId, t.kind, sql`lower(${t.label})`)],
);
