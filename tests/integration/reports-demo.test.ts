import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { users, workspaces } from "@/db/schema";
import { seedDemoWorkspace } from "@/db/seed/demo-workspace";
import { authorizeMember } from "@/lib/auth/membership";
import { DEMO_EMAIL, DEMO_SLUG } from "@/lib/demo";
import { forecast } from "@/lib/reports/forecast";
import { monthPeriod, monthOf } from "@/lib/reports/period";
import { pipelineReview } from "@/lib/reports/review";
import { goalProgress } from "@/lib/goals/queries";
import { createTestDb, type TestDb } from "../helpers/db";

/** The demo workspace gives every report something to show (a review, a bottleneck, goals, slippage, accuracy). */
let t: TestDb;
const now = new Date("2026-11-27T12:00:00Z");

beforeAll(async () => {
  process.env.AUTH_SECRET ??= "reports-demo-test-secret"; // the demo's sequences sign unsubscribe links
  t = await createTestDb();
  await seedDemoWorkspace(t.db, now);
});
afterAll(() => t.close());

describe("demo data for reports", () => {
  it("shows a meaningful review, forecast and goals", async () => {
    const [user] = await t.db.select().from(users).where(eq(users.email, DEMO_EMAIL));
    const [ws] = await t.db.select().from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
    const ctx = await authorizeMember(t.db, user!.id, DEMO_SLUG, "reports.read", now);
    const month = monthOf(now, ws!.timeZone);
    const r = await pipelineReview(ctx, { period: monthPeriod(month, ws!.timeZone) });
    expect(r.current.newDeals).toBeGreaterThan(0);
    expect(r.current.openDeals).toBeGreaterThan(10);
    expect(r.stages!.bottleneck).toMatchObject({ name: "Demo" });
    expect(r.stages!.stuck.length).toBeGreaterThan(0);
    expect(r.accuracy!.weighted).toBeGreaterThan(0);
    expect(r.accuracy!.won).toBe(r.current.wonRevenue);
    const previous = await pipelineReview(ctx, { period: monthPeriod("2026-10", ws!.timeZone) });
    expect(previous.current.dealsWon).toBeGreaterThan(0);
    const f = await forecast(ctx, {});
    expect(f.slippage.flagged).toBe(2);
    expect(f.totals.some((c) => c.deals > 0)).toBe(true);
    const goals = await goalProgress(ctx);
    expect(goals.length).toBe(5);
  });
});
