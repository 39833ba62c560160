import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Bench-only routes (npm run bench) never serve a production request: unless the server was started with
 * PIPEWISE_BENCH=1 and a PIPEWISE_BENCH_SECRET of at least 16 characters they answer 404 as if absent, and even
 * then every call must carry `Authorization: Bearer <PIPEWISE_BENCH_SECRET>` (compared in constant time).
 */
export function benchEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.PIPEWISE_BENCH === "1" && (env.PIPEWISE_BENCH_SECRET ?? "").length >= 16;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** null when the request may proceed, else the response to send (404 when disabled, 401 without the secret). */
export function benchGuard(request: Request, env: Record<string, string | undefined> = process.env): Response | null {
  if (!benchEnabled(env)) return new Response("Not found.", { status: 404 });
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  if (!match || !timingSafeEqual(digest(match[1]!), digest(env.PIPEWISE_BENCH_SECRET!))) return new Response("Unauthorized.", { status: 401 });
  return null;
}
