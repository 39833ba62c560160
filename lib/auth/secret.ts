import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * AUTH_SECRET signs session cookies. Production sets it; the embedded demo (no DATABASE_URL) creates one
 * beside its data on first start so `npm start` needs no configuration.
 */
export function authSecret(): string | undefined {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  if (process.env.DATABASE_URL) return undefined; // Auth.js then refuses to run: a real deployment must set it
  const file = path.join(/*turbopackIgnore: true*/ process.cwd(), ".data", "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
