import "server-only";
import { getDb } from "@/db/client";
import type { Permission } from "../auth/permissions";
import { can } from "../auth/permissions";
import { authenticateApiKey, type ApiKeyCtx } from "../api-keys/authenticate";
import { AppError } from "../errors";
import { errorResponse, messageText, problemResponse } from "./problem";
import { hitApiRateLimit } from "./rate-limit";

type RouteContext<P> = { params: Promise<P> };
export type ApiRun<P> = (request: Request, ctx: ApiKeyCtx, params: P) => Promise<Response>;

/**
 * Builds a public API route handler: authenticate the key (401), count it against its rate limit (429 with
 * Retry-After), check the permission of the member the key acts as (403), run, and turn expected failures into
 * problem responses (422 with every field's problem, 404 for anything outside the key's workspace). Unexpected
 * errors are logged and answered 500 without their message.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(permission: Permission, run: ApiRun<P>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const now = new Date();
    const db = await getDb();
    const ctx = await authenticateApiKey(db, request.headers.get("authorization"), now);
    if (!ctx) return problemResponse(401, messageText("api.unauthenticated"), { headers: { "WWW-Authenticate": "Bearer" } });
    const rate = await hitApiRateLimit(db, ctx.apiKey.id, now);
    if (!rate.ok) {
      return problemResponse(429, messageText("api.rateLimited"), { headers: { "Retry-After": String(rate.retryAfterSeconds), "RateLimit-Limit": String(rate.limit), "RateLimit-Remaining": "0" } });
    }
    let response: Response;
    try {
      if (!can(ctx.role, permission)) throw new AppError("FORBIDDEN");
      response = await run(request, ctx, ((await context?.params) ?? {}) as P);
    } catch (error) {
      try {
        response = errorResponse(error);
      } catch (unexpected) {
        console.error("[api] unexpected error", request.method, new URL(request.url).pathname, unexpected);
        response = problemResponse(500, "Something went wrong on our side.");
      }
    }
    response.headers.set("RateLimit-Limit", String(rate.limit));
    response.headers.set("RateLimit-Remaining", String(rate.remaining));
    response.headers.set("RateLimit-Reset", String(rate.resetSeconds));
    return response;
  };
}
