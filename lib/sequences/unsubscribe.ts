import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "../auth/secret";
import { appUrl } from "../app-url";

/*
 * One-click unsubscribe links (RFC 8058). The token names the outbox message it was sent in and carries an
 * HMAC of it, so nobody can unsubscribe a contact by guessing ids; the message leads to the contact and workspace.
 */

function secret(): string {
  const s = process.env.UNSUBSCRIBE_SECRET ?? authSecret();
  if (!s) throw new Error("AUTH_SECRET (or UNSUBSCRIBE_SECRET) must be set to sign unsubscribe links");
  return s;
}

const sign = (messageId: string) => createHmac("sha256", secret()).update(`unsubscribe:${messageId}`).digest("base64url").slice(0, 32);

export function unsubscribeToken(messageId: string): string {
  return `${messageId}.${sign(messageId)}`;
}

/** The message id a token was made for, or null when it is malformed or its signature does not match. */
export function verifyUnsubscribeToken(token: string): string | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(sign(m[1]!));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1]! : null;
}

/** The page a person opens from the email (confirms with a button) … */
export const unsubscribePageUrl = (token: string) => appUrl(`/u/${token}`);
/** … and the one-click POST target of the List-Unsubscribe header. */
export const unsubscribePostUrl = (token: string) => appUrl(`/api/unsubscribe/${token}`);
