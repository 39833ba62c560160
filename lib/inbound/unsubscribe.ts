import "server-only";
import { eq } from "drizzle-orm";
import { contacts, messages } from "@/db/schema";
import type { Db } from "@/db/types";
import { unsubscribeContact } from "../sequences/commands";
import { verifyUnsubscribeToken } from "../sequences/unsubscribe";

/**
 * The one-click unsubscribe of a signed link: the message it was sent in leads to the contact (and workspace).
 * "invalid" for a bad or forged token; "done" otherwise (also when the contact had already unsubscribed, so
 * the answer reveals nothing and a second click is harmless).
 */
export async function unsubscribeByToken(db: Db, now: Date, token: string): Promise<"done" | "invalid"> {
  const messageId = verifyUnsubscribeToken(token);
  if (!messageId) return "invalid";
  const [m] = await db.select({ workspaceId: messages.workspaceId, contactId: messages.contactId }).from(messages).where(eq(messages.id, messageId));
  if (!m) return "invalid";
  await db.transaction((tx) => unsubscribeContact(tx, { workspaceId: m.workspaceId, userId: "", now }, m.contactId));
  return "done";
}

/** Whether the contact of a valid token is already unsubscribed (for the confirmation page). */
export async function tokenState(db: Db, token: string): Promise<"invalid" | "subscribed" | "unsubscribed"> {
  const messageId = verifyUnsubscribeToken(token);
  if (!messageId) return "invalid";
  const [row] = await db.select({ unsubscribedAt: contacts.unsubscribedAt }).from(messages).innerJoin(contacts, eq(contacts.id, messages.contactId)).where(eq(messages.id, messageId));
  if (!row) return "invalid";
  return row.unsubscribedAt ? "unsubscribed" : "subscribed";
}
