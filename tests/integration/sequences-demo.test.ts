import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { messages, sequenceEnrollments, sequences, workspaces } from "@/db/schema";
import { seedDemoWorkspace } from "@/db/seed/demo-workspace";
import { DEMO_SLUG } from "@/lib/demo";
import { getSequenceStats } from "@/lib/sequences/stats";
import { tick } from "@/lib/jobs/tick";
import { createTestDb, type TestDb } from "../helpers/db";

let t: TestDb;
const now = new Date("2026-03-12T15:00:00Z");
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "demo-seed-test-secret";
  t = await createTestDb();
  await seedDemoWorkspace(t.db, now);
});
afterAll(() => t?.close());

describe("demo sequences", () => {
  it("seeds two sequences with enrollments, captured first emails and two replies; the tick carries them on", async () => {
    const [ws] = await t.db.select().from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
    const list = await t.db.select().from(sequences).where(eq(sequences.workspaceId, ws!.id));
    expect(list.map((s) => s.name).sort()).toEqual(["Inbound lead follow-up", "Re-engage cold deals"]);
    const stats = await getSequenceStats(t.db, ws!.id);
    expect(stats.reduce((n, s) => n + s.enrolled, 0)).toBeGreaterThanOrEqual(8);
    expect(stats.reduce((n, s) => n + s.replied, 0)).toBe(2);
    const captured = await t.db.select().from(messages).where(eq(messages.workspaceId, ws!.id));
    expect(captured.length).toBeGreaterThanOrEqual(8);
    expect(captured.every((m) => m.status === "captured")).toBe(true);
    await tick(t.db, now, { log: () => {} });
    const after = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.workspaceId, ws!.id));
    expect(after.filter((e) => e.status === "replied")).toHaveLength(2);
    expect((await t.db.select().from(messages).where(eq(messages.workspaceId, ws!.id))).length).toBeGreaterThan(captured.length);
  });
});
