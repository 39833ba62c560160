"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import {
  closestCenter,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
} from "@dnd-kit/core";
import { toast } from "sonner";
import type { ActivityDTO } from "@/lib/activities/queries";
import { cn } from "../../../../_components/cn";
import { useErrorText } from "../../../../_components/form";
import { rescheduleActivityAction } from "../actions";
import { ActivityDialog, useTypeLabel } from "./activity-form";
import { useDayText } from "./day-text";
import { ActivityTypeIcon } from "./type-icon";
import type { ActivityFormOptions } from "./types";

type Props = { slug: string; options: ActivityFormOptions; days: string[]; activities: ActivityDTO[]; today: string; timeZone: string; showAssignee: boolean };

/** The activity's local date in the user's zone (what column it sits in). */
function dayOf(a: ActivityDTO, timeZone: string): string {
  if (!a.dueAt) return a.dueDate!;
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(a.dueAt));
}

/** Keyboard moves go from day to day (right/down: the next day, left/up: the previous one), whatever the layout. */
function dayJump(days: string[]): KeyboardCoordinateGetter {
  return (event, { context: { over, collisionRect, droppableRects } }) => {
    const step = event.code === "ArrowRight" || event.code === "ArrowDown" ? 1 : event.code === "ArrowLeft" || event.code === "ArrowUp" ? -1 : 0;
    if (!step || !collisionRect) return undefined;
    event.preventDefault();
    const current = over ? days.indexOf(String(over.id)) : -1;
    const next = days[Math.min(days.length - 1, Math.max(0, current + step))];
    const rect = next ? droppableRects.get(next) : undefined;
    if (!rect) return undefined;
    return { x: rect.left + (rect.width - collisionRect.width) / 2, y: rect.top + Math.min(24, (rect.height - collisionRect.height) / 2) };
  };
}

/**
 * The week as seven day columns. Drag an open activity to another day (mouse, touch, or keyboard: Space to pick
 * up, arrows to move, Space to drop) to reschedule it; it keeps its time of day. Optimistic, reverted on refusal.
 */
export function WeekView({ slug, options, days, activities, today, timeZone, showAssignee }: Props) {
  const t = useTranslations("activities");
  const format = useFormatter();
  const errorText = useErrorText();
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [moved, setMoved] = useState<Record<string, string>>({});
  const [activeId, setActiveId] = useState<string | null>(null);
  const [editing, setEditing] = useState<ActivityDTO | null>(null);

  // Server data wins whenever it changes: local moves only bridge the time until the refresh arrives.
  const [serverActivities, setServerActivities] = useState(activities);
  if (serverActivities !== activities) {
    setServerActivities(activities);
    setMoved({});
  }

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    // Space picks up and drops (Enter opens the activity); arrows jump a whole day.
    useSensor(KeyboardSensor, { keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] }, coordinateGetter: dayJump(days) }),
  );
  const dayLabel = useDayText();
  const find = (id: unknown) => activities.find((a) => a.id === id);
  const placeOf = (a: ActivityDTO) => moved[a.id] ?? dayOf(a, timeZone);
  const active = activeId ? find(activeId) : undefined;

  const announcements: Announcements = {
    onDragStart: ({ active }) => t("announce.pickedUp", { subject: find(active.id)?.subject ?? "", day: dayLabel(placeOf(find(active.id)!)) }),
    onDragOver: ({ active, over }) => (over ? t("announce.over", { subject: find(active.id)?.subject ?? "", day: dayLabel(String(over.id)) }) : t("announce.notOver", { subject: find(active.id)?.subject ?? "" })),
    onDragEnd: ({ active, over }) => (over ? t("announce.dropped", { subject: find(active.id)?.subject ?? "", day: dayLabel(String(over.id)) }) : t("announce.cancelled", { subject: find(active.id)?.subject ?? "" })),
    onDragCancel: ({ active }) => t("announce.cancelled", { subject: find(active.id)?.subject ?? "" }),
  };

  function onDragEnd({ active, over }: DragEndEvent) {
    setActiveId(null);
    const a = find(active.id);
    if (!a || !over) return;
    const to = String(over.id);
    if (to === placeOf(a)) return;
    const before = moved;
    setMoved((m) => ({ ...m, [a.id]: to }));
    startTransition(async () => {
      const result = await rescheduleActivityAction(slug, undefined, { activityId: a.id, dueDate: to });
      if (!result.ok) {
        setMoved(before);
        return void toast.error(t("moveRefused", { reason: errorText(result.message) }));
      }
      toast.success(t("rescheduled", { subject: a.subject, day: dayLabel(to) }));
      router.refresh();
    });
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragStart={({ active }) => setActiveId(String(active.id))}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActiveId(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t("dragInstructions") } }}
    >
      <section role="region" aria-label={t("weekRegion")} className="grid gap-2 lg:grid-cols-7">
        {days.map((d) => (
          <DayColumn
            key={d}
            day={d}
            label={dayLabel(d)}
            short={format.dateTime(new Date(`${d}T12:00:00Z`), { weekday: "short", day: "numeric", timeZone: "UTC" })}
            isToday={d === today}
            activities={activities.filter((a) => placeOf(a) === d)}
            timeZone={timeZone}
            showAssignee={showAssignee}
            onOpen={setEditing}
          />
        ))}
      </section>
      <DragOverlay dropAnimation={null}>{active ? <Chip activity={active} timeZone={timeZone} showAssignee={showAssignee} overlay /> : null}</DragOverlay>
      <ActivityDialog slug={slug} options={options} open={editing !== null} onOpenChange={(open) => !open && setEditing(null)} activity={editing} />
    </DndContext>
  );
}

function DayColumn({ day, label, short, isToday, activities, timeZone, showAssignee, onOpen }: { day: string; label: string; short: string; isToday: boolean; activities: ActivityDTO[]; timeZone: string; showAssignee: boolean; onOpen: (a: ActivityDTO) => void }) {
  const t = useTranslations("activities");
  const { setNodeRef, isOver } = useDroppable({ id: day });
  const headingId = `day-${day}`;
  return (
    <div ref={setNodeRef} className={cn("flex min-h-28 flex-col rounded-lg border bg-white lg:min-h-96", isToday ? "border-brand-500/50" : "border-zinc-200", isOver && "ring-2 ring-brand-500/50")} data-day={day}>
      <h3 id={headingId} className={cn("border-b px-2.5 py-2 text-xs font-semibold", isToday ? "border-brand-100 bg-brand-50 text-brand-700" : "border-zinc-100 text-zinc-600")}>
        <span aria-hidden>{short}</span>
        <span className="sr-only">{label}</span>
        {isToday ? <span className="ml-1.5 font-normal">· {t("today")}</span> : null}
      </h3>
      <ul role="list" aria-labelledby={headingId} className="flex flex-1 flex-col gap-1.5 p-1.5">
        {activities.map((a) => (
          <DraggableChip key={a.id} activity={a} timeZone={timeZone} showAssignee={showAssignee} onOpen={() => onOpen(a)} />
        ))}
      </ul>
    </div>
  );
}

function DraggableChip({ activity, timeZone, showAssignee, onOpen }: { activity: ActivityDTO; timeZone: string; showAssignee: boolean; onOpen: () => void }) {
  const t = useTranslations("activities");
  const done = activity.doneAt !== null;
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: activity.id, disabled: done });
  return (
    <li
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      role="listitem"
      aria-roledescription={t("draggableActivity")}
      data-activity-id={activity.id}
      className={cn("rounded-md outline-none focus-visible:ring-2 focus-visible:ring-brand-500", isDragging && "opacity-40", !done && "touch-manipulation")}
      onKeyDown={(e) => {
        listeners?.onKeyDown?.(e);
        if (e.key === "Enter" && !e.defaultPrevented) onOpen();
      }}
      onClick={onOpen}
    >
      <Chip activity={activity} timeZone={timeZone} showAssignee={showAssignee} />
    </li>
  );
}

function Chip({ activity: a, timeZone, showAssignee, overlay = false }: { activity: ActivityDTO; timeZone: string; showAssignee: boolean; overlay?: boolean }) {
  const t = useTranslations("activities");
  const typeLabel = useTypeLabel();
  const format = useFormatter();
  const done = a.doneAt !== null;
  return (
    <div
      className={cn(
        "rounded-md border px-2 py-1.5 text-xs shadow-xs",
        done ? "border-zinc-200 bg-zinc-50 text-zinc-400" : a.overdue ? "cursor-grab border-red-200 bg-red-50 text-red-800" : "cursor-grab border-zinc-200 bg-white text-zinc-800 hover:border-zinc-300",
        overlay && "rotate-1 cursor-grabbing shadow-lg",
      )}
    >
      <div className="flex items-center gap-1">
        <ActivityTypeIcon type={a.type} className="h-3 w-3 shrink-0" />
        <span className="sr-only">{typeLabel(a)}: </span>
        <span className="font-medium tabular-nums">{a.dueAt ? format.dateTime(new Date(a.dueAt), { hour: "numeric", minute: "2-digit", timeZone }) : t("allDay")}</span>
        {done ? <span className="sr-only">({t("done")})</span> : null}
      </div>
      <p className={cn("mt-0.5 line-clamp-2 break-words", done && "line-through")}>{a.subject}</p>
      {a.deal ? <p className="mt-0.5 truncate text-[11px] text-zinc-500">{a.deal.title}</p> : null}
      {showAssignee && a.assigneeName ? <p className="truncate text-[11px] text-zinc-500">{a.assigneeName}</p> : null}
    </div>
  );
}
