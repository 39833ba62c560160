import type { Db } from "@/db/types";
import type { Role } from "@/lib/auth/permissions";
import { createApiKey } from "@/lib/api-keys/commands";
import type { WorkspaceFixture } from "./fixtures";

/** A key created by the member with `role` (the key acts as them). */
export async function apiKeyFor(ws: WorkspaceFixture, role: Role = "admin", name = `${role} key`): Promise<string> {
  // Reps and managers cannot create keys in the app; here the row is created through an owner context and then
  // attributed, which is what an admin demoting the member later would leave behind.
  // Created now (not at the fixture's clock): a key only works for a membership older than the key.
  const ctx = await ws.ctx(role === "owner" || role === "admin" ? role : "owner", { now: new Date() });
  const { token, id } = await createApiKey(ctx, { name });
  if (role !== "owner" && role !== "admin") {
    const { apiKeys } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    await (ctx.db as Db).update(apiKeys).set({ createdBy: ws.users[role], createdByRole: role }).where(eq(apiKeys.id, id));
  }
  return token;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler the way Next.js does: a Request and a params promise. */
export async function call(handler: Handler, method: string, path: string, opts: { key?: string | null; body?: unknown; params?: Record<string, string>; rawBody?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const response = await handler(new Request(`http://localhost/api/v1${path}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json: json as Record<string, unknown> & { data?: Record<string, unknown>[]; errors?: Record<string, string[]>; nextCursor?: string | null } };
}
