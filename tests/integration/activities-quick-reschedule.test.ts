/**
 * The activities list's "Reschedule → Today / Tomorrow / Next week", called as the public POST endpoint it is:
 * the server action with a mocked session cookie, on PGlite. "Today" is the signed-in user's (their profile zone)
 * at the server's clock, which the test fixes with fake Date.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { activities, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createActivity } from "@/lib/activities/commands";
import { createActivitySchema } from "@/lib/activities/schema";
import { updateWorkspace } from "@/lib/workspaces/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

const state = vi.hoisted(() => ({
  db: undefined as unknown,
  userId: null as string | null,
  revalidations: 0,
  /** Takes activities.write away from reps (no shipped role lacks it), to prove the action asks for it. */
  repLacksActivitiesWrite: false,
}));

vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

vi.mock("@/lib/auth/session", () => ({
  // the fixtures' users keep session version 0 (nobody signed out everywhere)
  getSessionClaims: async () => (state.userId ? { userId: state.userId, sessionVersion: 0 } : null),
}));

vi.mock("@/lib/auth/permissions", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/permissions")>();
  return {
    ...original,
    can: (role: Parameters<typeof original.can>[0], permission: Parameters<typeof original.can>[1]) =>
      state.repLacksActivitiesWrite && role === "rep" && permission === "activities.write" ? false : original.can(role, permission),
  };
});

vi.mock("next/cache", () => ({
  revalidatePath: () => {
    state.revalidations++;
  },
}));

const { quickRescheduleActivityAction } = await import("@/app/w/[workspace]/activities/actions");

const NY = "America/New_York";
const SH = "Asia/Shanghai";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;

const setZone = (userId: string, timeZone: string) => t.db.update(users).set({ timeZone }).where(eq(users.id, userId));
const schedule = (ctx: Ctx, fields: Record<string, unknown>, tz: string) =>
  createActivity(ctx, createActivitySchema.parse({ type: "call", subject: "Call", ...fields }), tz);
const rowOf = async (id: string) => (await t.db.select().from(activities).where(eq(activities.id, id)))[0]!;
/** Calls the action as `userId` at the server time `iso`. */
async function quick(userId: string | null, slug: string, input: Record<string, unknown>, iso = "2026-03-10T09:00:00Z") {
  state.userId = userId;
  vi.setSystemTime(new Date(iso));
  return quickRescheduleActivityAction(slug, undefined, input);
}

beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
});
afterAll(() => t.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  state.userId = null;
  state.revalidations = 0;
  state.repLacksActivitiesWrite = false;
});
afterEach(() => vi.useRealTimers());

describe("moving the due date", () => {
  it("keeps a timed activity's local time of day across the DST change (next Monday, tomorrow, today)", async () => {
    await setZone(a.users.owner, NY);
    // 09:00 in New York on Friday 6 March (EST, -5).
    const act = await schedule(owner, { dueDate: "2026-03-06", dueTime: "09:00", durationMinutes: "30" }, NY);
    expect(act.dueAt!.toISOString()).toBe("2026-03-06T14:00:00.000Z");
    const friday = "2026-03-06T20:00:00Z"; // 15:00 on Friday in New York

    // Next week is Monday 9 March, after the switch to EDT (-4): still 09:00 local, an hour earlier in UTC.
    expect(await quick(a.users.owner, a.slug, { activityId: act.id, to: "nextWeek" }, friday)).toEqual({ ok: true, data: { dueDate: "2026-03-09" } });
    expect(await rowOf(act.id)).toMatchObject({ dueAt: new Date("2026-03-09T13:00:00Z"), dueDate: null, durationMinutes: 30, updatedAt: new Date(friday) });
    expect(state.revalidations).toBe(1);

    expect(await quick(a.users.owner, a.slug, { activityId: act.id, to: "tomorrow" }, friday)).toMatchObject({ ok: true, data: { dueDate: "2026-03-07" } });
    expect((await rowOf(act.id)).dueAt!.toISOString()).toBe("2026-03-07T14:00:00.000Z");
    expect(await quick(a.users.owner, a.slug, { activityId: act.id, to: "today" }, friday)).toMatchObject({ ok: true, data: { dueDate: "2026-03-06" } });
    expect((await rowOf(act.id)).dueAt!.toISOString()).toBe("2026-03-06T14:00:00.000Z");
  });

  it("reads today in the user's zone, not the server's: past midnight in Shanghai it is already 1 April", async () => {
    await setZone(a.users.owner, SH);
    const lateMarch = "2026-03-31T17:00:00Z"; // 01:00 on Wednesday 1 April in Shanghai, still 31 March in UTC
    const allDay = await schedule(owner, { dueDate: "2026-03-20" }, SH);
    expect(await quick(a.users.owner, a.slug, { activityId: allDay.id, to: "today" }, lateMarch)).toMatchObject({ ok: true, data: { dueDate: "2026-04-01" } });
    expect(await rowOf(allDay.id)).toMatchObject({ dueAt: null, dueDate: "2026-04-01", durationMinutes: null });

    const timed = await schedule(owner, { dueDate: "2026-03-30", dueTime: "18:30" }, SH);
    expect(await quick(a.users.owner, a.slug, { activityId: timed.id, to: "tomorrow" }, lateMarch)).toMatchObject({ ok: true, data: { dueDate: "2026-04-02" } });
    expect((await rowOf(timed.id)).dueAt!.toISOString()).toBe("2026-04-02T10:30:00.000Z"); // 18:30 in Shanghai
    expect(await quick(a.users.owner, a.slug, { activityId: timed.id, to: "nextWeek" }, lateMarch)).toMatchObject({ ok: true, data: { dueDate: "2026-04-06" } });
    expect((await rowOf(timed.id)).dueAt!.toISOString()).toBe("2026-04-06T10:30:00.000Z");
  });

  it("refuses a choice that is not on the menu, such as a date sent by the browser", async () => {
    const act = await schedule(owner, { dueDate: "2026-03-20" }, "UTC");
    const before = await rowOf(act.id);
    for (const to of ["2026-04-01", "yesterday", ""]) {
      expect(await quick(a.users.owner, a.slug, { activityId: act.id, to })).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { to: ["errors.invalid"] } });
    }
    expect(await rowOf(act.id)).toEqual(before);
  });
});

describe("who may reschedule", () => {
  it("refuses a signed-out caller, a member of another workspace and a role without activities.write, changing nothing", async () => {
    const act = await schedule(owner, { dueDate: "2026-03-20", dueTime: "10:00" }, "UTC");
    const before = await rowOf(act.id);
    const input = { activityId: act.id, to: "tomorrow" };

    expect(await quick(null, a.slug, input)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    // B's owner: A is not found by its slug, and A's activity is not found from B.
    expect(await quick(b.users.owner, a.slug, input)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await quick(b.users.owner, b.slug, input)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    state.repLacksActivitiesWrite = true;
    expect(await quick(a.users.rep, a.slug, input)).toMatchObject({ ok: false, code: "FORBIDDEN" });

    expect(await rowOf(act.id)).toEqual(before);
    expect(state.revalidations).toBe(0);
  });

  it("lets a rep limited to own deals move only activities they can see", async () => {
    const mine = await schedule(owner, { subject: "For the rep", assigneeId: a.users.rep, dueDate: "2026-03-20" }, "UTC");
    const ownersOwn = await schedule(owner, { subject: "Owner's private", dueDate: "2026-03-20" }, "UTC");
    const before = await rowOf(ownersOwn.id);
    await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "own" });
    try {
      expect(await quick(a.users.rep, a.slug, { activityId: ownersOwn.id, to: "today" })).toMatchObject({ ok: false, code: "NOT_FOUND" });
      expect(await rowOf(ownersOwn.id)).toEqual(before);
      expect(await quick(a.users.rep, a.slug, { activityId: mine.id, to: "today" })).toMatchObject({ ok: true, data: { dueDate: "2026-03-10" } });
      expect((await rowOf(mine.id)).dueDate).toBe("2026-03-10");
    } finally {
      await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "all" });
    }
  });
});
