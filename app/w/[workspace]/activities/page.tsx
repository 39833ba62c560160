import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { AlertCircle, CalendarCheck, CalendarClock, CalendarDays, CheckCircle2 } from "lucide-react";
import type { ReactNode } from "react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getActivityFormOptions, listActivityTypes, listCompleted, listMyDay, listWeek } from "@/lib/activities/queries";
import { builtInActivityTypes, type ActivityFilters as ActivityFilterValues } from "@/lib/activities/schema";
import { reviewPipelines } from "@/lib/reports/review";
import { DrillChips, hrefWithout, localRange, type DrillChip } from "../reports/_components/drill-chips";
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
  // A report figure's drill-down: the activities completed in a range (with its owner, type and pipeline).
  const completedRange = Boolean(filters.doneFrom || filters.doneTo);
  // A rep limited to own deals only ever sees their own list (the assignee filter is not offered) — except a report's
  // completed list, whose count covered everything they can see (visibleActivities: assigned to them or on their
  // deals, whoever the assignee); visibleActivities still bounds what any assignee filter returns.
  const effective = formOptions.canSeeTeam || completedRange ? filters : { ...filters, assignee: "me" as const };
  const showAssignee = effective.assignee !== undefined && effective.assignee !== "me";
  const options: ActivityFormOptions = { members: formOptions.members, customTypes: formOptions.customTypes, userId: ctx.userId, today };
  const t = await getTranslations("activities");
  const format = await getFormatter();
  const view = filters.view ?? "list";
  const isAdmin = can(ctx.role, "settings.manage");

  let body: ReactNode;
  let weekNav;
  let chips: DrillChip[] = [];
  if (completedRange) {
    const completed = await listCompleted(ctx, tz, effective);
    chips = await completedChips(effective, raw, `/w/${slug}/activities`, { members: formOptions.members, customTypes: await listActivityTypes(ctx, { includeArchived: true }), pipelines: await reviewPipelines(ctx), timeZone: ctx.workspace.timeZone });
    body = (
      <Card className="min-w-0 p-4 sm:p-5">
        <h2 id="section-completed" className="mb-1 flex items-center gap-2 text-sm font-semibold text-zinc-900">
          <CheckCircle2 className="h-4 w-4 text-emerald-500" aria-hidden /> {t("completedTitle")}
          <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-600" data-testid="completed-total">{completed.total}</span>
        </h2>
        {completed.total > completed.activities.length ? <p className="mb-2 text-xs text-zinc-500">{t("completedShown", { shown: completed.activities.length, total: completed.total })}</p> : null}
        <ActivityList slug={slug} options={options} activities={completed.activities} today={today} showAssignee emptyText={t("completedEmpty")} label={t("completedTitle")} />
      </Card>
    );
  } else if (view === "week") {
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
        title={view === "list" ? t("title") : t("titleOtherViews")}
        description={t("subtitle", { date: format.dateTime(new Date(`${today}T12:00:00Z`), { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" }), timeZone: tz })}
        actions={
          <>
            {can(ctx.role, "data.export") ? <ExportMenu slug={slug} entity="activities" query={{ type: raw.type, assignee: raw.assignee }} /> : null}
            <ScheduleActivityButton slug={slug} options={options} />
          </>
        }
      />
      <ActivityFilters members={formOptions.members} customTypes={formOptions.customTypes} canSeeTeam={formOptions.canSeeTeam} view={view} week={weekNav} />
      <DrillChips note={t("drill.note")} chips={chips} clearHref={`/w/${slug}/activities`} clearLabel={t("drill.clear")} removeLabel={(label) => t("drill.remove", { label })} />
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

/** Why the completed list is filtered, one chip per filter; the range is shown in the workspace's zone (the reports'). */
async function completedChips(
  f: ActivityFilterValues,
  raw: Record<string, string | undefined>,
  pathname: string,
  names: { members: { id: string; name: string }[]; customTypes: { id: string; label: string }[]; pipelines: { id: string; name: string }[]; timeZone: string },
): Promise<DrillChip[]> {
  const t = await getTranslations("activities.drill");
  const tTypes = await getTranslations("activities.types");
  const locale = await getLocale();
  const chips: DrillChip[] = [];
  const add = (key: string, label: string, params: string[]) => chips.push({ key, label, removeHref: hrefWithout(pathname, raw, params) });
  const r = localRange(f.doneFrom, f.doneTo, names.timeZone, locale);
  // removing the range leaves the drill-down: the whole chip set goes with it
  add("completed", t("completed", { range: r.from && r.to ? `${r.from} – ${r.to}` : (r.from ?? r.to ?? "") }), ["doneFrom", "doneTo", "pipeline", "assignee", "type"]);
  const assignee = f.assignee ?? "me";
  add(
    "assignee",
    assignee === "all" ? t("assigneeAll") : assignee === "none" ? t("unassigned") : assignee === "me" ? t("assigneeMe") : t("assignee", { name: names.members.find((m) => m.id === assignee)?.name ?? "—" }),
    ["assignee"],
  );
  if (f.type) {
    const label = (builtInActivityTypes as readonly string[]).includes(f.type) ? tTypes(f.type) : (names.customTypes.find((c) => c.id === f.type)?.label ?? "—");
    add("type", t("type", { type: label }), ["type"]);
  }
  if (f.pipeline) add("pipeline", t("pipeline", { pipeline: names.pipelines.find((p) => p.id === f.pipeline)?.name ?? "—" }), ["pipeline"]);
  return chips;
}
