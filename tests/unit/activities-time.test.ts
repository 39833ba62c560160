import { describe, expect, it } from "vitest";
import {
  addDaysToDate,
  digestWindow,
  isOverdue,
  isReminderDue,
  localDate,
  localDay,
  localTime,
  localWeek,
  mondayOf,
  nextDigestAt,
  quickRescheduleDate,
  reminderAt,
  reminderKey,
  safeTimeZone,
  zonedInstant,
} from "@/lib/activities/time";
import { createActivitySchema, notificationPreferencesSchema, quickRescheduleActivitySchema, rescheduleActivitySchema, setActivityDoneSchema } from "@/lib/activities/schema";

const at = (iso: string) => new Date(iso);

describe("local dates and times", () => {
  it("turns a local date and time into the instant of that zone", () => {
    expect(zonedInstant("2026-03-10", "08:00", "Asia/Shanghai").toISOString()).toBe("2026-03-10T00:00:00.000Z");
    expect(zonedInstant("2026-03-07", "08:00", "America/New_York").toISOString()).toBe("2026-03-07T13:00:00.000Z");
    expect(zonedInstant("2026-03-08", "08:00", "America/New_York").toISOString()).toBe("2026-03-08T12:00:00.000Z");
  });

  it("moves a wall time skipped by spring-forward ahead by the gap, and takes the first of a repeated one", () => {
    expect(zonedInstant("2026-03-08", "02:30", "America/New_York").toISOString()).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    expect(zonedInstant("2026-11-01", "01:30", "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT
  });

  it("knows the local date and time of an instant", () => {
    expect(localDate(at("2026-03-10T16:30:00Z"), "Asia/Shanghai")).toBe("2026-03-11");
    expect(localDate(at("2026-03-10T16:30:00Z"), "America/New_York")).toBe("2026-03-10");
    expect(localTime(at("2026-03-10T16:30:00Z"), "Asia/Shanghai")).toBe("00:30");
  });

  it("gives a local day its real length: 23 hours on the spring-forward day, 25 on the fall-back day", () => {
    const spring = localDay(at("2026-03-08T15:00:00Z"), "America/New_York");
    expect(spring).toMatchObject({ date: "2026-03-08" });
    expect(spring.start.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    const fall = localDay(at("2026-11-01T15:00:00Z"), "America/New_York");
    expect((fall.end.getTime() - fall.start.getTime()) / 3_600_000).toBe(25);
  });

  it("builds a Monday-first week around any of its dates", () => {
    const week = localWeek("2026-03-15", "Asia/Shanghai"); // a Sunday
    expect(week.days[0]).toBe("2026-03-09");
    expect(week.days[6]).toBe("2026-03-15");
    expect(week.start.toISOString()).toBe("2026-03-08T16:00:00.000Z");
    expect(week.end.toISOString()).toBe("2026-03-15T16:00:00.000Z");
    expect(addDaysToDate("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDaysToDate("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("falls back to UTC for an unknown zone instead of throwing", () => {
    expect(safeTimeZone("Mars/Olympus")).toBe("UTC");
    expect(safeTimeZone(null)).toBe("UTC");
    expect(safeTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(localDate(at("2026-03-10T23:30:00Z"), "Not/AZone")).toBe("2026-03-10");
  });
});

describe("quick reschedule dates", () => {
  it("moves to today, tomorrow or next week's Monday, across month and year ends", () => {
    expect(quickRescheduleDate("today", "2026-03-31")).toBe("2026-03-31");
    expect(quickRescheduleDate("tomorrow", "2026-03-31")).toBe("2026-04-01");
    expect(quickRescheduleDate("tomorrow", "2026-12-31")).toBe("2027-01-01");
    expect(quickRescheduleDate("nextWeek", "2026-03-11")).toBe("2026-03-16"); // a Wednesday
    expect(quickRescheduleDate("nextWeek", "2026-12-30")).toBe("2027-01-04");
  });

  it("takes next week's Monday a week ahead on a Monday, and tomorrow on a Sunday", () => {
    expect(quickRescheduleDate("nextWeek", "2026-03-09")).toBe("2026-03-16");
    expect(quickRescheduleDate("nextWeek", "2026-03-15")).toBe("2026-03-16");
  });

  it("counts the week on the calendar, whatever the zone the browser or server runs in", () => {
    // The row menu computes its labels in the browser: at UTC+12 or more a UTC noon is already the next day.
    const zone = process.env.TZ;
    try {
      for (const tz of ["Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]) {
        process.env.TZ = tz;
        expect(mondayOf("2026-03-15")).toBe("2026-03-09"); // a Sunday
        expect(mondayOf("2026-03-16")).toBe("2026-03-16");
        expect(quickRescheduleDate("nextWeek", "2026-03-15")).toBe("2026-03-16");
        expect(localWeek("2026-03-15", "UTC").days[0]).toBe("2026-03-09");
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("accepts only the menu's choices", () => {
    const id = "9b2d6f5e-4a3b-4c1d-8e2f-1a2b3c4d5e6f";
    expect(quickRescheduleActivitySchema.parse({ activityId: id, to: "nextWeek" })).toEqual({ activityId: id, to: "nextWeek" });
    expect(quickRescheduleActivitySchema.safeParse({ activityId: id, to: "2026-03-16" }).success).toBe(false);
    expect(quickRescheduleActivitySchema.safeParse({ activityId: "nope", to: "today" }).success).toBe(false);
  });
});

describe("overdue", () => {
  const open = { doneAt: null };
  it("a timed activity is overdue once its due time has passed, not a second before", () => {
    const a = { ...open, dueAt: at("2026-03-10T09:00:00Z"), dueDate: null };
    expect(isOverdue(a, at("2026-03-10T09:00:00Z"), "UTC")).toBe(false);
    expect(isOverdue(a, at("2026-03-10T09:00:01Z"), "UTC")).toBe(true);
  });

  it("an all-day activity is due all day long in the user's zone", () => {
    const a = { ...open, dueAt: null, dueDate: "2026-03-10" };
    const now = at("2026-03-10T20:00:00Z"); // 11 March 04:00 in Shanghai, 10 March 16:00 in New York
    expect(isOverdue(a, now, "America/New_York")).toBe(false);
    expect(isOverdue(a, now, "Asia/Shanghai")).toBe(true);
  });

  it("a done activity is never overdue", () => {
    expect(isOverdue({ dueAt: at("2026-01-01T00:00:00Z"), dueDate: null, doneAt: at("2026-01-02T00:00:00Z") }, at("2026-03-10T00:00:00Z"), "UTC")).toBe(false);
  });
});

describe("reminder timing", () => {
  it("reminds a lead time before a timed activity, until a day after it", () => {
    const a = { dueAt: at("2026-03-10T14:00:00Z"), dueDate: null };
    expect(reminderAt(a, 30, "UTC").toISOString()).toBe("2026-03-10T13:30:00.000Z");
    expect(isReminderDue(a, 30, "UTC", at("2026-03-10T13:29:59Z"))).toBe(false);
    expect(isReminderDue(a, 30, "UTC", at("2026-03-10T13:30:00Z"))).toBe(true);
    expect(isReminderDue(a, 30, "UTC", at("2026-03-11T13:59:59Z"))).toBe(true);
    expect(isReminderDue(a, 30, "UTC", at("2026-03-11T14:00:00Z"))).toBe(false);
    expect(reminderKey("A", a)).toBe("reminder:A:2026-03-10T14:00:00.000Z");
  });

  it("reminds an all-day activity at 08:00 local on its day, and not after that day", () => {
    const a = { dueAt: null, dueDate: "2026-03-20" };
    expect(reminderAt(a, 30, "Asia/Shanghai").toISOString()).toBe("2026-03-20T00:00:00.000Z");
    expect(isReminderDue(a, 30, "Asia/Shanghai", at("2026-03-19T23:59:00Z"))).toBe(false);
    expect(isReminderDue(a, 30, "Asia/Shanghai", at("2026-03-20T15:59:00Z"))).toBe(true); // 23:59 local
    expect(isReminderDue(a, 30, "Asia/Shanghai", at("2026-03-20T16:00:00Z"))).toBe(false); // next local day
    expect(reminderKey("B", a)).toBe("reminder:B:2026-03-20");
  });
});

describe("digest window", () => {
  it("opens at 08:00 local for each zone and closes at noon", () => {
    expect(digestWindow(at("2026-03-09T23:59:59Z"), "Asia/Shanghai")).toEqual({ open: false, localDate: "2026-03-10" });
    expect(digestWindow(at("2026-03-10T00:00:00Z"), "Asia/Shanghai")).toEqual({ open: true, localDate: "2026-03-10" });
    expect(digestWindow(at("2026-03-10T03:59:59Z"), "Asia/Shanghai").open).toBe(true);
    expect(digestWindow(at("2026-03-10T04:00:00Z"), "Asia/Shanghai").open).toBe(false);
    expect(digestWindow(at("2026-03-10T00:00:00Z"), "America/New_York")).toEqual({ open: false, localDate: "2026-03-09" });
  });

  it("follows New York's DST: 08:00 is 13:00Z in winter, 12:00Z from 8 March, 13:00Z again after 1 November", () => {
    expect(digestWindow(at("2026-03-07T12:30:00Z"), "America/New_York").open).toBe(false);
    expect(digestWindow(at("2026-03-07T13:00:00Z"), "America/New_York").open).toBe(true);
    expect(digestWindow(at("2026-03-08T12:00:00Z"), "America/New_York")).toEqual({ open: true, localDate: "2026-03-08" });
    expect(digestWindow(at("2026-11-01T12:30:00Z"), "America/New_York").open).toBe(false);
    expect(digestWindow(at("2026-11-01T13:00:00Z"), "America/New_York").open).toBe(true);
    expect(nextDigestAt(at("2026-03-07T14:00:00Z"), "America/New_York").toISOString()).toBe("2026-03-08T12:00:00.000Z");
    expect(nextDigestAt(at("2026-03-09T20:00:00Z"), "Asia/Shanghai").toISOString()).toBe("2026-03-10T00:00:00.000Z");
  });
});

describe("activity input", () => {
  it("accepts a blank time (all-day) and blank links", () => {
    expect(createActivitySchema.parse({ type: "task", subject: " Follow up ", dueDate: "2026-03-10", dueTime: "", assigneeId: "", dealId: "", contactId: "", durationMinutes: "" })).toEqual({
      type: "task",
      subject: "Follow up",
      notes: null,
      dueDate: "2026-03-10",
      dueTime: null,
      durationMinutes: null,
      assigneeId: null,
      dealId: null,
      contactId: null,
    });
  });

  it("parses the checkboxes of the done toggle and the preferences form", () => {
    const id = "9b2d6f5e-4a3b-4c1d-8e2f-1a2b3c4d5e6f";
    expect(setActivityDoneSchema.parse({ activityId: id, done: "true" }).done).toBe(true);
    expect(setActivityDoneSchema.parse({ activityId: id, done: false }).done).toBe(false);
    expect(setActivityDoneSchema.safeParse({ activityId: id }).success).toBe(false);
    expect(notificationPreferencesSchema.parse({ reminderLeadMinutes: "30", digestEnabled: "on" })).toEqual({ remindersEnabled: false, reminderLeadMinutes: 30, digestEnabled: true });
    expect(notificationPreferencesSchema.safeParse({ reminderLeadMinutes: "7" }).success).toBe(false);
    expect(notificationPreferencesSchema.safeParse({}).success).toBe(false);
    expect(rescheduleActivitySchema.safeParse({ activityId: id, dueDate: "2026-02-30" }).success).toBe(false);
  });
});
