import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { activities, activityDigests, activityTypes, contacts, deals, memberships, notificationPreferences, notifications, users, workspaces } from "@/db/schema";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";
import { appUrl } from "../app-url";
import type { Locale } from "../i18n/locale";
import enMessages from "../i18n/messages/en/notifications.json";
import zhMessages from "../i18n/messages/zh-CN/notifications.json";
import type { OutgoingMail, SendResult } from "../mail/send";
import { defaultNotificationPreferences } from "../notifications/queries";
import { digestWindow, isOverdue, isReminderDue, localDay, reminderKey, REMINDER_GRACE_MS, safeTimeZone } from "./time";

/*
 * Reminders and the morning digest, in the three layers of scheduled work (see STYLE.md):
 *   dueReminders / dueDigests   what is due at `now` (reads only)
 *   runReminders / runDigests   do it, idempotently (a unique key per effect), in batches
 *   the engine's cron tick      calls both runners every tick (lib/jobs, app/api/cron/tick) — nothing else here.
 * Every function takes `now` and the database; runDigests takes the mail sender too, so tests use a real SMTP
 * server on loopback and nothing reads a clock.
 */

export type DueReminder = { key: string; workspaceId: string; userId: string; activityId: string; remindAt: Date };

/**
 * In-app reminders due at `now`: open activities whose assignee is still a member, reminders on, and
 * (due time − the assignee's lead time) ≤ now, or 08:00 local on an all-day activity's date; not yet sent (no
 * notification with the reminder's key). A reminder missed by more than a day is dropped (My day shows it overdue).
 */
export async function dueReminders(db: Db, now: Date, limit = 500): Promise<DueReminder[]> {
  const lead = sql<number>`coalesce(${notificationPreferences.reminderLeadMinutes}, ${defaultNotificationPreferences.reminderLeadMinutes})`;
  const nowIso = now.toISOString();
  const key = sql`'reminder:' || ${activities.id} || ':' || coalesce(to_char(${activities.dueAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ${activities.dueDate}::text)`;
  const candidates = await db
    .select({
      activityId: activities.id,
      workspaceId: activities.workspaceId,
      userId: users.id,
      timeZone: users.timeZone,
      dueAt: activities.dueAt,
      dueDate: activities.dueDate,
      lead,
    })
    .from(activities)
    .innerJoin(users, eq(users.id, activities.assigneeId))
    .innerJoin(memberships, and(eq(memberships.workspaceId, activities.workspaceId), eq(memberships.userId, activities.assigneeId)))
    .leftJoin(notificationPreferences, eq(notificationPreferences.userId, activities.assigneeId))
    .where(
      and(
        isNull(activities.doneAt),
        sql`coalesce(${notificationPreferences.remindersEnabled}, true)`,
        sql`(${activities.dealId} is null or exists (select 1 from ${deals} where ${deals.id} = ${activities.dealId} and ${deals.deletedAt} is null))`,
        // A coarse window in SQL (timed: exact; all-day: the dates around now in any zone), refined below per zone.
        sql`((${activities.dueAt} - make_interval(mins => ${lead}) <= ${nowIso}::timestamptz and ${activities.dueAt} > ${nowIso}::timestamptz - make_interval(secs => ${REMINDER_GRACE_MS / 1000}))
          or ${activities.dueDate} between (${nowIso}::timestamptz at time zone 'UTC')::date - 1 and (${nowIso}::timestamptz at time zone 'UTC')::date + 1)`,
        sql`not exists (select 1 from ${notifications} where ${notifications.dedupeKey} = ${key})`,
      ),
    )
    .orderBy(asc(activities.dueAt), asc(activities.dueDate))
    .limit(limit);
  return candidates
    .filter((c) => isReminderDue({ dueAt: c.dueAt, dueDate: c.dueDate }, Number(c.lead), safeTimeZone(c.timeZone), now))
    .map((c) => ({
      key: reminderKey(c.activityId, { dueAt: c.dueAt, dueDate: c.dueDate }),
      workspaceId: c.workspaceId,
      userId: c.userId,
      activityId: c.activityId,
      remindAt: now,
    }));
}

/**
 * Creates the due reminders as notifications. Idempotent: each insert carries the reminder's unique key
 * (`on conflict do nothing`), so two ticks at once, or one tick run twice, create each reminder once.
 * Returns how many were created.
 */
export async function runReminders(db: Db, now: Date): Promise<{ created: number }> {
  let created = 0;
  for (;;) {
    const due = await dueReminders(db, now);
    if (due.length === 0) break;
    const inserted = await db
      .insert(notifications)
      .values(due.map((r) => ({ workspaceId: r.workspaceId, userId: r.userId, kind: "activity_reminder" as const, activityId: r.activityId, dedupeKey: r.key, createdAt: now })))
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ id: notifications.id });
    created += inserted.length;
    if (due.length < 500 || inserted.length === 0) break;
  }
  return { created };
}

// ── The morning digest ──────────────────────────────────────────────────────────────────────────────────────

/** Attempts per user and day before a failing digest is given up. */
export const DIGEST_MAX_ATTEMPTS = 3;
/** How long a runner holds a digest it claimed before another may take it over (it died mid-send). */
export const DIGEST_LEASE_MS = 5 * 60_000;

export type DueDigest = { userId: string; email: string; name: string; locale: Locale; timeZone: string; localDate: string };

/**
 * Users whose morning digest is due at `now`: digest on, member of a workspace, their local time between 08:00
 * and noon, and no digest yet for that local date (or only a failed one with attempts left, or a claim whose
 * runner died). Once per user per local day, each at their own 08:00.
 */
export async function dueDigests(db: Db, now: Date): Promise<DueDigest[]> {
  const candidates = await db
    .select({ userId: users.id, email: users.email, name: users.name, locale: users.locale, timeZone: users.timeZone })
    .from(users)
    .innerJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
    .where(and(eq(notificationPreferences.digestEnabled, true), sql`exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id})`));
  const open = candidates
    .map((c) => ({ ...c, timeZone: safeTimeZone(c.timeZone), locale: (c.locale ?? "en") as Locale, window: digestWindow(now, safeTimeZone(c.timeZone)) }))
    .filter((c) => c.window.open);
  if (open.length === 0) return [];
  const existing = await db
    .select()
    .from(activityDigests)
    .where(inArray(activityDigests.userId, open.map((c) => c.userId)));
  return open
    .filter((c) => {
      const row = existing.find((d) => d.userId === c.userId && d.localDate === c.window.localDate);
      return !row || retryable(row, now);
    })
    .map((c) => ({ userId: c.userId, email: c.email, name: c.name, locale: c.locale, timeZone: c.timeZone, localDate: c.window.localDate }));
}

function retryable(row: typeof activityDigests.$inferSelect, now: Date): boolean {
  if (row.status === "failed") return row.attempts < DIGEST_MAX_ATTEMPTS;
  if (row.status === "sending") return !row.claimedUntil || row.claimedUntil.getTime() < now.getTime();
  return false;
}

/** Claims the (user, local date) digest for this runner, or returns false when another has it or it is done. */
async function claimDigest(db: Db, d: DueDigest, now: Date): Promise<boolean> {
  const lease = new Date(now.getTime() + DIGEST_LEASE_MS);
  const [fresh] = await db
    .insert(activityDigests)
    .values({ userId: d.userId, localDate: d.localDate, status: "sending", attempts: 1, claimedUntil: lease, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: activityDigests.id });
  if (fresh) return true;
  const [retaken] = await db
    .update(activityDigests)
    .set({ status: "sending", attempts: sql`${activityDigests.attempts} + 1`, claimedUntil: lease })
    .where(
      and(
        eq(activityDigests.userId, d.userId),
        eq(activityDigests.localDate, d.localDate),
        sql`((${activityDigests.status} = 'failed' and ${activityDigests.attempts} < ${DIGEST_MAX_ATTEMPTS}) or (${activityDigests.status} = 'sending' and ${activityDigests.claimedUntil} < ${now.toISOString()}::timestamptz))`,
      ),
    )
    .returning({ id: activityDigests.id });
  return !!retaken;
}

export type DigestItem = {
  workspace: { slug: string; name: string };
  subject: string;
  type: string;
  customLabel: string | null;
  dueAt: Date | null;
  dueDate: string | null;
  dealTitle: string | null;
  contactName: string | null;
  overdue: boolean;
};

/**
 * What a user's digest lists: their open activities, in every workspace they belong to, that are overdue or due
 * on their local today (activities on deleted deals left out), soonest first.
 */
export async function digestItems(db: Db, userId: string, timeZone: string, now: Date): Promise<DigestItem[]> {
  const tz = safeTimeZone(timeZone);
  const day = localDay(now, tz);
  const result = await db.execute(sql`
    select w.slug, w.name as workspace_name, a.subject, a.type::text as type, t.label as custom_label, a.due_at, a.due_date::text as due_date,
           -- a rep limited to own deals reads only the titles of deals they own (as the app shows them)
           case when d.id is null then null
                when w.deal_visibility = 'own' and m.role = 'rep' and d.owner_id is distinct from a.assignee_id then null
                else d.title end as deal_title, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as contact_name
    from ${activities} a
    join ${memberships} m on m.workspace_id = a.workspace_id and m.user_id = a.assignee_id
    join ${workspaces} w on w.id = a.workspace_id
    left join ${activityTypes} t on t.id = a.custom_type_id
    left join ${deals} d on d.id = a.deal_id
    left join ${contacts} c on c.id = a.contact_id
    where a.assignee_id = ${userId} and a.done_at is null
      and (a.deal_id is null or d.deleted_at is null)
      and (a.due_at < ${day.end.toISOString()}::timestamptz or a.due_date <= ${day.date})
    order by w.name, coalesce(a.due_at, (a.due_date::timestamp at time zone ${tz})), a.created_at
    limit 200`);
  return rows<Record<string, unknown>>(result).map((r) => {
    const dueAt = r.due_at ? new Date(r.due_at as string) : null;
    const dueDate = (r.due_date as string | null) ?? null;
    return {
      workspace: { slug: String(r.slug), name: String(r.workspace_name) },
      subject: String(r.subject),
      type: String(r.type),
      customLabel: (r.custom_label as string | null) ?? null,
      dueAt,
      dueDate,
      dealTitle: (r.deal_title as string | null) ?? null,
      contactName: (r.contact_name as string | null) ?? null,
      overdue: isOverdue({ dueAt, dueDate, doneAt: null }, now, tz),
    };
  });
}

const catalogs = { en: enMessages, "zh-CN": zhMessages } as const;

/** The digest email (plain text: every user-typed field is shown as text, nothing to escape), in the user's language. */
export function renderDigest(d: DueDigest, items: DigestItem[]): OutgoingMail {
  const t = createTranslator({ locale: d.locale, messages: { notifications: catalogs[d.locale] ?? catalogs.en }, namespace: "notifications.digest" });
  const types = createTranslator({ locale: d.locale, messages: { notifications: catalogs[d.locale] ?? catalogs.en }, namespace: "notifications.types" });
  const time = new Intl.DateTimeFormat(d.locale, { timeZone: d.timeZone, hour: "numeric", minute: "2-digit" });
  const dateTime = new Intl.DateTimeFormat(d.locale, { timeZone: d.timeZone, month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
  const dateOnly = new Intl.DateTimeFormat(d.locale, { timeZone: "UTC", month: "short", day: "numeric" });
  const longDate = new Intl.DateTimeFormat(d.locale, { timeZone: "UTC", weekday: "long", month: "long", day: "numeric" });
  const overdue = items.filter((i) => i.overdue);
  const today = items.filter((i) => !i.overdue);
  const when = (i: DigestItem) =>
    i.dueAt ? (i.overdue ? dateTime.format(i.dueAt) : time.format(i.dueAt)) : i.overdue ? dateOnly.format(new Date(`${i.dueDate}T00:00:00Z`)) : t("allDay");
  const line = (i: DigestItem) => {
    const type = i.type === "custom" ? (i.customLabel ?? "") : types(i.type as "call");
    const about = [i.dealTitle, i.contactName].filter(Boolean).join(" · ");
    return `  - ${when(i)}  ${type}: ${i.subject}${about ? ` (${about})` : ""}`;
  };
  const workspacesSeen = [...new Map(items.map((i) => [i.workspace.slug, i.workspace])).values()];
  const blocks: string[] = [t("greeting", { name: d.name }), "", t("intro", { date: longDate.format(new Date(`${d.localDate}T00:00:00Z`)) })];
  for (const ws of workspacesSeen) {
    const mineOverdue = overdue.filter((i) => i.workspace.slug === ws.slug);
    const mineToday = today.filter((i) => i.workspace.slug === ws.slug);
    blocks.push("", `${ws.name}`);
    if (mineOverdue.length) blocks.push(t("overdueHeading", { count: mineOverdue.length }), ...mineOverdue.map(line));
    if (mineToday.length) blocks.push(t("todayHeading", { count: mineToday.length }), ...mineToday.map(line));
    blocks.push(`  ${appUrl(`/w/${ws.slug}/activities`)}`);
  }
  blocks.push("", t("footer"));
  return {
    to: d.email,
    subject: t("subject", { today: today.length, overdue: overdue.length }),
    text: blocks.join("\n"),
    messageId: `<digest-${d.userId}-${d.localDate}@pipewise>`,
    headers: { "Auto-Submitted": "auto-generated", "X-Pipewise-Digest": d.localDate },
  };
}

export type SendMail = (mail: OutgoingMail) => Promise<SendResult>;

/**
 * Sends each due digest once: claim (unique row per user and local date) → gather → send → record. Nothing to
 * list: recorded as skipped, no email. A send error is recorded (failed) and retried by a later tick, at most
 * DIGEST_MAX_ATTEMPTS times; a runner that dies mid-send leaves a claim another takes over after its lease.
 */
export async function runDigests(db: Db, now: Date, sendMail: SendMail): Promise<{ sent: number; skipped: number; failed: number }> {
  const out = { sent: 0, skipped: 0, failed: 0 };
  for (const d of await dueDigests(db, now)) {
    if (!(await claimDigest(db, d, now))) continue;
    const where = and(eq(activityDigests.userId, d.userId), eq(activityDigests.localDate, d.localDate));
    try {
      const items = await digestItems(db, d.userId, d.timeZone, now);
      if (items.length === 0) {
        await db.update(activityDigests).set({ status: "skipped", claimedUntil: null, itemCount: 0 }).where(where);
        out.skipped++;
        continue;
      }
      const mail = renderDigest(d, items);
      const result = await sendMail(mail);
      await db
        .update(activityDigests)
        .set({ status: result.delivered ? "sent" : "captured", claimedUntil: null, itemCount: items.length, messageId: result.delivered ? result.messageId : mail.messageId, sentAt: now, lastError: null })
        .where(where);
      out.sent++;
    } catch (error) {
      await db
        .update(activityDigests)
        .set({ status: "failed", claimedUntil: null, lastError: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) })
        .where(where);
      out.failed++;
    }
  }
  return out;
}
