import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { authSecret } from "./secret";

/**
 * The session cookie's claims for pages and server actions, without Auth.js's request round trip.
 *
 * `auth()` called with no arguments (server components, server actions) runs Auth.js's whole session endpoint:
 * it builds a Request, decrypts the cookie, runs the callbacks, encrypts a fresh cookie and serialises a Response
 * — whose Set-Cookie is then thrown away (next-auth/lib/index.js: `getSession(...).then(parseSessionResponse)`).
 * That was ~2 ms of every request (two HKDF derivations and two JWE operations, decision 55). Here the cookie is
 * decrypted with Auth.js's own `decode` (same salt: the cookie's name; same 15 s clock tolerance on `exp`), and a
 * token already decrypted by this process is remembered with its expiry, so the next request with the same
 * cookie costs a map lookup. What the claims mean is unchanged: a token that does not decrypt, or has expired,
 * is no session; revocation (the user's session version, a signed-out session id) is checked against the
 * database on every request by the callers.
 */

/** Auth.js's session cookie names: `__Secure-` on HTTPS, plain otherwise; large tokens are split into `.0`, `.1`, … */
const COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
/** Auth.js's clock tolerance when it checks `exp` (@auth/core/jwt.js `decode`). */
const CLOCK_TOLERANCE_MS = 15_000;
/** Decrypted tokens remembered (least recently used dropped first): one per active session is plenty. */
const MAX_REMEMBERED = 2_000;

/**
 * What a session cookie says: whose it is, the session version it was issued with, its own id (`sid`, null in
 * cookies issued before decision 57) and when it expires.
 */
export type SessionClaims = { userId: string; sessionVersion: number; sessionId: string | null; expiresAt: Date };

/** The token stored under `name`, joined from its chunks as Auth.js's SessionStore does, or null. */
export function sessionTokenFrom(all: { name: string; value: string }[], name: string): string | null {
  const whole = all.find((c) => c.name === name);
  if (whole) return whole.value || null;
  const chunks = all
    .map((c) => ({ index: new RegExp(`^${name.replace(/[.]/g, "\\.")}\\.(\\d+)$`).exec(c.name)?.[1], value: c.value }))
    .filter((c): c is { index: string; value: string } => c.index !== undefined)
    .sort((a, b) => Number(a.index) - Number(b.index));
  return chunks.length ? chunks.map((c) => c.value).join("") : null;
}

let secret: string | undefined;
const remembered = new Map<string, { claims: SessionClaims; expiresAt: number }>();

/** The claims of one token (salt: the cookie name it came in), or null when it is not a valid, current session. */
export async function claimsOfToken(token: string, salt: string, nowMs: number): Promise<SessionClaims | null> {
  const key = `${salt} ${token}`;
  const hit = remembered.get(key);
  if (hit) {
    remembered.delete(key);
    if (hit.expiresAt + CLOCK_TOLERANCE_MS <= nowMs) return null;
    remembered.set(key, hit); // most recently used last
    return hit.claims;
  }
  secret ??= authSecret();
  if (!secret) return null;
  let payload: { uid?: unknown; sv?: unknown; sid?: unknown; exp?: unknown } | null;
  try {
    payload = await decode({ token, secret, salt });
  } catch {
    return null; // tampered, foreign secret, malformed, or expired
  }
  if (!payload || typeof payload.uid !== "string" || typeof payload.exp !== "number") return null;
  // The session callback's rule (lib/auth/auth.ts): a token without a version never matches a user's.
  const claims: SessionClaims = {
    userId: payload.uid,
    sessionVersion: typeof payload.sv === "number" ? payload.sv : -1,
    sessionId: typeof payload.sid === "string" ? payload.sid : null,
    expiresAt: new Date(payload.exp * 1000),
  };
  remembered.set(key, { claims, expiresAt: payload.exp * 1000 });
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  return claims;
}

/** The signed-in session's claims from this request's cookies, or null when signed out. */
export async function readSessionClaims(): Promise<SessionClaims | null> {
  const all = (await cookies()).getAll();
  for (const name of COOKIE_NAMES) {
    const token = sessionTokenFrom(all, name);
    if (token) return claimsOfToken(token, name, Date.now());
  }
  return null;
}
