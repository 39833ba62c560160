import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { activities, notifications, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import {
  createActivity,
  createActivityType,
  deleteActivity,
  followUpLinks,
  renameActivityType,
  rescheduleActivity,
  setActivityDone,
  setActivityTypeArchived,
  updateActivity,
} from "@/lib/activities/commands";
import { getActivity, getActivityFormOptions, listActivityTypes, listContactActivities, listDealActivities, listMyDay, listWeek } from "@/lib/activities/queries";
import { createActivitySchema } from "@/lib/activities/schema";
import { createDeal, deleteDeal, restoreDeal } from "@/lib/deals/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { getBoard, listDeals, listPipelines } from "@/lib/deals/queries";
import { countUnreadNotifications, listNotifications } from "@/lib/notifications/queries";
import { markNotificationsRead } from "@/lib/notifications/commands";
import { updateWorkspace } from "@/lib/workspaces/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

// The fixture clock is 2026-03-10T09:00:00Z: 17:00 in Shanghai, 05:00 in New York.
const SH = "Asia/Shanghai";
const NY = "America/New_York";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageId: string;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageId = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position)))[0]!.id;
});
afterAll(() => t.close());

const schedule = (ctx: Ctx, fields: Record<string, unknown>, tz = "UTC") =>
  createActivity(ctx, createActivitySchema.parse({ type: "call", subject: "Call", dueDate: "2026-03-10", ...fields }), tz);
const newDeal = (ctx: Ctx, title: string, extra: Record<string, unknown> = {}) =>
  createDeal(ctx, createDealSchema.parse({ title, value: "100", pipelineId, stageId, ...extra }));
const rowOf = async (id: string) => (await t.db.select().from(activities).where(eq(activities.id, id)))[0];

describe("scheduling", () => {
  it("stores a timed activity as the instant of the user's local date and time", async () => {
    const act = await schedule(owner, { subject: "Call Ada", dueDate: "2026-03-11", dueTime: "09:30", durationMinutes: "30" }, SH);
    expect(act.dueAt!.toISOString()).toBe("2026-03-11T01:30:00.000Z");
    expect(act).toMatchObject({ dueDate: null, durationMinutes: 30, assigneeId: a.users.owner, origin: "manual", type: "call" });
  });

  it("stores an activity without a time as all-day (a date, no instant, no duration)", async () => {
    const act = await schedule(owner, { subject: "Send contract", type: "task", dueDate: "2026-03-12", durationMinutes: "45" }, NY);
    expect(act).toMatchObject({ dueAt: null, dueDate: "2026-03-12", durationMinutes: null });
  });

  it("links the deal's contact when only the deal is given", async () => {
    const deal = await newDeal(owner, "Linked", { newContactName: "Grace Hopper" });
    const act = await schedule(owner, { dealId: deal.id });
    expect(act.contactId).toBe(deal.contactId);
    const list = await listDealActivities(owner, deal.id, "UTC");
    expect(list.open.map((x) => x.id)).toEqual([act.id]);
    expect(list.open[0]!.contact?.name).toBe("Grace Hopper");
    expect((await listContactActivities(owner, deal.contactId!, "UTC")).open.map((x) => x.id)).toEqual([act.id]);
  });

  it("refuses a deal, contact or assignee of another workspace, and an unknown custom type", async () => {
    const bOwner = await b.ctx("owner");
    const bDeal = await createDeal(bOwner, createDealSchema.parse({ title: "B deal", pipelineId: (await listPipelines(bOwner))[0]!.id, stageId: (await getBoard(bOwner, (await listPipelines(bOwner))[0]!.id, {})).columns[0]!.id, newContactName: "B person" }));
    await expect(schedule(owner, { dealId: bDeal.id })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { dealId: ["errors.NOT_FOUND"] } });
    await expect(schedule(owner, { contactId: bDeal.contactId })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { contactId: ["errors.NOT_FOUND"] } });
    await expect(schedule(owner, { assigneeId: b.users.rep })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { assigneeId: ["errors.assigneeNotMember"] } });
    const bType = await createActivityType(bOwner, "B visit");
    await expect(schedule(owner, { type: bType.id })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { type: ["errors.NOT_FOUND"] } });
  });

  it("validates the form: subject, date and time formats, duration range", () => {
    const bad = createActivitySchema.safeParse({ type: "fax", subject: " ", dueDate: "2026-13-01", dueTime: "25:00", durationMinutes: "0" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => i.path[0]));
    expect([...fields].sort()).toEqual(["dueDate", "dueTime", "durationMinutes", "subject", "type"]);
  });

  it("notifies someone else who is assigned, not oneself", async () => {
    const rep = await a.ctx("rep");
    const before = await countUnreadNotifications(rep);
    const act = await schedule(owner, { subject: "For the rep", assigneeId: a.users.rep });
    expect(await countUnreadNotifications(rep)).toBe(before + 1);
    const [latest] = await listNotifications(rep);
    expect(latest).toMatchObject({ kind: "activity_assigned", read: false, activity: { id: act.id, subject: "For the rep" } });
    await schedule(rep, { subject: "Own" });
    expect(await countUnreadNotifications(rep)).toBe(before + 1);
    expect(await markNotificationsRead(rep, { all: true })).toBe(before + 1);
    expect(await countUnreadNotifications(rep)).toBe(0);
    // The owner cannot mark the rep's notifications (they match nothing).
    await schedule(owner, { subject: "Again", assigneeId: a.users.rep });
    const [again] = await listNotifications(rep);
    expect(await markNotificationsRead(owner, { ids: [again!.id] })).toBe(0);
    expect(await countUnreadNotifications(rep)).toBe(1);
  });
});

describe("done, reschedule, edit, delete", () => {
  it("marks done at the injected time, idempotently, and undoes", async () => {
    const act = await schedule(owner, { subject: "Finish me" });
    const later = at(owner, "2026-03-10T10:00:00Z");
    expect((await setActivityDone(later, act.id, true)).doneAt!.toISOString()).toBe("2026-03-10T10:00:00.000Z");
    expect((await setActivityDone(at(owner, "2026-03-10T11:00:00Z"), act.id, true)).doneAt!.toISOString()).toBe("2026-03-10T10:00:00.000Z");
    expect((await setActivityDone(later, act.id, false)).doneAt).toBeNull();
  });

  it("reschedules to another day keeping the local time of day (across a DST change)", async () => {
    // 09:00 in New York on Friday 6 March (EST, -5) → Monday 9 March (EDT, -4): still 09:00 local.
    const act = await schedule(owner, { dueDate: "2026-03-06", dueTime: "09:00" }, NY);
    expect(act.dueAt!.toISOString()).toBe("2026-03-06T14:00:00.000Z");
    const moved = await rescheduleActivity(owner, { activityId: act.id, dueDate: "2026-03-09", dueTime: null }, NY);
    expect(moved.dueAt!.toISOString()).toBe("2026-03-09T13:00:00.000Z");
    const timed = await rescheduleActivity(owner, { activityId: act.id, dueDate: "2026-03-09", dueTime: "16:15" }, NY);
    expect(timed.dueAt!.toISOString()).toBe("2026-03-09T20:15:00.000Z");
    const allDay = await schedule(owner, { dueDate: "2026-03-06" }, NY);
    expect(await rescheduleActivity(owner, { activityId: allDay.id, dueDate: "2026-03-13", dueTime: null }, NY)).toMatchObject({ dueAt: null, dueDate: "2026-03-13" });
  });

  it("edits every field and deletes", async () => {
    const act = await schedule(owner, { subject: "Draft" });
    const deal = await newDeal(owner, "Edit target");
    const updated = await updateActivity(owner, { activityId: act.id, ...createActivitySchema.parse({ type: "meeting", subject: "Final", notes: "Agenda", dueDate: "2026-03-20", dueTime: "14:00", durationMinutes: "60", assigneeId: a.users.manager, dealId: deal.id }) }, "UTC");
    expect(updated).toMatchObject({ type: "meeting", subject: "Final", notes: "Agenda", durationMinutes: 60, assigneeId: a.users.manager, dealId: deal.id });
    expect(updated.dueAt!.toISOString()).toBe("2026-03-20T14:00:00.000Z");
    await deleteActivity(owner, act.id);
    expect(await rowOf(act.id)).toBeUndefined();
    await expect(deleteActivity(owner, act.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("My day", () => {
  it("sorts the manager's own open activities into overdue, today and upcoming in their time zone, and lists done ones", async () => {
    const manager = await a.ctx("manager"); // 17:00 in Shanghai on 10 March
    const mk = (subject: string, dueDate: string, dueTime?: string) => schedule(manager, { subject, dueDate, dueTime }, SH);
    const pastToday = await mk("Earlier today", "2026-03-10", "10:00"); // 02:00Z: passed → overdue
    const laterToday = await mk("Later today", "2026-03-10", "18:00"); // 10:00Z
    const allDayToday = await mk("All day today", "2026-03-10");
    const yesterday = await mk("Yesterday all day", "2026-03-09");
    const tomorrow = await mk("Tomorrow", "2026-03-11", "00:30"); // 10 March 16:30Z: still the 10th in UTC, the 11th in Shanghai
    const done = await mk("Done one", "2026-03-10", "08:00");
    await setActivityDone(manager, done.id, true);
    const day = await listMyDay(manager, SH, {});
    expect(day.today).toBe("2026-03-10");
    const ids = (list: { id: string }[]) => list.map((x) => x.id);
    expect(ids(day.overdue)).toEqual([yesterday.id, pastToday.id]);
    expect(ids(day.todayList)).toEqual([allDayToday.id, laterToday.id]);
    expect(ids(day.upcoming)).toEqual(expect.arrayContaining([tomorrow.id]));
    expect(ids(day.upcoming)).not.toContain(laterToday.id);
    expect(ids(day.done)).toEqual([done.id]);
    expect(day.overdue.every((x) => x.overdue)).toBe(true);
    expect(day.todayList.some((x) => x.overdue)).toBe(false);
    // In UTC the same clock makes "Tomorrow" (16:30Z) part of today.
    expect(ids((await listMyDay(manager, "UTC", {})).todayList)).toContain(tomorrow.id);
  });

  it("an all-day activity is overdue only once its date is before the user's today", async () => {
    const manager = await a.ctx("manager");
    const act = await schedule(manager, { subject: "Deadline", type: "deadline", dueDate: "2026-03-10" }, NY);
    // 2026-03-11T03:00Z is still 10 March in New York, already 11 March in Shanghai.
    const late = at(manager, "2026-03-11T03:00:00Z");
    expect((await getActivity(late, act.id, NY))!.overdue).toBe(false);
    expect((await getActivity(late, act.id, SH))!.overdue).toBe(true);
  });

  it("filters by type and by assignee; the week view holds the week's activities, done or not", async () => {
    const manager = await a.ctx("manager");
    const email = await schedule(manager, { subject: "Week email", type: "email", dueDate: "2026-03-13", dueTime: "23:30" }, SH);
    const repTask = await schedule(manager, { subject: "Rep's task", type: "task", dueDate: "2026-03-12", assigneeId: a.users.rep }, SH);
    const nextWeek = await schedule(manager, { subject: "Next week", dueDate: "2026-03-16", dueTime: "08:00" }, SH);
    const byType = await listMyDay(manager, SH, { type: "email" });
    expect([...byType.todayList, ...byType.upcoming].every((x) => x.type === "email")).toBe(true);
    expect(byType.upcoming.map((x) => x.id)).toContain(email.id);
    const mine = await listMyDay(manager, SH, {});
    expect(mine.upcoming.map((x) => x.id)).not.toContain(repTask.id);
    const reps = await listMyDay(manager, SH, { assignee: a.users.rep });
    expect(reps.upcoming.map((x) => x.id)).toEqual([repTask.id]);
    expect(reps.upcoming[0]!.assigneeName).toMatch(/^rep /);
    const week = await listWeek(manager, SH, { assignee: "all" }, "2026-03-12");
    expect(week.days).toEqual(["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15"]);
    const weekIds = week.activities.map((x) => x.id);
    expect(weekIds).toEqual(expect.arrayContaining([email.id, repTask.id]));
    expect(weekIds).not.toContain(nextWeek.id);
    expect(week.activities.some((x) => x.doneAt)).toBe(true);
  });
});

describe("visibility", () => {
  it("a rep limited to own deals sees what is assigned to them or on their deals; managers see the team", async () => {
    const rep = await a.ctx("rep");
    const manager = await a.ctx("manager");
    const repDeal = await newDeal(owner, "Rep's deal", { ownerId: a.users.rep });
    const ownerDeal = await newDeal(owner, "Owner's deal");
    const onRepDeal = await schedule(owner, { subject: "On the rep's deal", dealId: repDeal.id, dueDate: "2026-03-25" });
    const assignedOnOwnerDeal = await schedule(owner, { subject: "Assigned to rep on owner's deal", dealId: ownerDeal.id, assigneeId: a.users.rep, dueDate: "2026-03-25" });
    const ownersOwn = await schedule(owner, { subject: "Owner's private", dealId: ownerDeal.id, dueDate: "2026-03-25" });
    await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "own" });
    try {
      const limited = await a.ctx("rep");
      const all = await listMyDay(limited, "UTC", { assignee: "all" });
      const seen = [...all.upcoming, ...all.todayList, ...all.overdue].map((x) => x.id);
      expect(seen).toEqual(expect.arrayContaining([onRepDeal.id, assignedOnOwnerDeal.id]));
      expect(seen).not.toContain(ownersOwn.id);
      // The rep works the task on the owner's deal, without learning the deal's title.
      const task = (await getActivity(limited, assignedOnOwnerDeal.id, "UTC"))!;
      expect(task.deal).toBeNull();
      expect((await getActivity(limited, onRepDeal.id, "UTC"))!.deal).toEqual({ id: repDeal.id, title: "Rep's deal" });
      expect(await getActivity(limited, ownersOwn.id, "UTC")).toBeNull();
      for (const attempt of [
        () => setActivityDone(limited, ownersOwn.id, true),
        () => rescheduleActivity(limited, { activityId: ownersOwn.id, dueDate: "2026-03-26", dueTime: null }, "UTC"),
        () => deleteActivity(limited, ownersOwn.id),
      ]) await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
      // Nor can they link a deal they cannot see.
      await expect(schedule(limited, { dealId: ownerDeal.id })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { dealId: ["errors.NOT_FOUND"] } });
      expect((await getActivityFormOptions(limited)).canSeeTeam).toBe(false);
      const team = await listMyDay(await a.ctx("manager"), "UTC", { assignee: "all" });
      expect([...team.upcoming].map((x) => x.id)).toEqual(expect.arrayContaining([onRepDeal.id, assignedOnOwnerDeal.id, ownersOwn.id]));
      expect((await getActivityFormOptions(manager)).canSeeTeam).toBe(true);
      // Done: "schedule the next" pre-fills the deal only when it is the rep's to see.
      expect(await followUpLinks(limited, await setActivityDone(limited, assignedOnOwnerDeal.id, true))).toEqual({ dealId: null, contactId: null });
      expect(await followUpLinks(limited, await setActivityDone(limited, onRepDeal.id, true))).toEqual({ dealId: repDeal.id, contactId: null });
    } finally {
      await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "all" });
    }
    expect(await getActivity(rep, ownersOwn.id, "UTC")).not.toBeNull();
  });

  it("hides the activities of a deleted deal and brings them back with it", async () => {
    const deal = await newDeal(owner, "Goes away");
    const act = await schedule(owner, { dealId: deal.id });
    await deleteDeal(owner, deal.id);
    expect(await getActivity(owner, act.id, "UTC")).toBeNull();
    await expect(setActivityDone(owner, act.id, true)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await restoreDeal(owner, deal.id);
    expect(await getActivity(owner, act.id, "UTC")).not.toBeNull();
  });

  it("workspace B cannot reach A's activities or types: NOT_FOUND, and A is unchanged", async () => {
    const act = await schedule(owner, { subject: "A's secret" });
    const aType = await createActivityType(owner, "A visit");
    const before = await rowOf(act.id);
    const bOwner = await b.ctx("owner");
    for (const attempt of [
      () => setActivityDone(bOwner, act.id, true),
      () => rescheduleActivity(bOwner, { activityId: act.id, dueDate: "2026-04-01", dueTime: null }, "UTC"),
      () => updateActivity(bOwner, { activityId: act.id, ...createActivitySchema.parse({ type: "call", subject: "Hijacked", dueDate: "2026-04-01" }) }, "UTC"),
      () => deleteActivity(bOwner, act.id),
      () => renameActivityType(bOwner, aType.id, "Stolen"),
      () => setActivityTypeArchived(bOwner, aType.id, true),
    ]) await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await getActivity(bOwner, act.id, "UTC")).toBeNull();
    expect(await rowOf(act.id)).toEqual(before);
    expect((await listActivityTypes(owner)).find((x) => x.id === aType.id)).toMatchObject({ label: "A visit", archivedAt: null });
    expect((await listMyDay(bOwner, "UTC", { assignee: "all" })).todayList.map((x) => x.id)).not.toContain(act.id);
    expect(await listNotifications(bOwner)).toEqual([]);
  });
});

describe("workspace activity types", () => {
  it("admins add, rename and archive types; labels are unique (built-ins too); archived types keep their activities", async () => {
    const admin = await a.ctx("admin");
    const visit = await createActivityType(admin, "Site visit");
    await expect(createActivityType(admin, "site VISIT")).rejects.toMatchObject({ code: "CONFLICT", fieldErrors: { label: ["errors.activityTypeTaken"] } });
    await expect(createActivityType(admin, "Call")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createActivityType(await a.ctx("manager"), "Lunch")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const act = await schedule(owner, { type: visit.id, subject: "Visit the plant" });
    expect(act).toMatchObject({ type: "custom", customTypeId: visit.id });
    expect((await getActivity(owner, act.id, "UTC"))!.customLabel).toBe("Site visit");
    await renameActivityType(admin, visit.id, "Plant visit");
    expect((await getActivity(owner, act.id, "UTC"))!.customLabel).toBe("Plant visit");
    await setActivityTypeArchived(admin, visit.id, true);
    expect((await listActivityTypes(owner)).map((x) => x.id)).not.toContain(visit.id);
    expect((await listActivityTypes(owner, { includeArchived: true })).map((x) => x.id)).toContain(visit.id);
    // New activities cannot use an archived type; an existing one keeps it when edited.
    await expect(schedule(owner, { type: visit.id })).rejects.toMatchObject({ code: "VALIDATION" });
    const edited = await updateActivity(owner, { activityId: act.id, ...createActivitySchema.parse({ type: visit.id, subject: "Visit, edited", dueDate: "2026-03-10" }) }, "UTC");
    expect(edited.customTypeId).toBe(visit.id);
    const n = await t.db.select().from(notifications).where(and(eq(notifications.workspaceId, a.workspaceId), eq(notifications.userId, a.users.admin)));
    expect(n).toEqual([]);
  });
});

describe("board cards", () => {
  it("show each deal's next open activity, flag an overdue one, and none when none is scheduled", async () => {
    const none = await newDeal(owner, "Card without activity");
    const planned = await newDeal(owner, "Card with a plan");
    const late = await newDeal(owner, "Card with an overdue task");
    await schedule(owner, { subject: "Later call", dealId: planned.id, dueDate: "2026-03-20", dueTime: "10:00" });
    await schedule(owner, { subject: "First call", dealId: planned.id, dueDate: "2026-03-12", dueTime: "10:00" });
    const finished = await schedule(owner, { subject: "Already done", dealId: planned.id, dueDate: "2026-03-11" });
    await setActivityDone(owner, finished.id, true);
    await schedule(owner, { subject: "Today, all day", dealId: late.id, dueDate: "2026-03-10" });
    await schedule(owner, { subject: "Missed yesterday", type: "task", dealId: late.id, dueDate: "2026-03-09", dueTime: "15:00" });
    const board = await getBoard(owner, pipelineId, {}, 50);
    const cards = board.columns.flatMap((c) => c.cards);
    const card = (id: string) => cards.find((c) => c.id === id)!;
    expect(card(none.id)).toBeDefined();
    expect(card(none.id).nextActivity).toBeUndefined(); // board cards leave empty fields out
    expect(card(planned.id).nextActivity).toEqual({ type: "call", label: null, subject: "First call", dueAt: "2026-03-12T10:00:00.000Z", dueDate: null, overdue: false });
    expect(card(late.id).nextActivity).toMatchObject({ subject: "Missed yesterday", type: "task", overdue: true });
    // An all-day activity is not overdue on its own day; a custom type carries its label.
    const allDay = await newDeal(owner, "Card due today");
    const visit = await createActivityType(owner, "Lunch");
    await schedule(owner, { subject: "Lunch with them", type: visit.id, dealId: allDay.id, dueDate: "2026-03-10" });
    const again = (await getBoard(owner, pipelineId, {}, 50)).columns.flatMap((c) => c.cards).find((c) => c.id === allDay.id)!;
    expect(again.nextActivity).toEqual({ type: "custom", label: "Lunch", subject: "Lunch with them", dueAt: null, dueDate: "2026-03-10", overdue: false });
    // The same field comes with the table view.
    const table = await listDeals(owner, { pipelineId, q: "Card with" });
    expect(table.rows.find((r) => r.id === late.id)!.nextActivity).toMatchObject({ overdue: true });
    expect(table.rows.find((r) => r.id === planned.id)!.nextActivity).toMatchObject({ subject: "First call" });
  });
});

describe("demo data", () => {
  it("gives every member of the demo workspace done, upcoming and overdue activities, and leaves some open deals without one", async () => {
    const { seedDemoWorkspace } = await import("@/db/seed/demo-workspace");
    const { workspaces, memberships, deals } = await import("@/db/schema");
    const now = new Date("2026-03-10T09:00:00Z");
    await seedDemoWorkspace(t.db, now);
    const [ws] = await t.db.select().from(workspaces).where(eq(workspaces.slug, "acme"));
    const members = await t.db.select().from(memberships).where(eq(memberships.workspaceId, ws!.id));
    const rows = await t.db.select().from(activities).where(eq(activities.workspaceId, ws!.id));
    expect(members.filter((m) => m.role === "rep").length).toBeGreaterThanOrEqual(3);
    for (const m of members) {
      const mine = rows.filter((r) => r.assigneeId === m.userId);
      expect(mine.some((r) => r.doneAt), `done for ${m.role}`).toBe(true);
      expect(mine.some((r) => !r.doneAt && ((r.dueAt && r.dueAt > now) || (r.dueDate && r.dueDate > "2026-03-10"))), `upcoming for ${m.role}`).toBe(true);
      expect(mine.some((r) => !r.doneAt && ((r.dueAt && r.dueAt < now) || (r.dueDate && r.dueDate < "2026-03-10"))), `overdue for ${m.role}`).toBe(true);
    }
    const openDeals = await t.db.select({ id: deals.id }).from(deals).where(and(eq(deals.workspaceId, ws!.id), eq(deals.status, "open")));
    const withOpen = new Set(rows.filter((r) => !r.doneAt && r.dealId).map((r) => r.dealId));
    const without = openDeals.filter((d) => !withOpen.has(d.id)).length;
    expect(without).toBeGreaterThan(0);
    expect(without).toBeLessThan(openDeals.length / 2);
    expect(rows.some((r) => r.type === "custom")).toBe(true);
  });
});
