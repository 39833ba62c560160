import "server-only";
import { aliasedTable, and, asc, desc, eq, gt, isNotNull } from "drizzle-orm";
import { importRows, imports, users, type ImportOptions, type ImportSummary, type RowError } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { isUuid } from "../companies/references";
import { REVERT_WINDOW_DAYS, isStale } from "./commands";
import type { ImportKind } from "./fields";

export type ImportStatus = (typeof imports.$inferSelect)["status"] | "interrupted";

export type ImportListItem = {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  fileName: string;
  rowCount: number;
  errorRows: number;
  summary: ImportSummary;
  createdAt: Date;
  finishedAt: Date | null;
  revertedAt: Date | null;
  createdByName: string | null;
  failure: string | null;
  /** Completed less than REVERT_WINDOW_DAYS ago. */
  revertible: boolean;
};

function statusOf(row: Pick<typeof imports.$inferSelect, "status" | "heartbeatAt">, now: Date): ImportStatus {
  return isStale(row, now) ? "interrupted" : row.status;
}

const revertibleAt = (row: { status: string; finishedAt: Date | null }, now: Date) =>
  row.status === "completed" && !!row.finishedAt && now.getTime() - row.finishedAt.getTime() <= REVERT_WINDOW_DAYS * 86_400_000;

/** The workspace's imports, newest first: who, when, what, counts, and whether each can still be reverted. */
export async function listImports(ctx: Ctx, limit = 100): Promise<ImportListItem[]> {
  const rows = await ctx.db
    .select({
      id: imports.id,
      kind: imports.kind,
      status: imports.status,
      heartbeatAt: imports.heartbeatAt,
      fileName: imports.fileName,
      rowCount: imports.rowCount,
      errorRows: imports.errorRows,
      summary: imports.summary,
      createdAt: imports.createdAt,
      finishedAt: imports.finishedAt,
      revertedAt: imports.revertedAt,
      failure: imports.failure,
      createdByName: users.name,
    })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.createdBy))
    .where(eq(imports.workspaceId, ctx.workspaceId))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(limit);
  return rows.map(({ heartbeatAt, ...r }) => ({
    ...r,
    kind: r.kind as ImportKind,
    status: statusOf({ status: r.status, heartbeatAt }, ctx.now),
    revertible: revertibleAt(r, ctx.now),
  }));
}

export type ImportDetail = ImportListItem & {
  revertedByName: string | null;
  headers: string[];
  mapping: (string | null)[];
  options: ImportOptions;
  processedRows: number;
  fileType: string;
  /** The first rows as uploaded (mapping samples and preview). */
  sample: { rowNumber: number; cells: string[] }[];
  /** The first refused rows with their reasons. */
  refused: { rowNumber: number; cells: string[]; errors: RowError[] }[];
};

/** One import of ctx's workspace with samples and the first refused rows; another workspace's is NOT_FOUND. */
export async function getImport(ctx: Ctx, importId: string, opts: { sample?: number; refused?: number } = {}): Promise<ImportDetail> {
  if (!isUuid(importId)) throw new AppError("NOT_FOUND");
  const reverter = aliasedTable(users, "reverter");
  const [row] = await ctx.db
    .select({ imp: imports, createdByName: users.name, revertedByName: reverter.name })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.createdBy))
    .leftJoin(reverter, eq(reverter.id, imports.revertedBy))
    .where(and(eq(imports.id, importId), eq(imports.workspaceId, ctx.workspaceId)));
  if (!row) throw new AppError("NOT_FOUND");
  const imp = row.imp;
  const where = and(eq(importRows.importId, imp.id), eq(importRows.workspaceId, ctx.workspaceId));
  const [sample, refused] = await Promise.all([
    ctx.db
      .select({ rowNumber: importRows.rowNumber, cells: importRows.cells })
      .from(importRows)
      .where(where)
      .orderBy(asc(importRows.rowNumber))
      .limit(opts.sample ?? 5),
    ctx.db
      .select({ rowNumber: importRows.rowNumber, cells: importRows.cells, errors: importRows.errors })
      .from(importRows)
      .where(and(where, isNotNull(importRows.errors)))
      .orderBy(asc(importRows.rowNumber))
      .limit(opts.refused ?? 100),
  ]);
  return {
    id: imp.id,
    kind: imp.kind as ImportKind,
    status: statusOf(imp, ctx.now),
    fileName: imp.fileName,
    fileType: imp.fileType,
    rowCount: imp.rowCount,
    errorRows: imp.errorRows,
    processedRows: imp.processedRows,
    summary: imp.summary,
    createdAt: imp.createdAt,
    finishedAt: imp.finishedAt,
    revertedAt: imp.revertedAt,
    failure: imp.failure,
    createdByName: row.createdByName,
    revertedByName: row.revertedByName,
    revertible: revertibleAt(imp, ctx.now),
    headers: imp.headers,
    mapping: imp.mapping ?? imp.headers.map(() => null),
    options: imp.options ?? { createMissing: true, updateExisting: false, skipInvalid: false, dateFormat: "ymd" },
    sample,
    refused: refused.map((r) => ({ ...r, errors: r.errors ?? [] })),
  };
}

/** Every refused row of an import, in file order, a page at a time (for the downloadable error report). */
export async function* refusedRows(ctx: Ctx, importId: string, pageSize = 1000): AsyncGenerator<{ rowNumber: number; cells: string[]; errors: RowError[] }> {
  let after = 0;
  for (;;) {
    const rows = await ctx.db
      .select({ rowNumber: importRows.rowNumber, cells: importRows.cells, errors: importRows.errors })
      .from(importRows)
      .where(and(eq(importRows.importId, importId), eq(importRows.workspaceId, ctx.workspaceId), isNotNull(importRows.errors), gt(importRows.rowNumber, after)))
      .orderBy(asc(importRows.rowNumber))
      .limit(pageSize);
    if (rows.length === 0) return;
    after = rows.at(-1)!.rowNumber;
    for (const r of rows) yield { ...r, errors: r.errors ?? [] };
  }
}
