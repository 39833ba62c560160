import { AppError } from "../errors";
import { z } from "../validation";
import type { ApiKeyCtx } from "../api-keys/authenticate";
import { roleRank } from "../auth/permissions";

export const MAX_BODY_BYTES = 1_000_000;

export class BadRequest extends Error {}

/** The JSON object of a request body; a body that is not a JSON object is a 422 on `_body`. */
export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError("VALIDATION", "api.bodyTooLarge", { _body: ["api.bodyTooLarge"] });
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "api.invalidJson", { _body: ["api.invalidJson"] });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new AppError("VALIDATION", "api.invalidJson", { _body: ["api.invalidJson"] });
  return value as Record<string, unknown>;
}

/** Parses with zod; failures become a 422 listing every field (thrown as the ZodError itself). */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

/** Any id in a path that is not a uuid cannot exist: 404, like another workspace's id. */
export function pathId(id: string | undefined): string {
  if (!id || !z.uuid().safeParse(id).success) throw new AppError("NOT_FOUND");
  return id;
}

/** The query string as an object (repeated keys: the last wins). */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}

/** `at`: an ISO timestamp with offset for when a change really happened (historical sync). */
export const atSchema = z.iso.datetime({ offset: true }).optional().describe("When the change happened (ISO 8601, not in the future). Only keys created by an owner or admin may send it.");

/**
 * The context a change runs with: the request's clock, or `at` for a change that happened earlier. Only keys
 * created by an owner or admin, whose creator still is one, may rewrite history; `at` in the future is refused.
 */
export function ctxAt(ctx: ApiKeyCtx, at: string | undefined): ApiKeyCtx {
  if (!at) return ctx;
  if (roleRank[ctx.apiKey.createdByRole] < roleRank.admin || roleRank[ctx.role] < roleRank.admin) throw new AppError("FORBIDDEN", "api.atNotAllowed");
  const when = new Date(at);
  if (when.getTime() > ctx.now.getTime()) throw new AppError("VALIDATION", "api.atInFuture", { at: ["api.atInFuture"] });
  return { ...ctx, now: when };
}

export const json = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
export const noContent = () => new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
