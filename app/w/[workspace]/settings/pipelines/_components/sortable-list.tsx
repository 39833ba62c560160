"use client";

import { useOptimistic, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { GripVertical } from "lucide-react";
import type { ActionState } from "@/lib/actions";
import { cn } from "../../../../../_components/cn";
import { useErrorText } from "../../../../../_components/form";

/** Where a dropped row ended up: the ids of its neighbours in the new order (null at either end). */
export type Move = { id: string; beforeId: string | null; afterId: string | null };

type Props<T extends { id: string }> = {
  items: T[];
  /** The row's name, for the drag handle's label and the screen-reader announcements. */
  nameOf: (item: T) => string;
  /** "stage" or "option": picks the wording of the announcements. */
  noun: "stage" | "option";
  /** Persists one move; a refusal puts the row back and shows the reason. */
  onMove: (move: Move) => Promise<ActionState<unknown>>;
  renderItem: (item: T, handle: ReactNode) => ReactNode;
  className?: string;
  label: string;
};

/**
 * A vertical list reordered by drag and drop (mouse, touch after a short press, or keyboard: Space to pick up,
 * arrows to move, Space to drop, Escape to cancel), announced to screen readers. The move shows at once
 * (useOptimistic) and falls back to the server's order if the server refuses it.
 */
export function SortableList<T extends { id: string }>({ items, nameOf, noun, onMove, renderItem, className, label }: Props<T>) {
  const t = useTranslations("pipelineSettings.sortable");
  const errorText = useErrorText();
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [order, applyMove] = useOptimistic(items, (state: T[], move: { from: number; to: number }) => arrayMove(state, move.from, move.to));

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const indexOf = (id: UniqueIdentifier) => order.findIndex((item) => item.id === id);
  const nameAt = (id: UniqueIdentifier) => {
    const item = order.find((i) => i.id === id);
    return item ? nameOf(item) : "";
  };
  const count = order.length;

  const announcements: Announcements = {
    onDragStart: ({ active }) => t(`${noun}.pickedUp`, { name: nameAt(active.id), position: indexOf(active.id) + 1, count }),
    onDragOver: ({ active, over }) =>
      over ? t(`${noun}.over`, { name: nameAt(active.id), position: indexOf(over.id) + 1, count }) : t(`${noun}.notOver`, { name: nameAt(active.id) }),
    onDragEnd: ({ active, over }) =>
      over ? t(`${noun}.dropped`, { name: nameAt(active.id), position: indexOf(over.id) + 1, count }) : t(`${noun}.cancelled`, { name: nameAt(active.id), position: indexOf(active.id) + 1 }),
    onDragCancel: ({ active }) => t(`${noun}.cancelled`, { name: nameAt(active.id), position: indexOf(active.id) + 1 }),
  };

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over) return;
    const from = indexOf(active.id);
    const to = indexOf(over.id);
    if (from < 0 || to < 0 || from === to) return;
    const next = arrayMove(order, from, to);
    const move: Move = { id: String(active.id), beforeId: next[to - 1]?.id ?? null, afterId: next[to + 1]?.id ?? null };
    const name = nameAt(active.id);
    startTransition(async () => {
      applyMove({ from, to });
      // On refusal (or a lost connection) the optimistic order ends with the transition: the server's order shows again.
      try {
        const result = await onMove(move);
        if (!result.ok) {
          toast.error(t("refused", { name, reason: errorText(result.message) }));
          router.refresh(); // the list was probably stale (a neighbour deleted elsewhere): show the current one
        }
      } catch {
        toast.error(t("failed", { name }));
      }
    });
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t("instructions") } }}
    >
      <SortableContext items={order.map((item) => item.id)} strategy={verticalListSortingStrategy}>
        <ul className={className} aria-label={label}>
          {order.map((item) => (
            <SortableRow key={item.id} id={item.id} name={nameOf(item)} noun={noun}>
              {(handle) => renderItem(item, handle)}
            </SortableRow>
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({ id, name, noun, children }: { id: string; name: string; noun: "stage" | "option"; children: (handle: ReactNode) => ReactNode }) {
  const t = useTranslations("pipelineSettings.sortable");
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
    attributes: { roleDescription: t(`${noun}.roleDescription`) },
  });
  const handle = (
    <button
      type="button"
      ref={setActivatorNodeRef}
      {...attributes}
      {...listeners}
      aria-label={t("handle", { name })}
      className="flex h-8 w-6 shrink-0 cursor-grab touch-none items-center justify-center rounded text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 active:cursor-grabbing"
    >
      <GripVertical className="h-4 w-4" aria-hidden />
    </button>
  );
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn("relative bg-white", isDragging && "z-10 rounded-md shadow-lg ring-1 ring-zinc-200")}
    >
      {children(handle)}
    </li>
  );
}
