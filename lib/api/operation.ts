import "server-only";
import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import type { Permission } from "../auth/permissions";
import type { ApiKeyCtx } from "../api-keys/authenticate";
import { AppError } from "../errors";
import { z } from "../validation";
import { json, noContent, parseWith, queryOf, readJson } from "./body";
import { apiRoute } from "./route";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

type Input<Q extends z.ZodType | undefined, B extends z.ZodType | undefined> = {
  params: Record<string, string>;
  query: Q extends z.ZodType ? z.output<Q> : undefined;
  body: B extends z.ZodType ? z.output<B> : undefined;
};

/**
 * One endpoint of the public API: its route, the zod schemas that validate its query and body (the same ones
 * the OpenAPI document is generated from), the documented shape of its answer, and what it runs.
 */
export type ApiOperation<Q extends z.ZodType | undefined = z.ZodType | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> = {
  method: Method;
  /** OpenAPI path under /api/v1, e.g. "/deals/{dealId}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  permission: Permission;
  query?: Q;
  body?: B;
  /** Success status: 200 (default), 201 (created) or 204 (no body). */
  status?: 200 | 201 | 204;
  response?: z.ZodType;
  run: (ctx: ApiKeyCtx, input: Input<Q, B>) => Promise<unknown>;
};

export function defineOperation<Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(op: ApiOperation<Q, B>): ApiOperation<Q, B> {
  return op;
}

/** The route handler of an operation (export it as GET/POST/… from the route file). */
export function handle(op: ApiOperation) {
  return apiRoute<Record<string, string>>(op.permission, async (request, ctx, params) => {
    const query = op.query ? parseWith(op.query, queryOf(request)) : undefined;
    const body = op.body ? parseWith(op.body, await readJson(request)) : undefined;
    const result = await op.run(ctx, { params, query, body } as Input<z.ZodType, z.ZodType>);
    const status = op.status ?? 200;
    return status === 204 ? noContent() : json(result, status);
  });
}

// ---- cursor pagination, shared by every list -------------------------------------------------------------

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).optional().default(50).describe("Page size (1-200, default 50)."),
  cursor: z.string().max(200).optional().describe("`nextCursor` of the previous page."),
};

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page.") });

type Cursor = { t: string; id: string };

/** Exact text of a timestamptz (microseconds kept), so a keyset cursor never skips or repeats a row. */
export const exactTime = (column: AnyColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The keyset condition "after the cursor" over (created_at, id); a cursor that is not ours is a 422. */
export function afterCursor(cursor: string | undefined, createdAt: AnyColumn, id: AnyColumn): SQL | undefined {
  if (!cursor) return undefined;
  let parsed: Cursor;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
  } catch {
    throw new AppError("VALIDATION", "api.invalidCursor", { cursor: ["api.invalidCursor"] });
  }
  if (typeof parsed?.t !== "string" || !z.iso.datetime().safeParse(parsed.t).success || !z.uuid().safeParse(parsed.id).success) {
    throw new AppError("VALIDATION", "api.invalidCursor", { cursor: ["api.invalidCursor"] });
  }
  return sql`(${createdAt}, ${id}) > (${parsed.t}::timestamptz, ${parsed.id}::uuid)`;
}

/** `{ data, nextCursor }` from limit+1 rows that carry `cursorTime` and `id`. */
export function toPage<R extends { cursorTime: string; id: string }, T>(rows: R[], limit: number, map: (row: R) => T): { data: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map(map),
    nextCursor: more && last ? Buffer.from(JSON.stringify({ t: last.cursorTime, id: last.id })).toString("base64url") : null,
  };
}

export { iso } from "./iso";

/** "%term%" for ILIKE, with the pattern characters of the term escaped. */
export const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
