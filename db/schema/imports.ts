import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { workspaceId } from "./columns";

/** What one import brings in: one spreadsheet of deals, contacts or companies. */
export const importKindEnum = pgEnum("import_kind", ["deals", "contacts", "companies"]);
/**
 * uploaded → (mapping saved) validating → ready → importing → completed → reverted; any run can end in failed.
 * validating/importing run in the background; `heartbeat_at` says the runner is alive.
 */
export const importStatusEnum = pgEnum("import_status", ["uploaded", "validating", "ready", "importing", "completed", "failed", "reverted"]);
export const importEntityEnum = pgEnum("import_entity", ["pipeline", "stage", "company", "contact", "deal"]);
export const importActionEnum = pgEnum("import_action", ["created", "updated"]);


export type ImportOptions = {
  /** Create pipelines, stages, companies and contacts that a row names but the workspace lacks. */
  createMissing: boolean;
  /** Update the contact with the same email / the company with the same name instead of refusing or duplicating. */
  updateExisting: boolean;
  /** Import the valid rows and leave the refused ones out (they stay in the error report). Off: all or nothing. */
  skipInvalid: boolean;
  /** How to read ambiguous dates such as 03/04/2025 (ISO dates are always year-month-day). */
  dateFormat: "ymd" | "dmy" | "mdy";
};

/** Counts shown in the history and on the result page. */
export type ImportSummary = Partial<Record<"deals" | "contacts" | "companies" | "pipelines" | "stages", { created: number; updated: number }>> & {
  /** Names of pipelines and stages the import creates ("Pipeline › Stage"), for the preview. */
  newStages?: string[];
  newPipelines?: string[];
};

export const imports = pgTable(
  "imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceId(),
    kind: importKindEnum().notNull(),
    status: importStatusEnum().notNull().default("uploaded"),
    fileName: text().notNull(),
    /** "csv" or "xlsx". */
    fileType: text().notNull(),
    fileSize: integer().notNull(),
    /** Data rows (blank rows excluded). */
    rowCount: integer().notNull(),
    headers: jsonb().$type<string[]>().notNull(),
    /** Target field per column index (null: column ignored). */
    mapping: jsonb().$type<(string | null)[]>(),
    options: jsonb().$type<ImportOptions>(),
    /** Rows looked at by the running (or last) pass, for the progress bar. */
    processedRows: integer().notNull().default(0),
    errorRows: integer().notNull().default(0),
    summary: jsonb().$type<ImportSummary>().notNull().default({}),
    /** i18n key of why the last run failed as a whole (not a row error). */
    failure: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Last sign of life of a background run; a run silent for minutes is shown as interrupted. */
    heartbeatAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    revertedAt: timestamp({ withTimezone: true }),
    revertedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("imports_ws_created_idx").on(t.workspaceId, t.createdAt)],
);

export type RowError = {
  /** The target field the error is about (null: the row as a whole). */
  field: string | null;
  /** Full i18n key ("imports.rowErrors.negativeValue", "errors.invalidEmail"). */
  key: string;
  params?: Record<string, string | number>;
};

/**
 * The uploaded file, one row per spreadsheet line, kept between upload and import so mapping, preview and the
 * background run read it in batches (memory stays bounded whatever the file size). Rows that imported are
 * dropped when the import completes; refused rows stay for the error report.
 */
export const importRows = pgTable(
  "import_rows",
  {
    importId: uuid()
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    workspaceId: workspaceId(),
    /** The line number in the spreadsheet (the header is line 1). */
    rowNumber: integer().notNull(),
    cells: jsonb().$type<string[]>().notNull(),
    errors: jsonb().$type<RowError[]>(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] }), index("import_rows_ws_import_idx").on(t.workspaceId, t.importId)],
);

/**
 * What an import did, record by record, so a revert removes exactly what it created and restores what it
 * updated (`before`/`after` hold the changed fields only).
 */
export const importRecords = pgTable(
  "import_records",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    importId: uuid()
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    workspaceId: workspaceId(),
    entity: importEntityEnum().notNull(),
    entityId: uuid().notNull(),
    action: importActionEnum().notNull(),
    before: jsonb().$type<Record<string, unknown>>(),
    after: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [index("import_records_ws_import_idx").on(t.workspaceId, t.importId, t.entity)],
);

/** Column mappings the workspace confirmed before, so the next file with the same headers maps itself. */
export const importMappings = pgTable(
  "import_mappings",
  {
    workspaceId: workspaceId(),
    kind: importKindEnum().notNull(),
    /** The header, normalised (lower case, letters and digits only). */
    headerKey: text().notNull(),
    /** The field it was mapped to; "" when the user chose to ignore the column. */
    field: text().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("import_mappings_ws_kind_header_idx").on(t.workspaceId, t.kind, t.headerKey)],
);
