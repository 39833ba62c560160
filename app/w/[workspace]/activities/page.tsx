import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AlertCircle, CalendarCheck, CalendarClock, CalendarDays, CheckCircle2 } from "lucide-react";
import type { ReactNode } from "react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getActivityFormOptions, listActivityTypes, listMyDay, listWeek } from "@/lib/activities/queries";
import { activityFiltersSchema } from "@/lib/activities/schema";
import { ExportMenu } from "../exports/_components/export-menu";
import { addDaysToDate, localDay, localWeek, safeTimeZone } from "@/lib/activities/time";
import { Card, PageHeader } from "../../../_components/ui";
import { ActivityFilters } from "./_components/filters";
import { ActivityList } from "./_components/activity-list";
import { ActivityTypesAdmin } from "./_components/activity-types-admin";
import { NextActivityHost } from "./_components/next-activity";
import { ScheduleActivityButton } from "./_components/schedule-button";
import type { ActivityFormOptions } from "./_components/types";
import { WeekView } from "./_components/week-view";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("activities"))("title") };
}

/**
 * My day: the signed-in member's activities in their time zone — overdue, today, upcoming and recently done — or
 * a week calendar to drag them between days. Filters (type, assignee for those who may see the team) live in the URL.
 */
export default async function ActivitiesPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "deals.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filters = activityFiltersSchema.parse(raw);
  const tz = safeTimeZone(ctx.user.timeZone);
  const today = localDay(ctx.now, tz).date;
  const formOptions = await getActivityFormOptions(ctx);
  // A rep limited to own deals only ever sees their own list (the assignee filter is not offered).
  const effective = formOptions.canSeeTeam ? filters : { ...filters, assignee: "me" as const };
  const showAssignee = effective.assignee !== undefined && effective.assignee !== "me";
  const options: ActivityFormOptions = { members: formOptions.members, customTypes: formOptions.customTypes, userId: ctx.userId, today };
  const t = await getTranslations("activities");
  const format = await getFormatter();
  const view = filters.view ?? "list";
  const isAdmin = can(ctx.role, "settings.manage");

  let body: ReactNode;
  let weekNav;
  if (view === "week") {
    const weekOf = filters.week ?? today;
    const { days, activities } = await listWeek(ctx, tz, effective, weekOf);
    const label = `${format.dateTime(new Date(`${days[0]}T12:00:00Z`), { month: "short", day: "numeric", timeZone: "UTC" })} – ${format.dateTime(new Date(`${days[6]}T12:00:00Z`), { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" })}`;
    weekNav = { prev: addDaysToDate(days[0]!, -7), next: addDaysToDate(days[0]!, 7), label, isCurrent: localWeek(today, tz).days[0] === days[0] };
    body = <WeekView slug={slug} options={options} days={days} activities={activities} today={today} timeZone={tz} showAssignee={showAssignee} />;
  } else {
    const day = await listMyDay(ctx, tz, effective);
    const sections = [
      { key: "overdue", title: t("overdue"), icon: <AlertCircle className="h-4 w-4 text-red-500" aria-hidden />, items: day.overdue, empty: t("emptyOverdue") },
      { key: "today", title: t("today"), icon: <CalendarCheck className="h-4 w-4 text-brand-600" aria-hidden />, items: day.todayList, empty: t("emptyToday") },
      { key: "upcoming", title: t("upcoming"), icon: <CalendarClock className="h-4 w-4 text-zinc-400" aria-hidden />, items: day.upcoming, empty: t("emptyUpcoming") },
      { key: "done", title: t("doneSection"), icon: <CheckCircle2 className="h-4 w-4 text-emerald-500" aria-hidden />, items: day.done, empty: t("emptyDone") },
    ];
    const section = (s: (typeof sections)[number]) => (
      <Card key={s.key} className="min-w-0 p-4 sm:p-5">
        <h2 id={`section-${s.key}`} className="mb-1 flex items-center gap-2 text-sm font-semibold text-zinc-900">
          {s.icon} {s.title}
          <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-600">{s.items.length}</span>
        </h2>
        <ActivityList slug={slug} options={options} activities={s.items} today={today} showAssignee={showAssignee} emptyText={s.empty} label={s.title} />
      </Card>
    );
    body = (
      <div className="grid items-start gap-4 xl:grid-cols-[minmax(0,1fr)_26rem]">
        <div className="min-w-0 space-y-4">{sections.slice(0, 3).map(section)}</div>
        {section(sections[3]!)}
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader
        title={t("title")}
        description={t("subtitle", { date: format.dateTime(new Date(`${today}T12:00:00Z`), { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" }), timeZone: tz })}
        actions={
          <>
            {can(ctx.role, "data.export") ? <ExportMenu slug={slug} entity="activities" query={{ type: raw.type, assignee: raw.assignee }} /> : null}
            <ScheduleActivityButton slug={slug} options={options} />
          </>
        }
      />
      <ActivityFilters members={formOptions.members} customTypes={formOptions.customTypes} canSeeTeam={formOptions.canSeeTeam} view={view} week={weekNav} />
      {body}
      {isAdmin ? (
        <details className="group mt-8 rounded-lg border border-zinc-200 bg-white">
          <summary className="flex cursor-pointer list-none items-center gap-2 px-5 py-3.5 text-sm font-semibold text-zinc-800">
            <CalendarDays className="h-4 w-4 text-zinc-400" aria-hidden /> {t("typesTitle")}
          </summary>
          <div className="border-t border-zinc-100 px-5 py-4">
            <ActivityTypesAdmin slug={slug} types={(await listActivityTypes(ctx, { includeArchived: true })).map((x) => ({ id: x.id, label: x.label, archived: x.archivedAt !== null }))} />
          </div>
        </details>
      ) : null}
      <NextActivityHost slug={slug} options={options} />
    </div>
  );
}
