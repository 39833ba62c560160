import { createHash, randomBytes } from "node:crypto";

/** Every key starts with this, so secret scanners (and people) recognise a leaked Pipewise key. */
export const API_KEY_PREFIX = "pw_";

/** A new key: "pw_" + 32 random bytes (base64url). Pure apart from the randomness. */
export function newApiToken(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/**
 * What the database keeps: the SHA-256 of the token, hex. The token carries 256 bits of randomness, so a slow
 * password hash would add nothing (there is no dictionary to try) and would cost every API request.
 */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The part shown in the list to tell keys apart ("pw_Ab12Cd34…"): not enough to use the key. */
export const tokenPrefix = (token: string) => token.slice(0, API_KEY_PREFIX.length + 8);
