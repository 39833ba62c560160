import "server-only";
import { and, asc, desc, eq, gte, isNotNull, isNull, lt, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { activities, activityTypes, contacts, deals, memberships, users } from "@/db/schema";
import type { Ctx } from "../context";
import { visibleDeals } from "../deals/scope";
import type { ActivityFilters, ActivityOrigin } from "./schema";
import { builtInActivityTypes } from "./schema";
import { canSeeTeamActivities, visibleActivities } from "./scope";
import { isOverdue, localDate, localDay, localWeek, safeTimeZone } from "./time";

export type ActivityDTO = {
  id: string;
  /** A built-in key, or "custom" with `customTypeId` / `customLabel`. */
  type: (typeof activities.$inferSelect)["type"];
  customTypeId: string | null;
  customLabel: string | null;
  subject: string;
  notes: string | null;
  /** ISO instant of a timed activity. */
  dueAt: string | null;
  /** Calendar date of an all-day activity. */
  dueDate: string | null;
  durationMinutes: number | null;
  assigneeId: string | null;
  assigneeName: string | null;
  /** Null when there is no deal, or the caller may not see it. */
  deal: { id: string; title: string } | null;
  contact: { id: string; name: string } | null;
  doneAt: string | null;
  origin: ActivityOrigin;
  overdue: boolean;
};

/** When an activity happens, for ordering: the due instant, or local midnight of an all-day date (in `tz`). */
export function effectiveDue(tz: string): SQL<Date> {
  return sql<Date>`coalesce(${activities.dueAt}, (${activities.dueDate}::timestamp at time zone ${safeTimeZone(tz)}))`;
}

const dealTitle = sql<string | null>`${deals.title}`.as("deal_title");
const assigneeName = sql<string | null>`${users.name}`.as("assignee_name");

function baseQuery(ctx: Ctx) {
  return ctx.db
    .select({
      id: activities.id,
      type: activities.type,
      customTypeId: activities.customTypeId,
      customLabel: activityTypes.label,
      subject: activities.subject,
      notes: activities.notes,
      dueAt: activities.dueAt,
      dueDate: activities.dueDate,
      durationMinutes: activities.durationMinutes,
      assigneeId: activities.assigneeId,
      assigneeName,
      dealId: deals.id,
      dealTitle,
      contactId: contacts.id,
      contactFirst: contacts.firstName,
      contactLast: contacts.lastName,
      doneAt: activities.doneAt,
      origin: activities.origin,
    })
    .from(activities)
    .leftJoin(activityTypes, eq(activityTypes.id, activities.customTypeId))
    .leftJoin(users, eq(users.id, activities.assigneeId))
    // Only a deal the caller may see is named (a rep assigned to a task on someone else's deal sees the task).
    .leftJoin(deals, and(eq(deals.id, activities.dealId), visibleDeals(ctx)))
    .leftJoin(contacts, and(eq(contacts.id, activities.contactId), eq(contacts.workspaceId, ctx.workspaceId)));
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

function toDTO(row: Row, now: Date, tz: string): ActivityDTO {
  return {
    id: row.id,
    type: row.type,
    customTypeId: row.customTypeId,
    customLabel: row.customLabel,
    subject: row.subject,
    notes: row.notes,
    dueAt: row.dueAt ? row.dueAt.toISOString() : null,
    dueDate: row.dueDate,
    durationMinutes: row.durationMinutes,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    deal: row.dealId && row.dealTitle !== null ? { id: row.dealId, title: row.dealTitle } : null,
    contact: row.contactId ? { id: row.contactId, name: `${row.contactFirst ?? ""} ${row.contactLast ?? ""}`.trim() } : null,
    doneAt: row.doneAt ? row.doneAt.toISOString() : null,
    origin: row.origin,
    overdue: isOverdue({ dueAt: row.dueAt, dueDate: row.dueDate, doneAt: row.doneAt }, now, tz),
  };
}

/** Filter conditions from the URL: type and assignee ("me" by default; others only when the caller may see them). */
function filterConditions(ctx: Ctx, f: ActivityFilters): SQL[] {
  const out: SQL[] = [visibleActivities(ctx)];
  if (f.type) {
    out.push((builtInActivityTypes as readonly string[]).includes(f.type) ? eq(activities.type, f.type as "call") : eq(activities.customTypeId, f.type));
  }
  const assignee = f.assignee ?? "me";
  if (assignee === "me") out.push(eq(activities.assigneeId, ctx.userId));
  else if (assignee === "none") out.push(isNull(activities.assigneeId));
  else if (assignee !== "all") out.push(eq(activities.assigneeId, assignee));
  if (f.doneFrom) out.push(gte(activities.doneAt, new Date(f.doneFrom)));
  if (f.doneTo) out.push(lt(activities.doneAt, new Date(f.doneTo)));
  // the report's pipeline filter: the activity's deal is in it (same as countActivitiesDone in lib/reports/review.ts)
  if (f.pipeline) out.push(sql`exists (select 1 from ${deals} pd where pd.id = ${activities.dealId} and pd.pipeline_id = ${f.pipeline})`);
  return out;
}

/** How many completed activities a "completed" list shows at most (the total is always counted). */
export const COMPLETED_LIMIT = 200;

/**
 * Completed activities matching the filters (a report figure's drill-down, `doneFrom`/`doneTo`), latest first: the
 * total and the first COMPLETED_LIMIT. Same scope as the report's count: visibleActivities plus the URL filters.
 */
export async function listCompleted(ctx: Ctx, timeZone: string, filters: ActivityFilters, limit = COMPLETED_LIMIT) {
  const tz = safeTimeZone(timeZone);
  const where = and(...filterConditions(ctx, filters), isNotNull(activities.doneAt));
  const [rows, [total]] = await Promise.all([
    baseQuery(ctx)
      .where(where)
      .orderBy(desc(activities.doneAt), asc(activities.id))
      .limit(limit)
      .then((list) => list.map((r) => toDTO(r, ctx.now, tz))),
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(activities).where(where),
  ]);
  return { total: Number(total?.n ?? 0), activities: rows };
}

export const SECTION_LIMIT = 100;
/** "Done" on My day: the most recently completed ones. */
export const DONE_LIMIT = 20;

/**
 * "My day" in the user's time zone: overdue (due time passed, or an all-day date before today), today (the rest of
 * today), upcoming (after today), each capped at SECTION_LIMIT, and done (the DONE_LIMIT most recently completed).
 */
export async function listMyDay(ctx: Ctx, timeZone: string, filters: ActivityFilters, limit = SECTION_LIMIT) {
  const tz = safeTimeZone(timeZone);
  const day = localDay(ctx.now, tz);
  const now = ctx.now.toISOString();
  const base = and(...filterConditions(ctx, filters));
  const open = and(base, isNull(activities.doneAt));
  const due = effectiveDue(tz);
  const run = (where: SQL | undefined, order: SQL[]) =>
    baseQuery(ctx)
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .then((rows) => rows.map((r) => toDTO(r, ctx.now, tz)));
  const [overdue, today, upcoming, done] = await Promise.all([
    run(and(open, or(lt(activities.dueAt, sql`${now}::timestamptz`), lt(activities.dueDate, day.date))), [asc(due), asc(activities.createdAt)]),
    run(
      and(open, or(and(gte(activities.dueAt, sql`${now}::timestamptz`), lt(activities.dueAt, sql`${day.end.toISOString()}::timestamptz`)), eq(activities.dueDate, day.date))),
      [asc(due), asc(activities.createdAt)],
    ),
    run(and(open, or(gte(activities.dueAt, sql`${day.end.toISOString()}::timestamptz`), sql`${activities.dueDate} > ${day.date}`)), [asc(due), asc(activities.createdAt)]),
    baseQuery(ctx)
      .where(and(base, isNotNull(activities.doneAt)))
      .orderBy(desc(activities.doneAt))
      .limit(DONE_LIMIT)
      .then((rows) => rows.map((r) => toDTO(r, ctx.now, tz))),
  ]);
  return { today: day.date, overdue, todayList: today, upcoming, done };
}

/** The week (Monday first, in the user's zone) containing `date`: its days and every activity due in it, done or not. */
export async function listWeek(ctx: Ctx, timeZone: string, filters: ActivityFilters, date: string) {
  const tz = safeTimeZone(timeZone);
  const week = localWeek(date, tz);
  const rows = await baseQuery(ctx)
    .where(
      and(
        ...filterConditions(ctx, filters),
        or(
          and(gte(activities.dueAt, sql`${week.start.toISOString()}::timestamptz`), lt(activities.dueAt, sql`${week.end.toISOString()}::timestamptz`)),
          and(gte(activities.dueDate, week.days[0]!), sql`${activities.dueDate} <= ${week.days[6]!}`),
        ),
      ),
    )
    .orderBy(asc(effectiveDue(tz)), asc(activities.createdAt))
    .limit(1000);
  return { days: week.days, activities: rows.map((r) => toDTO(r, ctx.now, tz)) };
}

/** A deal's activities (the deal page): open ones soonest first, then done ones latest first. */
export async function listDealActivities(ctx: Ctx, dealId: string, timeZone: string) {
  return listLinked(ctx, eq(activities.dealId, dealId), timeZone);
}

/** A contact's activities (the contact page), including those on the contact's deals the caller may see. */
export async function listContactActivities(ctx: Ctx, contactId: string, timeZone: string) {
  return listLinked(ctx, eq(activities.contactId, contactId), timeZone);
}

async function listLinked(ctx: Ctx, link: SQL, timeZone: string) {
  const tz = safeTimeZone(timeZone);
  const rows = await baseQuery(ctx)
    .where(and(visibleActivities(ctx), link))
    .orderBy(sql`${activities.doneAt} is not null`, asc(effectiveDue(tz)), desc(activities.doneAt))
    .limit(500);
  const list = rows.map((r) => toDTO(r, ctx.now, tz));
  return {
    open: list.filter((a) => !a.doneAt),
    done: list.filter((a) => a.doneAt).sort((a, b) => b.doneAt!.localeCompare(a.doneAt!)),
  };
}

/** One activity the caller may see (for the edit form), or null. */
export async function getActivity(ctx: Ctx, activityId: string, timeZone: string): Promise<ActivityDTO | null> {
  const [row] = await baseQuery(ctx).where(and(eq(activities.id, activityId), visibleActivities(ctx)));
  return row ? toDTO(row, ctx.now, safeTimeZone(timeZone)) : null;
}

/** What the activity form and the filters offer: members (assignees) and the workspace's own active types. */
export async function getActivityFormOptions(ctx: Ctx) {
  const [members, types] = await Promise.all([
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, ctx.workspaceId))
      .orderBy(asc(users.name)),
    listActivityTypes(ctx),
  ]);
  return { members, customTypes: types.map((t) => ({ id: t.id, label: t.label })), canSeeTeam: canSeeTeamActivities(ctx) };
}

/** The workspace's own types, in order (archived ones only on request, for the admin list). */
export async function listActivityTypes(ctx: Ctx, opts: { includeArchived?: boolean } = {}) {
  return ctx.db
    .select({ id: activityTypes.id, label: activityTypes.label, archivedAt: activityTypes.archivedAt })
    .from(activityTypes)
    .where(and(eq(activityTypes.workspaceId, ctx.workspaceId), opts.includeArchived ? undefined : isNull(activityTypes.archivedAt)))
    .orderBy(asc(activityTypes.position), asc(activityTypes.label));
}

/**
 * For board cards and deal tables (joined LATERAL, so one query whatever the number of cards, never N+1): a
 * deal's next open activity (soonest due, via the (workspace_id, deal_id) index) and whether any of its open
 * activities is overdue. `today` is the local date of `timeZone` (all-day activities before it are overdue).
 * Join with `.leftJoinLateral(nextActivityOf(ctx, tz, deals.id), sql\`true\`)` and select `nextActivityColumns`.
 */
export function nextActivityOf(ctx: Ctx, timeZone: string, dealId: SQL | AnyColumn) {
  const tz = safeTimeZone(timeZone);
  const today = localDate(ctx.now, tz); // the date alone: localDay also works out the day's start and end
  const now = ctx.now.toISOString();
  return ctx.db
    .select({
      type: sql<string>`${activities.type}::text`.as("na_type"),
      customLabel: sql<string | null>`${activityTypes.label}`.as("na_custom_label"),
      subject: sql<string>`${activities.subject}`.as("na_subject"),
      dueAt: sql<string | null>`${activities.dueAt}`.as("na_due_at"),
      dueDate: sql<string | null>`${activities.dueDate}::text`.as("na_due_date"),
      anyOverdue: sql<boolean>`exists (select 1 from ${activities} o where o.workspace_id = ${ctx.workspaceId} and o.deal_id = ${dealId} and o.done_at is null and (o.due_at < ${now}::timestamptz or o.due_date < ${today}))`.as("na_any_overdue"),
    })
    .from(activities)
    .leftJoin(activityTypes, eq(activityTypes.id, activities.customTypeId))
    .where(and(eq(activities.workspaceId, ctx.workspaceId), sql`${activities.dealId} = ${dealId}`, isNull(activities.doneAt)))
    .orderBy(effectiveDue(tz), activities.createdAt)
    .limit(1)
    .as("next_activity");
}

/** The lateral's columns, for a select list (raw references, so they also work inside a subquery). */
export const nextActivityColumns = {
  nextType: sql<string | null>`"next_activity"."na_type"`.as("next_type"),
  nextLabel: sql<string | null>`"next_activity"."na_custom_label"`.as("next_label"),
  nextSubject: sql<string | null>`"next_activity"."na_subject"`.as("next_subject"),
  nextDueAt: sql<string | Date | null>`"next_activity"."na_due_at"`.as("next_due_at"),
  nextDueDate: sql<string | null>`"next_activity"."na_due_date"`.as("next_due_date"),
  nextOverdue: sql<boolean | null>`"next_activity"."na_any_overdue"`.as("next_overdue"),
};

export type NextActivityDTO = { type: string; label: string | null; subject: string; dueAt: string | null; dueDate: string | null; overdue: boolean };

/** Reads nextActivityColumns into the card's field (null when the deal has no open activity). */
export function toNextActivity(row: { nextType?: string | null; nextLabel?: string | null; nextSubject?: string | null; nextDueAt?: string | Date | null; nextDueDate?: string | null; nextOverdue?: boolean | null }): NextActivityDTO | null {
  if (!row.nextType || !row.nextSubject) return null;
  return {
    type: row.nextType,
    label: row.nextLabel ?? null,
    subject: row.nextSubject,
    dueAt: row.nextDueAt ? new Date(row.nextDueAt).toISOString() : null,
    dueDate: row.nextDueDate ?? null,
    overdue: row.nextOverdue === true,
  };
}

/** Deals the caller may link an activity to, by title (open ones first): the activity form's deal picker. */
export async function searchLinkableDeals(ctx: Ctx, q: string, limit = 8) {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return ctx.db
    .select({ id: deals.id, name: deals.title, status: deals.status })
    .from(deals)
    .where(and(visibleDeals(ctx), q ? sql`${deals.title} ilike ${like}` : undefined))
    .orderBy(sql`${deals.status} <> 'open'`, desc(deals.updatedAt))
    .limit(limit);
}
