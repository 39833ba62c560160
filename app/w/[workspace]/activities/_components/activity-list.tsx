"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useOptimistic, useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { AlertDialog, DropdownMenu } from "radix-ui";
import { CalendarClock, CircleDollarSign, Clock, MoreHorizontal, Pencil, Trash2, UserRound } from "lucide-react";
import { toast } from "sonner";
import type { ActivityDTO } from "@/lib/activities/queries";
import { quickRescheduleChoices, quickRescheduleDate, type QuickReschedule } from "@/lib/activities/time";
import { cn } from "../../../../_components/cn";
import { useErrorText } from "../../../../_components/form";
import { Button } from "../../../../_components/ui";
import { deleteActivityAction, quickRescheduleActivityAction, setActivityDoneAction } from "../actions";
import { ActivityDialog, useTypeLabel } from "./activity-form";
import { offerNextActivity } from "./next-activity";
import { useDayText } from "./day-text";
import { ActivityTypeIcon } from "./type-icon";
import type { ActivityFormOptions } from "./types";

/** "Today 14:30", "Mar 12, 09:00", "Mar 12 (all day)": how a due time reads in a list. */
export function useDueText() {
  const t = useTranslations("activities");
  const format = useFormatter();
  return (a: Pick<ActivityDTO, "dueAt" | "dueDate" | "durationMinutes">, today: string) => {
    if (a.dueAt) {
      const when = new Date(a.dueAt);
      const time = format.dateTime(when, { hour: "numeric", minute: "2-digit" });
      const day = format.dateTime(when, { year: "numeric", month: "2-digit", day: "2-digit" });
      const sameDay = format.dateTime(new Date(`${today}T12:00:00Z`), { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }) === day;
      const text = sameDay ? t("todayAt", { time }) : format.dateTime(when, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
      return a.durationMinutes ? `${text} · ${t("durationChoice", { minutes: a.durationMinutes })}` : text;
    }
    const date = new Date(`${a.dueDate}T00:00:00Z`);
    return a.dueDate === today ? t("todayAllDay") : t("allDayOn", { date: format.dateTime(date, { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" }) });
  };
}

type ListProps = {
  slug: string;
  options: ActivityFormOptions;
  activities: ActivityDTO[];
  today: string;
  /** Show who it is assigned to (team views, deal and contact pages). */
  showAssignee?: boolean;
  /** Hide the deal link (on the deal's own page). */
  hideDeal?: boolean;
  emptyText?: string;
  label: string;
};

/**
 * A list of activities with a done checkbox, edit, quick reschedule (open ones) and delete; marking done offers to
 * schedule the next one.
 */
export function ActivityList({ slug, options, activities, today, showAssignee = false, hideDeal = false, emptyText, label }: ListProps) {
  const [optimistic, setDone] = useOptimistic(activities, (list, { id, done }: { id: string; done: boolean }) =>
    list.map((a) => (a.id === id ? { ...a, doneAt: done ? new Date().toISOString() : null, overdue: done ? false : a.overdue } : a)),
  );
  if (optimistic.length === 0) return emptyText ? <p className="px-1 py-3 text-sm text-zinc-500">{emptyText}</p> : null;
  return (
    <ul className="divide-y divide-zinc-100" aria-label={label}>
      {optimistic.map((a) => (
        <ActivityRow key={a.id} slug={slug} options={options} activity={a} today={today} showAssignee={showAssignee} hideDeal={hideDeal} onToggle={setDone} />
      ))}
    </ul>
  );
}

function ActivityRow({ slug, options, activity: a, today, showAssignee, hideDeal, onToggle }: { slug: string; options: ActivityFormOptions; activity: ActivityDTO; today: string; showAssignee: boolean; hideDeal: boolean; onToggle: (v: { id: string; done: boolean }) => void }) {
  const t = useTranslations("activities");
  const typeLabel = useTypeLabel();
  const dueText = useDueText();
  const errorText = useErrorText();
  const rescheduleLabelId = useId();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const done = a.doneAt !== null;

  const toggle = () =>
    start(async () => {
      onToggle({ id: a.id, done: !done });
      const result = await setActivityDoneAction(slug, undefined, { activityId: a.id, done: !done });
      if (!result.ok) {
        toast.error(errorText(result.message));
      } else if (!done) {
        offerNextActivity(t("markedDone", { subject: a.subject }), t("scheduleNext"), { deal: a.deal, contact: a.contact });
      }
      router.refresh();
    });

  const dayText = useDayText();

  // The server computes the date from its clock in the user's zone; `today` only labels the choices.
  const reschedule = (to: QuickReschedule) =>
    start(async () => {
      const result = await quickRescheduleActivityAction(slug, undefined, { activityId: a.id, to });
      if (!result.ok) return void toast.error(t("moveRefused", { reason: errorText(result.message) }));
      toast.success(t("rescheduled", { subject: a.subject, day: dayText(result.data!.dueDate, "long") }));
      router.refresh();
    });

  const remove = () =>
    start(async () => {
      const result = await deleteActivityAction(slug, undefined, { activityId: a.id });
      if (!result.ok) return void toast.error(errorText(result.message));
      toast.success(t("deleted"));
      router.refresh();
    });

  return (
    <li className={cn("flex items-start gap-3 py-2.5", pending && "opacity-60")} data-activity-id={a.id}>
      <input
        type="checkbox"
        checked={done}
        onChange={toggle}
        disabled={pending}
        aria-label={done ? t("markNotDone", { subject: a.subject }) : t("markDone", { subject: a.subject })}
        className="mt-0.5 h-5 w-5 shrink-0 cursor-pointer rounded-full border-zinc-300 accent-brand-600"
      />
      <div className="min-w-0 flex-1">
        <button type="button" onClick={() => setEditing(true)} className={cn("flex max-w-full items-center gap-1.5 text-left text-sm font-medium hover:text-brand-700", done ? "text-zinc-500 line-through" : "text-zinc-900")}>
          <span className="shrink-0 text-zinc-500" title={typeLabel(a)}>
            <ActivityTypeIcon type={a.type} />
            <span className="sr-only">{typeLabel(a)}: </span>
          </span>
          <span className="truncate">{a.subject}</span>
        </button>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-zinc-500">
          <span className={cn("inline-flex items-center gap-1", a.overdue && "font-medium text-red-600")}>
            <Clock className="h-3 w-3" aria-hidden />
            {dueText(a, today)}
            {a.overdue ? <span className="sr-only">({t("overdue")})</span> : null}
          </span>
          {a.deal && !hideDeal ? (
            <Link href={`/w/${slug}/deals/${a.deal.id}`} className="inline-flex max-w-56 items-center gap-1 truncate hover:text-brand-700 hover:underline">
              <CircleDollarSign className="h-3 w-3 shrink-0" aria-hidden />
              <span className="truncate">{a.deal.title}</span>
            </Link>
          ) : null}
          {a.contact ? (
            <Link href={`/w/${slug}/contacts/${a.contact.id}`} className="inline-flex max-w-48 items-center gap-1 truncate hover:text-brand-700 hover:underline">
              <UserRound className="h-3 w-3 shrink-0" aria-hidden />
              <span className="truncate">{a.contact.name}</span>
            </Link>
          ) : null}
          {showAssignee && a.assigneeName ? <span>{t("assignedTo", { name: a.assigneeName })}</span> : null}
          {a.origin !== "manual" ? <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-700">{t(`origin.${a.origin}`)}</span> : null}
        </p>
        {a.notes ? <p className="mt-1 line-clamp-2 text-xs whitespace-pre-wrap text-zinc-600">{a.notes}</p> : null}
      </div>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700" aria-label={t("actionsFor", { subject: a.subject })}>
          <MoreHorizontal className="h-4 w-4" />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-40 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
            <DropdownMenu.Item className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100" onSelect={() => setEditing(true)}>
              <Pencil className="h-4 w-4" aria-hidden /> {t("edit")}
            </DropdownMenu.Item>
            {done ? null : (
              <>
                <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
                <DropdownMenu.Group aria-labelledby={rescheduleLabelId}>
                  <DropdownMenu.Label id={rescheduleLabelId} className="flex items-center gap-2 px-2 py-1 text-xs font-medium text-zinc-500">
                    <CalendarClock className="h-3.5 w-3.5" aria-hidden /> {t("reschedule.title")}
                  </DropdownMenu.Label>
                  {quickRescheduleChoices.map((choice) => (
                    <DropdownMenu.Item
                      key={choice}
                      className="flex cursor-pointer items-center justify-between gap-4 rounded py-1.5 pr-2 pl-8 text-sm outline-none data-[highlighted]:bg-zinc-100"
                      onSelect={() => reschedule(choice)}
                    >
                      {t(`reschedule.${choice}`)}
                      {choice === "today" ? null : <span className="text-xs text-zinc-500">{dayText(quickRescheduleDate(choice, today), "short")}</span>}
                    </DropdownMenu.Item>
                  ))}
                  <DropdownMenu.Item className="flex cursor-pointer items-center rounded py-1.5 pr-2 pl-8 text-sm outline-none data-[highlighted]:bg-zinc-100" onSelect={() => setEditing(true)}>
                    {t("reschedule.pick")}
                  </DropdownMenu.Item>
                </DropdownMenu.Group>
                <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
              </>
            )}
            <DropdownMenu.Item className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-red-700 outline-none data-[highlighted]:bg-red-50" onSelect={() => setConfirming(true)}>
              <Trash2 className="h-4 w-4" aria-hidden /> {t("delete")}
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <ActivityDialog slug={slug} options={options} open={editing} onOpenChange={setEditing} activity={a} />
      <AlertDialog.Root open={confirming} onOpenChange={setConfirming}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
          <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-sm -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
            <AlertDialog.Title className="text-base font-semibold">{t("deleteTitle")}</AlertDialog.Title>
            <AlertDialog.Description className="mt-1 text-sm text-zinc-600">{t("deleteText", { subject: a.subject })}</AlertDialog.Description>
            <div className="mt-4 flex justify-end gap-2">
              <AlertDialog.Cancel asChild>
                <Button variant="secondary">{t("cancel")}</Button>
              </AlertDialog.Cancel>
              <AlertDialog.Action asChild>
                <Button variant="danger" onClick={remove}>{t("delete")}</Button>
              </AlertDialog.Action>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </li>
  );
}
