import { createHash, randomBytes } from "node:crypto";

/** A URL-safe random token (the secret the user receives) and its sha256 (what we store). */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
