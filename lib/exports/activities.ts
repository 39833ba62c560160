import "server-only";
import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { activities, activityTypes, contacts, deals, users } from "@/db/schema";
import type { Ctx } from "../context";
import { visibleDeals } from "../deals/scope";
import { builtInActivityTypes, type ActivityFilters } from "../activities/schema";
import { visibleActivities } from "../activities/scope";
import { wallDate } from "../spreadsheets/dates";
import type { CellValue, Column } from "../spreadsheets/write";
import type { Translate } from "./types";

const PAGE = 1000;

/**
 * The activities export: every activity the member may see (visibleActivities: a rep limited to own deals sees
 * what is assigned to them or on their deals), with the My day filters (type, assignee — "all" when not given,
 * since an export is about the team's work, unlike My day's default "me"). Due dates are shown in the
 * workspace's time zone; all-day activities show their date only.
 */
export function activityColumns(t: Translate): Column[] {
  const h = (k: string) => t(`exports.activityColumns.${k}`);
  return [
    { header: h("type"), type: "text" },
    { header: h("subject"), type: "text", width: 36 },
    { header: h("dueDate"), type: "date" },
    { header: h("dueTime"), type: "datetime" },
    { header: h("duration"), type: "integer" },
    { header: h("assigneeEmail"), type: "text" },
    { header: h("deal"), type: "text" },
    { header: h("contact"), type: "text" },
    { header: h("contactEmail"), type: "text" },
    { header: h("doneAt"), type: "datetime" },
    { header: h("origin"), type: "text" },
    { header: h("notes"), type: "text", width: 40 },
    { header: h("createdAt"), type: "datetime" },
    { header: t("exports.columns.id"), type: "text", width: 38 },
  ];
}

function filterConditions(ctx: Ctx, f: Pick<ActivityFilters, "type" | "assignee">): SQL[] {
  const out: SQL[] = [visibleActivities(ctx)];
  if (f.type) out.push((builtInActivityTypes as readonly string[]).includes(f.type) ? eq(activities.type, f.type as "call") : eq(activities.customTypeId, f.type));
  const assignee = f.assignee ?? "all";
  if (assignee === "me") out.push(eq(activities.assigneeId, ctx.userId));
  else if (assignee !== "all") out.push(eq(activities.assigneeId, assignee));
  return out;
}

export async function* activityRows(ctx: Ctx, filters: Pick<ActivityFilters, "type" | "assignee">, t: Translate): AsyncGenerator<CellValue[]> {
  const tz = ctx.workspace.timeZone;
  const where = and(...filterConditions(ctx, filters));
  type Cursor = { createdAt: Date; id: string };
  const readPage = (cursor: Cursor | null) => {
    const after: SQL | undefined = cursor
      ? or(gt(activities.createdAt, cursor.createdAt), and(eq(activities.createdAt, cursor.createdAt), sql`${activities.id} > ${cursor.id}`))
      : undefined;
    return ctx.db
      .select({
        id: activities.id,
        type: activities.type,
        customLabel: activityTypes.label,
        subject: activities.subject,
        notes: activities.notes,
        dueAt: activities.dueAt,
        dueDate: activities.dueDate,
        durationMinutes: activities.durationMinutes,
        assigneeEmail: users.email,
        // Only a deal the member may see is named.
        dealTitle: sql<string | null>`${deals.title}`,
        contactFirst: contacts.firstName,
        contactLast: contacts.lastName,
        contactEmail: contacts.email,
        doneAt: activities.doneAt,
        origin: activities.origin,
        createdAt: activities.createdAt,
      })
      .from(activities)
      .leftJoin(activityTypes, eq(activityTypes.id, activities.customTypeId))
      .leftJoin(users, eq(users.id, activities.assigneeId))
      .leftJoin(deals, and(eq(deals.id, activities.dealId), visibleDeals(ctx)))
      .leftJoin(contacts, and(eq(contacts.id, activities.contactId), eq(contacts.workspaceId, ctx.workspaceId)))
      .where(
        and(
          where,
          after,
        ),
      )
      .orderBy(asc(activities.createdAt), asc(activities.id))
      .limit(PAGE);
  };
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await readPage(cursor);
    if (page.length === 0) return;
    const last = page.at(-1)!;
    cursor = { createdAt: last.createdAt, id: last.id };
    for (const a of page) {
      yield [
        a.type === "custom" ? (a.customLabel ?? "") : t(`activities.types.${a.type}`),
        a.subject,
        a.dueDate ? new Date(`${a.dueDate}T00:00:00Z`) : a.dueAt ? new Date(wallDate(a.dueAt, tz).setUTCHours(0, 0, 0, 0)) : null,
        a.dueAt ? wallDate(a.dueAt, tz) : null,
        a.durationMinutes,
        a.assigneeEmail,
        a.dealTitle,
        a.contactFirst ? [a.contactFirst, a.contactLast].filter(Boolean).join(" ") : null,
        a.contactEmail,
        a.doneAt ? wallDate(a.doneAt, tz) : null,
        t(`activities.origin.${a.origin}`),
        a.notes,
        wallDate(a.createdAt, tz),
        a.id,
      ];
    }
    if (page.length < PAGE) return;
  }
}
