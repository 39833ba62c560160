import { asc, eq } from "drizzle-orm";
import { activities, activityTypes, companies, contacts, deals, memberships, notificationPreferences, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { DEMO_EMAIL } from "@/lib/demo";
import { addDaysToDate, localDate, safeTimeZone, zonedInstant } from "@/lib/activities/time";
import { createRandom } from "./random";

type Kind = "call" | "email" | "meeting" | "task" | "deadline";

const subjects: Record<Kind, ((who: string, org: string) => string)[]> = {
  call: [(w) => `Call ${w}`, (w) => `Follow-up call with ${w}`, (_, o) => `Discovery call — ${o}`],
  email: [(w) => `Send proposal to ${w}`, (w) => `Email pricing to ${w}`, (_, o) => `Recap email to ${o}`],
  meeting: [(_, o) => `Demo for ${o}`, (w) => `Meeting with ${w}`, (_, o) => `Negotiation meeting — ${o}`],
  task: [() => "Prepare the quote", () => "Update the business case", (_, o) => `Research ${o}`],
  deadline: [() => "Contract signature deadline", () => "Proposal due", () => "Budget approval deadline"],
};

/**
 * Activities for the demo workspace: for every member, done ones in the past on their deals, upcoming ones over the
 * next two weeks, a few today and some overdue; about one open deal in six has nothing scheduled, so the board
 * shows its warning. Times are working hours in each member's own time zone. One workspace type ("Site visit")
 * is used too. The demo owner gets the morning digest turned on (captured to the log without SMTP).
 */
export async function seedDemoActivities(db: Db, workspaceId: string, now: Date) {
  const rnd = createRandom(20261205);
  const members = await db
    .select({ id: users.id, timeZone: users.timeZone, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.email)); // a stable order: the same demo on PGlite and PostgreSQL
  const dealRows = await db
    .select({ id: deals.id, ownerId: deals.ownerId, status: deals.status, contactId: deals.contactId, createdAt: deals.createdAt, closedAt: deals.closedAt, first: contacts.firstName, last: contacts.lastName, org: companies.name })
    .from(deals)
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .where(eq(deals.workspaceId, workspaceId))
    .orderBy(asc(deals.createdAt), asc(deals.title));
  const [visit] = await db.insert(activityTypes).values({ workspaceId, label: "Site visit", position: 1, createdAt: now }).returning();

  const rows: (typeof activities.$inferInsert)[] = [];
  const pickKind = (): Kind => rnd.pick(["call", "call", "email", "email", "meeting", "task", "deadline"] as const);
  const at = (tz: string, daysFromToday: number, hour: number, minute: number) => zonedInstant(addDaysToDate(localDate(now, tz), daysFromToday), `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`, tz);

  for (const member of members) {
    const tz = safeTimeZone(member.timeZone);
    const mine = dealRows.filter((d) => d.ownerId === member.id);
    const add = (deal: (typeof dealRows)[number] | null, kind: Kind | "visit", due: { dueAt?: Date; dueDate?: string }, doneAt: Date | null) => {
      const who = deal?.first ? `${deal.first} ${deal.last ?? ""}`.trim() : "the client";
      const org = deal?.org ?? who;
      const subject = kind === "visit" ? `Visit ${org}` : rnd.pick(subjects[kind])(who, org);
      const createdAt = new Date(Math.min(now.getTime(), (due.dueAt?.getTime() ?? now.getTime()) - rnd.int(1, 14) * 86_400_000));
      rows.push({
        workspaceId,
        type: kind === "visit" ? "custom" : kind,
        customTypeId: kind === "visit" ? visit!.id : null,
        subject,
        notes: rnd.chance(0.3) ? rnd.pick(["Bring the updated pricing.", "Ask about the timeline and who signs.", "They asked for two references.", "Check the integration questions from last time."]) : null,
        dueAt: due.dueAt ?? null,
        dueDate: due.dueDate ?? null,
        durationMinutes: due.dueAt && (kind === "meeting" || kind === "visit") ? rnd.pick([30, 45, 60, 90]) : due.dueAt && kind === "call" ? rnd.pick([15, 30]) : null,
        assigneeId: member.id,
        dealId: deal?.id ?? null,
        contactId: deal?.contactId ?? null,
        doneAt,
        origin: "manual",
        createdBy: member.id,
        createdAt,
        updatedAt: doneAt ?? createdAt,
      });
    };

    for (const deal of mine) {
      // History: one to three done activities during the deal's life.
      const end = (deal.closedAt ?? now).getTime();
      for (let i = rnd.int(1, 3); i > 0; i--) {
        const when = new Date(deal.createdAt.getTime() + rnd.next() * Math.max(1, end - deal.createdAt.getTime()));
        const daysAgo = Math.floor((now.getTime() - when.getTime()) / 86_400_000);
        if (daysAgo < 1) continue;
        const due = at(tz, -daysAgo, rnd.int(9, 16), rnd.pick([0, 15, 30, 45]));
        add(deal, pickKind(), { dueAt: due }, new Date(due.getTime() + rnd.int(0, 90) * 60_000));
      }
      if (deal.status !== "open") continue;
      const roll = rnd.next();
      if (roll < 0.16) continue; // nothing scheduled: the board warns
      if (roll < 0.32) {
        // overdue: a timed one a few days ago, or an all-day deadline yesterday
        if (rnd.chance(0.7)) add(deal, pickKind(), { dueAt: at(tz, -rnd.int(1, 6), rnd.int(9, 16), rnd.pick([0, 30])) }, null);
        else add(deal, "deadline", { dueDate: addDaysToDate(localDate(now, tz), -rnd.int(1, 3)) }, null);
        continue;
      }
      const inDays = rnd.int(1, 14);
      if (rnd.chance(0.15)) add(deal, "deadline", { dueDate: addDaysToDate(localDate(now, tz), inDays) }, null);
      else add(deal, rnd.chance(0.08) ? "visit" : pickKind(), { dueAt: at(tz, inDays, rnd.int(9, 17), rnd.pick([0, 15, 30, 45])) }, null);
    }

    // Every member: one done and one missed yesterday, today's (a morning call, two later, an all-day task), one tomorrow.
    const open = mine.filter((d) => d.status === "open");
    const someDeal = () => (open.length ? rnd.pick(open) : null);
    add(someDeal(), "email", { dueAt: at(tz, -1, 10, 0) }, at(tz, -1, 10, 20));
    add(someDeal(), "call", { dueAt: at(tz, -1, 15, 0) }, null);
    add(someDeal(), "meeting", { dueAt: at(tz, 1, 11, 0) }, null);
    add(someDeal(), "call", { dueAt: at(tz, 0, 9, 30) }, null);
    add(someDeal(), rnd.pick(["meeting", "email"] as const), { dueAt: at(tz, 0, 14, 0) }, null);
    add(someDeal(), "call", { dueAt: at(tz, 0, 16, 30) }, null);
    add(null, "task", { dueDate: localDate(now, tz) }, null);
  }

  for (let i = 0; i < rows.length; i += 200) await db.insert(activities).values(rows.slice(i, i + 200));
  const [demo] = members.filter((m) => m.email === DEMO_EMAIL);
  if (demo) await db.insert(notificationPreferences).values({ userId: demo.id, digestEnabled: true, updatedAt: now }).onConflictDoNothing();
}
