import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { activities, activityDigests, memberships, notificationPreferences, notifications, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createActivity, rescheduleActivity, setActivityDone } from "@/lib/activities/commands";
import { DIGEST_MAX_ATTEMPTS, dueDigests, dueReminders, runDigests, runReminders } from "@/lib/activities/reminders";
import { createActivitySchema } from "@/lib/activities/schema";
import { updateNotificationPreferences } from "@/lib/notifications/commands";
import { sendMail } from "@/lib/mail/send";
import { createTestDb, type TestDb } from "../helpers/db";
import { startSmtp } from "../helpers/smtp";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";


/** The decoded text body and subject of a received single-part message (quoted-printable or base64). */
function readMail(raw: string) {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1] ?? "";
  const decodeWords = (v: string) =>
    v.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=\s*)+/g, (run) =>
      Buffer.concat(
        [...run.matchAll(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g)].map(([, enc, data]) =>
          enc!.toUpperCase() === "B" ? Buffer.from(data!, "base64") : Buffer.from(data!.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1"),
        ),
      ).toString("utf8"),
    );
  const enc = header("content-transfer-encoding").toLowerCase();
  const text =
    enc === "base64"
      ? Buffer.from(body, "base64").toString("utf8")
      : enc === "quoted-printable"
        ? Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8")
        : body;
  return { subject: decodeWords(header("subject")), messageId: header("message-id"), text };
}

let t: TestDb;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;
const savedEnv = { SMTP_URL: process.env.SMTP_URL, APP_URL: process.env.APP_URL };
const send = (mail: Parameters<typeof sendMail>[0]) => sendMail(mail, smtp.url);

beforeAll(async () => {
  t = await createTestDb();
  smtp = await startSmtp();
  process.env.APP_URL = "https://crm.example.test";
  ws = await createWorkspaceFixture(t.db, "Reminders");
  other = await createWorkspaceFixture(t.db, "Elsewhere");
});
afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await smtp?.close();
  await t?.close();
});

const schedule = (ctx: Ctx, fields: Record<string, unknown>, tz = "UTC") =>
  createActivity(ctx, createActivitySchema.parse({ type: "call", subject: "Call", dueDate: "2026-03-10", ...fields }), tz);
const remindersOf = (activityId: string) =>
  t.db.select().from(notifications).where(and(eq(notifications.activityId, activityId), eq(notifications.kind, "activity_reminder")));
const setUser = (id: string, values: Partial<typeof users.$inferInsert>) => t.db.update(users).set(values).where(eq(users.id, id));

describe("in-app reminders", () => {
  it("fires at the due time minus the assignee's lead time, once, however often the runner runs", async () => {
    const rep = await ws.ctx("rep");
    await updateNotificationPreferences(t.db, ws.users.rep, { remindersEnabled: true, reminderLeadMinutes: 30, digestEnabled: false }, rep.now);
    const act = await schedule(rep, { subject: "Call Ada", dueTime: "14:00" }); // 14:00Z
    expect((await runReminders(t.db, new Date("2026-03-10T13:29:59Z"))).created).toBe(0);
    expect(await dueReminders(t.db, new Date("2026-03-10T13:30:00Z"))).toEqual([
      expect.objectContaining({ activityId: act.id, userId: ws.users.rep, workspaceId: ws.workspaceId, key: `reminder:${act.id}:2026-03-10T14:00:00.000Z` }),
    ]);
    const [first, second] = await Promise.all([runReminders(t.db, new Date("2026-03-10T13:30:00Z")), runReminders(t.db, new Date("2026-03-10T13:30:00Z"))]);
    expect(first.created + second.created).toBe(1);
    expect((await runReminders(t.db, new Date("2026-03-10T13:45:00Z"))).created).toBe(0);
    expect(await remindersOf(act.id)).toHaveLength(1);
  });

  it("uses the default lead time (15 min) without saved preferences, and reminds again after a reschedule", async () => {
    const manager = await ws.ctx("manager");
    const act = await schedule(manager, { dueTime: "10:00" });
    expect((await runReminders(t.db, new Date("2026-03-10T09:44:00Z"))).created).toBe(0);
    expect((await runReminders(t.db, new Date("2026-03-10T09:45:00Z"))).created).toBe(1);
    await rescheduleActivity(manager, { activityId: act.id, dueDate: "2026-03-11", dueTime: null }, "UTC");
    expect((await runReminders(t.db, new Date("2026-03-10T09:50:00Z"))).created).toBe(0);
    expect((await runReminders(t.db, new Date("2026-03-11T09:45:00Z"))).created).toBe(1);
    expect((await remindersOf(act.id)).map((n) => n.dedupeKey).sort()).toEqual([`reminder:${act.id}:2026-03-10T10:00:00.000Z`, `reminder:${act.id}:2026-03-11T10:00:00.000Z`]);
  });

  it("skips done activities, reminders switched off, former members and reminders missed by more than a day", async () => {
    const admin = await ws.ctx("admin");
    const done = await schedule(admin, { dueTime: "12:00", dueDate: "2026-03-12" });
    await setActivityDone(admin, done.id, true);
    const old = await schedule(admin, { dueTime: "12:00", dueDate: "2026-03-01" });
    const owner = await ws.ctx("owner");
    await updateNotificationPreferences(t.db, ws.users.owner, { remindersEnabled: false, reminderLeadMinutes: 15, digestEnabled: false }, owner.now);
    const off = await schedule(owner, { dueTime: "12:00", dueDate: "2026-03-12" });
    const [leaver] = await t.db.insert(users).values({ email: "leaver@example.com", name: "Leaver" }).returning();
    await t.db.insert(memberships).values({ workspaceId: ws.workspaceId, userId: leaver!.id, role: "rep" });
    const left = await schedule(owner, { dueTime: "12:00", dueDate: "2026-03-12", assigneeId: leaver!.id });
    await t.db.delete(memberships).where(and(eq(memberships.workspaceId, ws.workspaceId), eq(memberships.userId, leaver!.id)));
    await runReminders(t.db, new Date("2026-03-12T11:59:00Z"));
    for (const a of [done, old, off, left]) expect(await remindersOf(a.id)).toEqual([]);
  });

  it("reminds an all-day activity at 08:00 on its day in the assignee's time zone", async () => {
    const extra = await createWorkspaceFixture(t.db, "Zones");
    const rep = await extra.ctx("rep");
    await setUser(extra.users.rep, { timeZone: "Asia/Shanghai" });
    const act = await schedule(rep, { subject: "All day in Shanghai", dueDate: "2026-03-20" }, "Asia/Shanghai");
    // 08:00 in Shanghai on 20 March is 00:00Z.
    expect((await runReminders(t.db, new Date("2026-03-19T23:59:00Z"))).created).toBe(0);
    expect((await runReminders(t.db, new Date("2026-03-20T00:00:00Z"))).created).toBe(1);
    expect((await remindersOf(act.id))[0]!.dedupeKey).toBe(`reminder:${act.id}:2026-03-20`);
    // Missed all day long (the scheduler was down): not sent the next local day.
    const late = await schedule(rep, { subject: "Missed", dueDate: "2026-03-21" }, "Asia/Shanghai");
    expect((await runReminders(t.db, new Date("2026-03-21T16:00:00Z"))).created).toBe(0);
    expect(await remindersOf(late.id)).toEqual([]);
  });
});

describe("morning digest", () => {
  let shanghai: string;
  let newYork: string;
  let digestWs: WorkspaceFixture;

  beforeAll(async () => {
    digestWs = await createWorkspaceFixture(t.db, "Digest");
    shanghai = digestWs.users.manager;
    newYork = digestWs.users.rep;
    await setUser(shanghai, { timeZone: "Asia/Shanghai", locale: "zh-CN", name: "Li Wei" });
    await setUser(newYork, { timeZone: "America/New_York", name: "Maria Garcia" });
    for (const id of [shanghai, newYork]) await updateNotificationPreferences(t.db, id, { remindersEnabled: true, reminderLeadMinutes: 15, digestEnabled: true }, new Date());
    const mgr = await digestWs.ctx("manager");
    const rep = await digestWs.ctx("rep");
    // Shanghai: one overdue (yesterday), one this morning (09:30 local on 10 March), one tomorrow (not listed).
    await schedule(mgr, { subject: "逾期的电话", dueDate: "2026-03-09", dueTime: "15:00" }, "Asia/Shanghai");
    await schedule(mgr, { subject: "上午的会议", type: "meeting", dueDate: "2026-03-10", dueTime: "09:30" }, "Asia/Shanghai");
    await schedule(mgr, { subject: "Tomorrow's call", dueDate: "2026-03-11", dueTime: "09:30" }, "Asia/Shanghai");
    // New York: around the spring-forward (8 March 2026): tasks on 7, 8 and 9 March.
    for (const day of ["2026-03-07", "2026-03-08", "2026-03-09"]) await schedule(rep, { subject: `NY task ${day}`, type: "task", dueDate: day, dueTime: "11:00" }, "America/New_York");
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  const dueUsers = async (iso: string) => (await dueDigests(t.db, new Date(iso))).filter((d) => [shanghai, newYork].includes(d.userId)).map((d) => d.userId);

  it("is due at 08:00 local time for each user: Shanghai at 00:00Z, New York at 13:00Z (EST) and 12:00Z (EDT)", async () => {
    expect(await dueUsers("2026-03-09T23:59:00Z")).toEqual([]); // 07:59 in Shanghai
    expect(await dueUsers("2026-03-10T00:00:00Z")).toEqual([shanghai]); // 08:00 in Shanghai, 19:00 in New York
    expect(await dueUsers("2026-03-07T12:59:00Z")).not.toContain(newYork); // 07:59 EST
    expect(await dueUsers("2026-03-07T13:00:00Z")).toContain(newYork); // 08:00 EST
    // 8 March: clocks go forward at 02:00, so 08:00 EDT is 12:00Z, an hour earlier in UTC than the day before.
    expect(await dueUsers("2026-03-08T11:59:00Z")).not.toContain(newYork);
    expect(await dueUsers("2026-03-08T12:00:00Z")).toContain(newYork);
    // The window closes at noon local time: a digest not sent by then is not sent that day.
    expect(await dueUsers("2026-03-10T04:00:00Z")).not.toContain(shanghai); // 12:00 in Shanghai
    expect((await dueDigests(t.db, new Date("2026-03-10T00:00:00Z")))[0]).toMatchObject({ localDate: "2026-03-10", timeZone: "Asia/Shanghai", locale: "zh-CN" });
  });

  it("sends the Shanghai digest once, in Chinese, listing today's and overdue activities; a second run sends nothing", async () => {
    const now = new Date("2026-03-10T00:05:00Z"); // 08:05 in Shanghai
    const first = await runDigests(t.db, now, send);
    expect(first).toMatchObject({ sent: 1, failed: 0 });
    const again = await runDigests(t.db, new Date("2026-03-10T00:10:00Z"), send);
    expect(again.sent).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const mail = readMail(smtp.received[0]!.raw);
    expect(smtp.received[0]!.to).toEqual([expect.stringMatching(/^manager-.*@example\.com$/)]);
    expect(mail.subject).toBe("您的一天：今天 1 项活动，1 项逾期");
    expect(mail.text).toContain("Li Wei，早上好");
    expect(mail.text).toContain("已逾期（1）");
    expect(mail.text).toContain("逾期的电话");
    expect(mail.text).toContain("今天（1）");
    expect(mail.text).toContain("会议: 上午的会议");
    expect(mail.text).not.toContain("Tomorrow's call");
    expect(mail.text).toContain(`https://crm.example.test/w/${digestWs.slug}/activities`);
    expect(mail.messageId).toContain(`digest-${shanghai}-2026-03-10@pipewise`);
    const [row] = await t.db.select().from(activityDigests).where(eq(activityDigests.userId, shanghai));
    expect(row).toMatchObject({ localDate: "2026-03-10", status: "sent", itemCount: 2, attempts: 1 });
  });

  it("two runners at once send one New York digest (08:00 EDT on the DST day)", async () => {
    const now = new Date("2026-03-08T12:00:00Z");
    const results = await Promise.all([runDigests(t.db, now, send), runDigests(t.db, now, send)]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    const toNy = smtp.received.filter((m) => m.to.some((x) => x.startsWith("rep-")));
    expect(toNy).toHaveLength(1);
    const mail = readMail(toNy[0]!.raw);
    expect(mail.subject).toBe("Your day: 1 activity today, 1 overdue");
    expect(mail.text).toContain("NY task 2026-03-08");
    expect(mail.text).toContain("NY task 2026-03-07"); // overdue since yesterday
    expect(mail.text).not.toContain("NY task 2026-03-09");
    expect(mail.text).toMatch(/11:00\s?AM\s+Task: NY task 2026-03-08/);
  });

  it("records a failed send and retries it on a later tick, at most a few times", async () => {
    const now = new Date("2026-03-09T12:30:00Z"); // 08:30 EDT on 9 March
    smtp.refuse(true);
    try {
      expect(await runDigests(t.db, now, send)).toMatchObject({ sent: 0, failed: 1 });
      const [failed] = await t.db.select().from(activityDigests).where(and(eq(activityDigests.userId, newYork), eq(activityDigests.localDate, "2026-03-09")));
      expect(failed).toMatchObject({ status: "failed", attempts: 1 });
      expect(failed!.lastError).toMatch(/mailbox unavailable|550/);
    } finally {
      smtp.refuse(false);
    }
    expect(await runDigests(t.db, new Date("2026-03-09T12:31:00Z"), send)).toMatchObject({ sent: 1 });
    const [sent] = await t.db.select().from(activityDigests).where(and(eq(activityDigests.userId, newYork), eq(activityDigests.localDate, "2026-03-09")));
    expect(sent).toMatchObject({ status: "sent", attempts: 2 });
    expect(DIGEST_MAX_ATTEMPTS).toBeGreaterThan(1);
  });

  it("records an empty day as skipped (no email), and never digests users who turned it off", async () => {
    const quiet = await createWorkspaceFixture(t.db, "Quiet");
    await updateNotificationPreferences(t.db, quiet.users.owner, { remindersEnabled: true, reminderLeadMinutes: 15, digestEnabled: true }, new Date());
    const now = new Date("2026-03-10T08:00:00Z"); // 08:00 UTC (fixture users are in UTC)
    const due = (await dueDigests(t.db, now)).map((d) => d.userId);
    expect(due).toContain(quiet.users.owner);
    expect(due).not.toContain(quiet.users.rep); // never turned on
    await runDigests(t.db, now, send);
    expect(smtp.received.filter((m) => m.to.some((x) => x.startsWith("owner-")))).toHaveLength(0);
    const [row] = await t.db.select().from(activityDigests).where(eq(activityDigests.userId, quiet.users.owner));
    expect(row).toMatchObject({ status: "skipped", localDate: "2026-03-10" });
    expect((await dueDigests(t.db, new Date("2026-03-10T09:00:00Z"))).map((d) => d.userId)).not.toContain(quiet.users.owner);
  });

  it("lists only the user's activities in workspaces they still belong to", async () => {
    // Another workspace's member with the digest on sees nothing of this workspace's activities.
    await updateNotificationPreferences(t.db, other.users.owner, { remindersEnabled: true, reminderLeadMinutes: 15, digestEnabled: true }, new Date());
    const ids = (await t.db.select({ id: activities.id }).from(activities).where(inArray(activities.assigneeId, [other.users.owner]))).map((r) => r.id);
    expect(ids).toEqual([]);
    const now = new Date("2026-03-11T08:00:00Z");
    await runDigests(t.db, now, send);
    const [row] = await t.db.select().from(activityDigests).where(and(eq(activityDigests.userId, other.users.owner), eq(activityDigests.localDate, "2026-03-11")));
    expect(row?.status).toBe("skipped");
    const prefs = await t.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, other.users.owner));
    expect(prefs[0]!.digestEnabled).toBe(true);
  });
});
