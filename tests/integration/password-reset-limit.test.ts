import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { passwordResetTokens, users } from "@/db/schema";
import { MAX_RESETS_PER_HOUR, requestPasswordReset } from "@/lib/users/commands";
import { createTestDb, type TestDb } from "../helpers/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  delete process.env.SMTP_URL; // captured, not sent: this test is about the cap
});
afterAll(() => t.close());

it("sends at most MAX_RESETS_PER_HOUR reset emails per account per hour, then again after the hour", async () => {
  const [user] = await t.db.insert(users).values({ email: "cap@example.com", name: "Cap" }).returning();
  const now = new Date("2026-03-10T09:00:00Z");
  const links = [];
  for (let i = 0; i < MAX_RESETS_PER_HOUR + 2; i++) links.push((await requestPasswordReset(t.db, "cap@example.com", new Date(now.getTime() + i * 60_000))).link);
  expect(links.filter(Boolean)).toHaveLength(MAX_RESETS_PER_HOUR);
  expect(await t.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user!.id))).toHaveLength(MAX_RESETS_PER_HOUR);
  expect((await requestPasswordReset(t.db, "cap@example.com", new Date(now.getTime() + 2 * 3_600_000))).link).toBeTruthy();
});
