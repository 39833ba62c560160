"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { CalendarDays, ChevronLeft, ChevronRight, List } from "lucide-react";
import { builtInActivityTypes } from "@/lib/activities/schema";
import { cn } from "../../../../_components/cn";
import { Select, buttonClass } from "../../../../_components/ui";
import { useTypeLabel } from "./activity-form";

type Props = {
  members: { id: string; name: string }[];
  customTypes: { id: string; label: string }[];
  canSeeTeam: boolean;
  view: "list" | "week";
  /** Week view: the Monday shown and its neighbours. */
  week?: { prev: string; next: string; label: string; isCurrent: boolean };
};

/** My day's filters, kept in the URL: type, assignee (when the caller may see the team), list or week, which week. */
export function ActivityFilters({ members, customTypes, canSeeTeam, view, week }: Props) {
  const t = useTranslations("activities");
  const typeLabel = useTypeLabel();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    const q = next.toString();
    return q ? `${pathname}?${q}` : pathname;
  };
  return (
    <div className="mb-4 flex flex-wrap items-end gap-2">
      <div className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5" role="group" aria-label={t("viewLabel")}>
        <Link href={href({ view: null })} aria-current={view === "list" ? "page" : undefined} className={cn("inline-flex h-8 items-center gap-1.5 rounded px-2.5 text-sm", view === "list" ? "bg-zinc-100 font-medium text-zinc-900" : "text-zinc-600 hover:bg-zinc-50")}>
          <List className="h-4 w-4" aria-hidden /> {t("viewList")}
        </Link>
        <Link href={href({ view: "week" })} aria-current={view === "week" ? "page" : undefined} className={cn("inline-flex h-8 items-center gap-1.5 rounded px-2.5 text-sm", view === "week" ? "bg-zinc-100 font-medium text-zinc-900" : "text-zinc-600 hover:bg-zinc-50")}>
          <CalendarDays className="h-4 w-4" aria-hidden /> {t("viewWeek")}
        </Link>
      </div>
      <label className="flex items-center gap-1.5 text-sm text-zinc-600">
        <span className="sr-only sm:not-sr-only">{t("filterType")}</span>
        <Select className="w-auto" value={params.get("type") ?? ""} onChange={(e) => router.push(href({ type: e.target.value }))} aria-label={t("filterType")}>
          <option value="">{t("allTypes")}</option>
          {builtInActivityTypes.map((k) => (
            <option key={k} value={k}>{typeLabel({ type: k })}</option>
          ))}
          {customTypes.map((c) => (
            <option key={c.id} value={c.id}>{c.label}</option>
          ))}
        </Select>
      </label>
      {canSeeTeam ? (
        <label className="flex items-center gap-1.5 text-sm text-zinc-600">
          <span className="sr-only sm:not-sr-only">{t("filterAssignee")}</span>
          <Select className="w-auto" value={params.get("assignee") ?? "me"} onChange={(e) => router.push(href({ assignee: e.target.value === "me" ? null : e.target.value }))} aria-label={t("filterAssignee")}>
            <option value="me">{t("assigneeFilterMe")}</option>
            <option value="all">{t("assigneeFilterAll")}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>{m.name}</option>
            ))}
          </Select>
        </label>
      ) : null}
      {week ? (
        <div className="flex items-center gap-1 sm:ml-auto">
          <Link href={href({ week: week.prev })} className={buttonClass("secondary", "sm")} aria-label={t("prevWeek")}>
            <ChevronLeft className="h-4 w-4" aria-hidden />
          </Link>
          <span className="min-w-40 px-1 text-center text-sm font-medium text-zinc-800" aria-live="polite">{week.label}</span>
          <Link href={href({ week: week.next })} className={buttonClass("secondary", "sm")} aria-label={t("nextWeek")}>
            <ChevronRight className="h-4 w-4" aria-hidden />
          </Link>
          {!week.isCurrent ? (
            <Link href={href({ week: null })} className={buttonClass("ghost", "sm")}>{t("thisWeek")}</Link>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
