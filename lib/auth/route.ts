import "server-only";
import { getDb } from "@/db/client";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { authorizeMember } from "./membership";
import type { Permission } from "./permissions";
import { getCurrentUser, type SessionUser } from "./session";

export type RouteAuth = { ok: true; ctx: Ctx & { user: SessionUser } } | { ok: false; response: Response };

/**
 * The authorization of a route handler (downloads, uploads), which — unlike pages — cannot redirect or throw
 * into an error page: the session is read and re-checked (revoked sessions count as signed out), then the
 * same membership rule as everywhere. Signed out → 401; not a member (or no such workspace) → 404, so a
 * stranger cannot even learn the workspace exists; role lacks the permission → 403.
 */
export async function authorizeRoute(slug: string, permission: Permission): Promise<RouteAuth> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, response: new Response("Sign in first.", { status: 401, headers: noStore }) };
  try {
    const ctx = await authorizeMember(await getDb(), user.id, slug, permission, new Date());
    return { ok: true, ctx: { ...ctx, user } };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return { ok: false, response: new Response("Not found.", { status: 404, headers: noStore }) };
    if (error instanceof AppError && error.code === "FORBIDDEN") return { ok: false, response: new Response("Not allowed.", { status: 403, headers: noStore }) };
    throw error;
  }
}

const noStore = { "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" };

/** Response headers of a file download: never cached, saved under `fileName` (UTF-8 names included). */
export function downloadHeaders(fileName: string, contentType: string): HeadersInit {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
