import "server-only";
import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { ZipArchive } from "archiver";
import { sql, type SQL } from "drizzle-orm";
import { rows } from "@/db/migrate";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";
import { writeCsv, type CellValue } from "../spreadsheets/write";

/**
 * The full workspace export for data portability: every table that holds the workspace's data (found in the
 * database's catalog, so tables added later are included without touching this file), as csv/<table>.csv
 * (UTF-8 with BOM, formulas neutralised) and json/<table>.json (an array of rows as PostgreSQL's to_jsonb
 * writes them: exact timestamps with offset, numbers, nested JSON). Secrets never leave: columns whose name
 * mentions a hash, token, secret or password are left out. Staged upload rows (import_rows) are left out too:
 * they are copies of files the workspace already has.
 *
 * Streams: tables are read a page at a time and zipped as they come.
 */

const PAGE = 2_000;
const sensitive = /(hash|token|secret|password)/i;
const skippedTables = new Set(["import_rows"]);

type Table = { name: string; columns: string[]; where: SQL; key: string | null };

/**
 * Secrets also hide inside JSON columns (a workflow's webhook signing secret lives in its actions): drop every
 * nested key that names one, at any depth.
 */
export function scrubSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scrubSecrets) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !sensitive.test(k)).map(([k, v]) => [k, scrubSecrets(v)])) as T;
  }
  return value;
}

async function workspaceTables(ctx: Ctx): Promise<Table[]> {
  const result = await ctx.db.execute(sql`
    select c.table_name as table, c.column_name as column
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
      and c.table_name in (select table_name from information_schema.columns where table_schema = 'public' and column_name = 'workspace_id')
    order by c.table_name, c.ordinal_position`);
  const byTable = new Map<string, string[]>();
  for (const r of rows<{ table: string; column: string }>(result)) {
    if (skippedTables.has(r.table) || sensitive.test(r.column)) continue;
    byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.column]);
  }
  const tables: Table[] = [
    { name: "workspaces", columns: ["id", "slug", "name", "time_zone", "currency", "deal_visibility", "created_at"], where: sql`x.id = ${ctx.workspaceId}`, key: "id" },
    {
      name: "users",
      columns: ["id", "email", "name", "locale", "time_zone", "created_at"],
      where: sql`x.id in (select user_id from memberships where workspace_id = ${ctx.workspaceId})`,
      key: "id",
    },
  ];
  for (const [name, columns] of byTable) {
    tables.push({ name, columns, where: sql`x.workspace_id = ${ctx.workspaceId}`, key: columns.includes("id") ? "id" : null });
  }
  return tables;
}

/** The table's rows as JSON objects, a page at a time (keyset on id when there is one, else a full ordering). */
async function* tableRows(ctx: Ctx, table: Table): AsyncGenerator<Record<string, unknown>[]> {
  const cols = sql.join(
    table.columns.map((c) => sql`x.${sql.identifier(c)}`),
    sql`, `,
  );
  const order = table.key
    ? sql`x.id`
    : sql.join(
        table.columns.map((_, i) => sql.raw(String(i + 1))),
        sql`, `,
      );
  let after: unknown = null;
  for (let offset = 0; ; offset += PAGE) {
    const page = rows<{ row: Record<string, unknown> | string }>(
      await ctx.db.execute(sql`
        select to_jsonb(s) as row from (
          select ${cols} from ${sql.identifier(table.name)} x
          where ${table.where} ${table.key && after !== null ? sql`and x.id > ${after}` : sql``}
          order by ${order} limit ${PAGE} ${table.key ? sql`` : sql`offset ${offset}`}) s`),
    ).map((p) => scrubSecrets(typeof p.row === "string" ? (JSON.parse(p.row) as Record<string, unknown>) : p.row));
    if (page.length === 0) return;
    if (table.key) after = page.at(-1)!.id;
    yield page;
    if (page.length < PAGE) return;
  }
}

function csvValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, "drain");
}

export type WorkspaceExportManifest = { workspace: string; exportedAt: string; tables: { name: string; rows: number; columns: string[] }[] };

/** Writes the ZIP of the whole workspace to `out` (admins: data.exportAll) and ends it. */
export async function writeWorkspaceExport(ctx: Ctx, out: Writable): Promise<WorkspaceExportManifest> {
  assertCan(ctx, "data.exportAll");
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const failed = new Promise<never>((_, reject) => zip.on("error", reject));
  failed.catch(() => undefined);
  zip.pipe(out);
  const manifest: WorkspaceExportManifest = { workspace: ctx.workspace.slug, exportedAt: ctx.now.toISOString(), tables: [] };
  const entry = (name: string) => {
    const stream = new PassThrough();
    zip.append(stream, { name, date: ctx.now });
    return stream;
  };
  for (const table of await workspaceTables(ctx)) {
    let count = 0;
    const csv = entry(`csv/${table.name}.csv`);
    const csvRows = async function* () {
      for await (const page of tableRows(ctx, table)) {
        for (const r of page) {
          count++;
          yield table.columns.map((c) => csvValue(r[c]));
        }
      }
    };
    await Promise.race([writeCsv(csv, table.columns.map((c) => ({ header: c, type: "text" as const })), csvRows()), failed]);
    csv.end();
    const json = entry(`json/${table.name}.json`);
    await write(json, "[");
    let first = true;
    for await (const page of tableRows(ctx, table)) {
      for (const r of page) {
        await write(json, `${first ? "\n" : ",\n"}${JSON.stringify(r)}`);
        first = false;
      }
    }
    await write(json, "\n]\n");
    json.end();
    manifest.tables.push({ name: table.name, rows: count, columns: table.columns });
  }
  zip.append(JSON.stringify(manifest, null, 2), { name: "manifest.json", date: ctx.now });
  await Promise.race([zip.finalize(), failed]);
  return manifest;
}
