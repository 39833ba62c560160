import "server-only";
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { importMappings, importRows, imports, memberships, workspaces, type ImportOptions, type ImportSummary } from "@/db/schema";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { can, type Role } from "../auth/permissions";
import { audit } from "../workspaces/audit";
import { enqueueJob } from "../jobs/enqueue";
import { headerKey } from "../spreadsheets/cells";
import { guessDateOrder } from "../spreadsheets/dates";
import { openSpreadsheet, type OpenedSheet } from "../spreadsheets/read";
import { ImportRefused, runRows, storeRowErrors, type ImportScope } from "./engine";
import { fieldsOf, guessMapping, missingRequired, type ImportKind } from "./fields";
import { customFieldsOf } from "./custom";
import type { SaveMappingInput } from "./schema";

/** How long an import can be reverted after it finished. */
export const REVERT_WINDOW_DAYS = 30;
/** A background run silent for this long is reported as interrupted (its transaction, if any, rolled back). */
export const STALE_RUN_MS = 3 * 60_000;
/** Uploads never imported are dropped after a week. */
const ABANDONED_UPLOAD_DAYS = 7;
const STAGE_CHUNK = 500;
/** Files up to this many rows are checked and imported within the request; bigger ones by the job engine. */
export const INLINE_ROW_LIMIT = 2_000;
export const IMPORT_VALIDATE_JOB = "import-validate";
export const IMPORT_RUN_JOB = "import-run";

type ImportRow = typeof imports.$inferSelect;

async function getOwnImport(db: Db, ctx: Pick<Ctx, "workspaceId">, importId: string, lock = false): Promise<ImportRow> {
  const query = db
    .select()
    .from(imports)
    .where(and(eq(imports.id, importId), eq(imports.workspaceId, ctx.workspaceId)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/** A run that stopped reporting (its process died): treated like a failed run, so it can be checked again. */
export function isStale(row: Pick<ImportRow, "status" | "heartbeatAt">, now: Date): boolean {
  return (row.status === "validating" || row.status === "importing") && (!row.heartbeatAt || now.getTime() - row.heartbeatAt.getTime() > STALE_RUN_MS);
}

/**
 * Stores an uploaded spreadsheet for import: reads it (any delimiter, UTF-8 with or without BOM, or XLSX),
 * keeps its rows in import_rows in batches, and guesses the column mapping (the workspace's remembered
 * choices first). All in one transaction: a file that turns out unreadable half-way leaves nothing behind.
 * Throws SpreadsheetError for a file that cannot be read.
 */
export async function stageUpload(ctx: Ctx, input: { kind: ImportKind; fileName: string; bytes: Uint8Array }): Promise<{ id: string }> {
  assertCan(ctx, "data.import");
  const sheet = await openSpreadsheet(input.bytes);
  const remembered = await rememberedMapping(ctx, input.kind);
  const headers = sheet.headers;
  const mapping = guessMapping(input.kind, headers, remembered, (await customFieldsOf(ctx, input.kind)).columns);
  return ctx.db.transaction(async (tx) => {
    await pruneAbandoned(tx, ctx);
    const [row] = await tx
      .insert(imports)
      .values({
        workspaceId: ctx.workspaceId,
        kind: input.kind,
        status: "uploaded",
        fileName: input.fileName.slice(0, 200) || "import",
        fileType: sheet.type,
        fileSize: input.bytes.byteLength,
        rowCount: 0,
        headers,
        mapping,
        options: { createMissing: true, updateExisting: false, skipInvalid: false, dateFormat: "ymd" },
        createdBy: ctx.userId,
        createdAt: ctx.now,
      })
      .returning({ id: imports.id });
    const { count, dateSamples } = await stageRows(tx, ctx, row!.id, sheet, mapping);
    const dateFormat = guessDateOrder(dateSamples);
    await tx.update(imports).set({ rowCount: count, options: { createMissing: true, updateExisting: false, skipInvalid: false, dateFormat } }).where(eq(imports.id, row!.id));
    return { id: row!.id };
  });
}

const dateFields = new Set(["createdAt", "closedAt", "expectedCloseDate"]);

async function stageRows(db: Db, ctx: Ctx, importId: string, sheet: OpenedSheet, mapping: (string | null)[]) {
  let count = 0;
  let batch: (typeof importRows.$inferInsert)[] = [];
  const dateColumns = mapping.flatMap((f, i) => (f && dateFields.has(f) ? [i] : []));
  const dateSamples: string[] = [];
  for await (const row of sheet.rows) {
    count++;
    batch.push({ importId, workspaceId: ctx.workspaceId, rowNumber: row.line, cells: row.cells });
    if (dateSamples.length < 500) for (const i of dateColumns) if (row.cells[i]) dateSamples.push(row.cells[i]!);
    if (batch.length >= STAGE_CHUNK) {
      await db.insert(importRows).values(batch);
      batch = [];
    }
  }
  if (batch.length) await db.insert(importRows).values(batch);
  return { count, dateSamples };
}

/** Drops the workspace's uploads that were never imported and are older than a week (their rows go too). */
async function pruneAbandoned(db: Db, ctx: Ctx) {
  const cutoff = new Date(ctx.now.getTime() - ABANDONED_UPLOAD_DAYS * 86_400_000);
  await db
    .delete(imports)
    .where(and(eq(imports.workspaceId, ctx.workspaceId), inArray(imports.status, ["uploaded", "ready", "failed"]), lt(imports.createdAt, cutoff), isNull(imports.finishedAt)));
}

/** headerKey → field the workspace chose before for this kind of import ("" = ignored). */
export async function rememberedMapping(ctx: Pick<Ctx, "db" | "workspaceId">, kind: ImportKind): Promise<Map<string, string>> {
  const rows = await ctx.db
    .select({ headerKey: importMappings.headerKey, field: importMappings.field })
    .from(importMappings)
    .where(and(eq(importMappings.workspaceId, ctx.workspaceId), eq(importMappings.kind, kind)));
  return new Map(rows.map((r) => [r.headerKey, r.field]));
}

/** Queues a background run of a big import in the transaction that asks for it (small ones run inline). */
async function queueRun(db: Db, ctx: Ctx, row: ImportRow, kind: string): Promise<boolean> {
  if (row.rowCount <= INLINE_ROW_LIMIT) return false;
  await enqueueJob(db, {
    kind,
    payload: { importId: row.id },
    runAt: ctx.now,
    workspaceId: ctx.workspaceId,
    idempotencyKey: `${kind}:${row.id}:${ctx.now.getTime()}`,
    maxAttempts: 3,
  });
  return true;
}

/**
 * Confirms the column mapping and options, remembers the mapping for the workspace's next file, and sets the
 * import to "validating". Returns whether the check was queued for the job engine (big files); otherwise the
 * caller runs validateImport right away. Allowed until the import runs.
 */
export async function saveMapping(ctx: Ctx, input: SaveMappingInput): Promise<{ background: boolean }> {
  assertCan(ctx, "data.import");
  return ctx.db.transaction(async (tx) => {
    const row = await getOwnImport(tx, ctx, input.importId, true);
    if (!(row.status === "uploaded" || row.status === "ready" || row.status === "failed" || isStale(row, ctx.now))) throw new AppError("CONFLICT", "errors.importBusy");
    const kind = row.kind as ImportKind;
    const valid = new Set([...fieldsOf[kind], ...((await customFieldsOf({ db: tx, workspaceId: ctx.workspaceId }, kind)).columns.map((col) => col.field))]);
    const mapping = row.headers.map((_, i) => input.mapping[i] ?? null);
    const fieldErrors: Record<string, string[]> = {};
    const used = new Map<string, number>();
    mapping.forEach((field, i) => {
      if (!field) return;
      if (!valid.has(field)) fieldErrors[`col${i}`] = ["errors.invalid"];
      else if (used.has(field)) fieldErrors[`col${i}`] = ["imports.mapping.fieldTwice"];
      else used.set(field, i);
    });
    const missing = missingRequired(kind, mapping);
    if (missing.length) fieldErrors._form = ["imports.mapping.requiredMissing"];
    if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.VALIDATION", fieldErrors);
    const options: ImportOptions = { createMissing: input.createMissing, updateExisting: input.updateExisting, skipInvalid: false, dateFormat: input.dateFormat };
    await tx
      .update(imports)
      .set({ mapping, options, status: "validating", processedRows: 0, errorRows: 0, summary: {}, failure: null, heartbeatAt: ctx.now, startedAt: null, finishedAt: null })
      .where(eq(imports.id, row.id));
    const remember = row.headers
      .map((header, i) => ({ workspaceId: ctx.workspaceId, kind, headerKey: headerKey(header), field: mapping[i] ?? "", updatedAt: ctx.now }))
      .filter((r) => r.headerKey !== "");
    const unique = [...new Map(remember.map((r) => [r.headerKey, r])).values()];
    if (unique.length) {
      await tx
        .insert(importMappings)
        .values(unique)
        .onConflictDoUpdate({
          target: [importMappings.workspaceId, importMappings.kind, importMappings.headerKey],
          set: { field: sql`excluded.field`, updatedAt: sql`excluded.updated_at` },
        });
    }
    return { background: await queueRun(tx, ctx, row, IMPORT_VALIDATE_JOB) };
  });
}

/** The scope a background run works in: the importer must still be a member allowed to import. */
async function importerScope(db: Db, row: ImportRow, now: Date): Promise<ImportScope | null> {
  if (!row.createdBy) return null;
  const [m] = await db
    .select({ role: memberships.role, timeZone: workspaces.timeZone, currency: workspaces.currency })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.workspaceId, row.workspaceId), eq(memberships.userId, row.createdBy)));
  if (!m || !can(m.role as Role, "data.import")) return null;
  return { db, importId: row.id, workspaceId: row.workspaceId, userId: row.createdBy, timeZone: m.timeZone, currency: m.currency, now };
}

type Progress = (processed: number) => Promise<void>;

class AlreadyRunning extends Error {}

/**
 * The preview: checks every row (what the import would create, update or refuse) without writing any record,
 * storing each refused row's reasons. Runs outside any long transaction, so the app stays responsive; the
 * import row's progress and heartbeat are updated per batch. Idempotent: a second run starts over.
 */
export async function validateImport(db: Db, importId: string, now: Date, clock: () => Date = () => now): Promise<void> {
  const [row] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!row || row.status !== "validating" || !row.mapping || !row.options) return;
  const scope = await importerScope(db, row, now);
  const fail = (failure: string) => db.update(imports).set({ status: "failed", failure, heartbeatAt: clock() }).where(and(eq(imports.id, row.id), eq(imports.status, "validating")));
  if (!scope) return void (await fail("imports.failures.importerNotAllowed"));
  try {
    const progress: Progress = (processed) =>
      db.update(imports).set({ processedRows: processed, heartbeatAt: clock() }).where(eq(imports.id, row.id)).then(() => undefined);
    const result = await runRows(scope, { kind: row.kind as ImportKind, mapping: row.mapping, options: row.options }, "validate", progress);
    await db
      .update(imports)
      .set({ status: "ready", summary: result.summary, errorRows: result.errorRows as number, processedRows: result.processed, heartbeatAt: clock() })
      .where(and(eq(imports.id, row.id), eq(imports.status, "validating")));
  } catch (error) {
    await fail("imports.failures.unexpected");
    throw error;
  }
}

/**
 * Queues the import itself: allowed once the preview is ready, and — when rows were refused — only if the user
 * chose to leave them out. The status flips ready → importing in one conditional update, so a double click
 * or two people starting the same import run it once.
 */
export async function startImport(ctx: Ctx, input: { importId: string; skipInvalid: boolean }): Promise<{ background: boolean }> {
  assertCan(ctx, "data.import");
  return ctx.db.transaction(async (tx) => {
    const row = await getOwnImport(tx, ctx, input.importId, true);
    if (row.status !== "ready") throw new AppError("CONFLICT", "errors.importBusy");
    if (row.errorRows > 0 && !input.skipInvalid) throw new AppError("VALIDATION", "errors.importFixOrSkip");
    await tx
      .update(imports)
      .set({ status: "importing", options: { ...row.options!, skipInvalid: input.skipInvalid }, processedRows: 0, startedAt: ctx.now, heartbeatAt: ctx.now, failure: null })
      .where(and(eq(imports.id, row.id), eq(imports.status, "ready")));
    return { background: await queueRun(tx, ctx, row, IMPORT_RUN_JOB) };
  });
}

/**
 * The import: every row in ONE transaction — either all of it is written (pipelines, stages, companies,
 * contacts, deals and their history at the sheet's dates, and the records a revert needs) or none of it.
 * `progress` may report outside the transaction (PostgreSQL); it must not touch the imports row's locks.
 * A refused row makes the whole import fail unless the user chose to skip refused rows; the failure and every
 * row's reasons are stored after the rollback.
 */
export async function executeImport(
  db: Db,
  importId: string,
  now: Date,
  progress: Progress = async () => {},
  clock: () => Date = () => now,
): Promise<"completed" | "failed" | "skipped"> {
  const [row] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!row || row.status !== "importing" || !row.mapping || !row.options) return "skipped";
  const scope = await importerScope(db, row, now);
  const fail = async (failure: string, refusedRows?: number) => {
    await db
      .update(imports)
      .set({ status: "failed", failure, heartbeatAt: clock(), finishedAt: null, ...(refusedRows !== undefined ? { errorRows: refusedRows } : {}) })
      .where(and(eq(imports.id, row.id), eq(imports.status, "importing")));
    return "failed" as const;
  };
  if (!scope) return fail("imports.failures.importerNotAllowed");
  try {
    await db.transaction(async (tx) => {
      // One run at a time per import, whoever calls (a job whose lease ran out may be claimed twice).
      const [lock] = rows<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${`import:${row.id}`})) as locked`));
      if (!lock?.locked) throw new AlreadyRunning();
      const result = await runRows({ ...scope, db: tx }, { kind: row.kind as ImportKind, mapping: row.mapping!, options: row.options! }, "execute", progress);
      const refused = result.errorRows as { rowNumber: number }[];
      // Rows that made it in are no longer needed; refused ones stay for the error report.
      await tx.delete(importRows).where(and(eq(importRows.importId, row.id), eq(importRows.workspaceId, row.workspaceId), isNull(importRows.errors)));
      const [done] = await tx
        .update(imports)
        .set({ status: "completed", summary: result.summary, errorRows: refused.length, processedRows: result.processed, finishedAt: clock(), heartbeatAt: clock() })
        .where(and(eq(imports.id, row.id), eq(imports.status, "importing")))
        .returning({ id: imports.id });
      if (!done) throw new Error("import no longer running"); // someone reset it meanwhile: roll back
      await audit(tx, {
        workspaceId: row.workspaceId,
        actorId: scope.userId,
        action: "import.completed",
        targetType: "import",
        targetId: row.id,
        details: { kind: row.kind, fileName: row.fileName, summary: countsOnly(result.summary), refusedRows: refused.length },
        at: now,
      });
    });
    return "completed";
  } catch (error) {
    if (error instanceof AlreadyRunning) return "skipped";
    if (error instanceof ImportRefused) {
      await storeRowErrors(db, scope, error.rowErrors);
      return fail("imports.failures.rowsRefused", error.rowErrors.length);
    }
    await fail("imports.failures.unexpected");
    throw error;
  }
}

function countsOnly(summary: ImportSummary) {
  return Object.fromEntries(Object.entries(summary).filter(([key]) => key !== "newPipelines" && key !== "newStages"));
}

/** Deletes an upload that was not imported (mapping, preview or failed import). Completed imports are reverted instead. */
export async function discardImport(ctx: Ctx, importId: string): Promise<void> {
  assertCan(ctx, "data.import");
  await ctx.db.transaction(async (tx) => {
    const row = await getOwnImport(tx, ctx, importId, true);
    if (!(row.status === "uploaded" || row.status === "ready" || row.status === "failed" || isStale(row, ctx.now))) throw new AppError("CONFLICT", "errors.importBusy");
    await tx.delete(imports).where(eq(imports.id, row.id));
  });
}
