"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState, useTransition } from "react";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { toast } from "sonner";
import {
  closestCorners,
  pointerWithin,
  DndContext,
  DragOverlay,
  getClientRect,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type SensorContext,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { ColumnDTO, BoardCardDTO } from "@/lib/deals/queries";
import { moveInMeta } from "@/lib/deals/board-meta";
import { builtInActivityTypes } from "@/lib/activities/schema";
import type { DealFilters } from "@/lib/deals/schema";
import { dateTimeFormat, formatMoney, initials } from "@/lib/format";
import { memoText } from "@/lib/i18n/memo";
import { formatCustomValue, type FieldDef } from "@/lib/custom-fields/values";
import type { Member } from "../../../../../_components/custom-field-input";
import { missingFromRefusal, RequirementsDialog, type RequirementsRequest } from "../../../deals/_components/requirements-dialog";
import { cn } from "../../../../../_components/cn";
import { useErrorText } from "../../../../../_components/form";
import { loadMoreCardsAction, markLostAction, markWonAction, moveDealAction } from "../../../deals/_actions/deal-actions";
import { LostReasonDialog } from "./lost-reason-dialog";
import { useTypeLabel } from "../../../activities/_components/activity-form";
import { NextActivityHost, offerNextActivity, requestNextActivity } from "../../../activities/_components/next-activity";
import { QuickAdd } from "./quick-add";
import { useBoardMeta } from "./board-meta";
import { useBoardOptions } from "./board-options";
import { unpackCard, type PackedCard } from "./card-wire";
import { moneyTotalsText } from "./money-totals";
import { arrowOfKey, landingPosition, LOST, nextKeyboardTarget, WON, type BoardLayout } from "./keyboard-moves";

/**
 * A column as the board needs it: its count and totals live in the board's meta (BoardMetaProvider); its
 * first-paint cards come packed (card-wire.ts).
 */
export type BoardColumn = Pick<ColumnDTO, "id" | "name" | "probability"> & { cards: PackedCard[] };

type Props = {
  slug: string;
  pipelineId: string;
  columns: BoardColumn[];
  filters: DealFilters;
  currency: string;
  /** The pipeline's card fields (up to four deal custom fields). */
  cardFields: FieldDef[];
  /** Members a card field may name ("user" fields) before the board's options have loaded; usually none. */
  members: Member[];
};

type CardContext = {
  fields: FieldDef[];
  memberName: (id: string) => string | undefined;
  scheduleNext: (deal: { id: string; title: string }) => void;
  /**
   * The board's translators, made once for all cards and remembering their texts by arguments (lib/i18n/memo.ts):
   * the cards repeat a handful of distinct labels.
   */
  t: ReturnType<typeof useTranslations<"board">>;
  ta: ReturnType<typeof useTranslations<"activities">>;
  typeLabel: ReturnType<typeof useTypeLabel>;
  /** A calendar date ("2026-05-03") as "May 3". */
  day: (isoDate: string) => string;
  /** An instant as "May 3, 2:30 PM" in the user's time zone. */
  dayTime: (iso: string) => string;
  locale: string;
};

/** Board-wide display settings, text and actions read by every card without threading props through columns. */
const CardFieldsContext = createContext<CardContext | null>(null);
const useCardContext = () => useContext(CardFieldsContext)!;

/** A card with the defaults its DTO leaves out filled back in (the workspace's currency, open, not stuck). */
type Card = Omit<BoardCardDTO, "currency" | "status" | "stuck"> & { currency: string; status: "open" | "won" | "lost"; stuck: boolean };
type Columns = Record<string, Card[]>;

const toCard = (dto: BoardCardDTO, currency: string): Card => ({ ...dto, currency: dto.currency ?? currency, status: dto.status ?? "open", stuck: dto.stuck ?? false });
const toColumns = (cols: BoardColumn[], currency: string): Columns => Object.fromEntries(cols.map((c) => [c.id, c.cards.map((d) => toCard(unpackCard(d), currency))]));

export function Board({ slug, pipelineId, columns, filters, currency, cardFields, members: firstPaintMembers }: Props) {
  const [requirement, setRequirement] = useState<(RequirementsRequest & { snapshot: Columns | null }) | null>(null);
  // The dialogs' pick lists (lost reasons, members, sources, activity types, fields) load on the first interaction.
  const { options, load: loadOptions } = useBoardOptions();
  const members = options?.members ?? firstPaintMembers;
  // "Schedule next" asked before the options arrived: opened once they are there (the host mounts with them,
  // and a child's effect — the host subscribing — runs before this one).
  const pendingNext = useRef<{ id: string; title: string } | null>(null);
  useEffect(() => {
    if (options && pendingNext.current) {
      requestNextActivity({ deal: pendingNext.current });
      pendingNext.current = null;
    }
  }, [options]);
  const t = useTranslations("board");
  const ta = useTranslations("activities");
  const typeLabel = useTypeLabel();
  const timeZone = useTimeZone();
  const locale = useLocale();
  const cardDisplay = useMemo<CardContext>(
    () => ({
      t: memoText(t),
      ta: memoText(ta),
      typeLabel: memoText(typeLabel),
      // What use-intl's format.dateTime gives for these options (the provider's time zone unless the options name
      // one), from Intl formatters kept for the process (lib/format.ts): use-intl builds its own for every request,
      // ~0.1–0.2 ms each.
      day: formatDate(dateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }), (d) => `${d}T00:00:00Z`),
      dayTime: formatDate(dateTimeFormat(locale, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone }), (d) => d),
      locale,
      fields: cardFields,
      memberName: (id: string) => members.find((m) => m.id === id)?.name,
      scheduleNext: (deal) => {
        if (options) return requestNextActivity({ deal });
        pendingNext.current = deal;
        void loadOptions();
      },
    }),
    [t, ta, typeLabel, timeZone, locale, cardFields, members, options, loadOptions],
  );
  const errorText = useErrorText();
  const router = useRouter();
  const [items, setItems] = useState<Columns>(() => toColumns(columns, currency));
  const { meta, setMeta } = useBoardMeta();
  const [activeId, setActiveId] = useState<string | null>(null);
  const [dragFrom, setDragFrom] = useState<string | null>(null); // the column the dragged card left
  const [pendingLost, setPendingLost] = useState<{ deal: Card; snapshot: Columns } | null>(null);
  const [, startTransition] = useTransition();
  const snapshot = useRef<Columns | null>(null);
  const metaSnapshot = useRef(meta);
  const origin = useRef<string | null>(null);

  // Server data wins whenever it changes (after a refresh or a filter change): adjust state while rendering.
  const [serverColumns, setServerColumns] = useState(columns);
  if (serverColumns !== columns) {
    setServerColumns(columns);
    setItems(toColumns(columns, currency));
  }

  // A deal moved with the keyboard goes where the arrow keys say (keyboard-moves.ts), not to the droppable nearest
  // to the lifted card's corners: the target chosen on the last key press (null during a pointer drag), and the
  // board's stages and cards it is chosen on, as last rendered.
  const keyboardTarget = useRef<string | null>(null);
  const beforeZone = useRef<string | null>(null); // where the deal was before the Won/Lost zone, to go back up to
  const layout = useRef<BoardLayout>({ stageIds: [], cards: {} });
  useLayoutEffect(() => {
    layout.current = { stageIds: columns.map((c) => c.id), cards: Object.fromEntries(Object.entries(items).map(([id, list]) => [id, list.map((d) => d.id)])) };
  }, [columns, items]);
  const coordinateGetter = useCallback<KeyboardCoordinateGetter>((event, { active, context }) => {
    const arrow = arrowOfKey[event.code];
    if (!arrow) return undefined;
    event.preventDefault(); // the arrows move the deal, not the page
    const over = context.over ? String(context.over.id) : null;
    const target = nextKeyboardTarget(layout.current, String(active), over, arrow, beforeZone.current);
    if (target === null) return undefined;
    if ((target === WON || target === LOST) && over !== WON && over !== LOST) beforeZone.current = over;
    keyboardTarget.current = target;
    return landingCoordinates(context, layout.current, String(active), target);
  }, []);
  // A mouse or finger is over the Won or Lost zone when the pointer is inside it. The zones float over the
  // columns, so the nearest corners (closestCorners, which places the card among the columns' cards) would often
  // be those of a card underneath, and the deal would move to that stage instead of being won.
  const collisionDetection = useCallback<CollisionDetection>((args) => {
    const target = keyboardTarget.current;
    if (target !== null && args.droppableContainers.some((c) => c.id === target)) return [{ id: target }];
    const isZone = (id: UniqueIdentifier) => id === WON || id === LOST;
    const zone = pointerWithin({ ...args, droppableContainers: args.droppableContainers.filter((c) => isZone(c.id)) });
    return zone.length ? zone : closestCorners({ ...args, droppableContainers: args.droppableContainers.filter((c) => !isZone(c.id)) });
  }, []);
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter }),
  );

  const stageName = useMemo(() => Object.fromEntries(columns.map((c) => [c.id, c.name])), [columns]);
  const findColumn = (id: UniqueIdentifier): string | undefined =>
    id in items ? String(id) : Object.keys(items).find((col) => items[col]!.some((d) => d.id === id));
  const findDeal = (id: UniqueIdentifier) => Object.values(items).flat().find((d) => d.id === id);
  const active = activeId ? findDeal(activeId) : undefined;

  const announcements: Announcements = {
    onDragStart: ({ active }) => t("announce.pickedUp", { title: findDeal(active.id)?.title ?? "", stage: stageName[findColumn(active.id) ?? ""] ?? "" }),
    onDragOver: ({ active, over }) => {
      if (!over) return t("announce.notOver", { title: findDeal(active.id)?.title ?? "" });
      if (over.id === WON) return t("announce.overWon");
      if (over.id === LOST) return t("announce.overLost");
      const col = findColumn(over.id);
      if (!col) return t("announce.notOver", { title: findDeal(active.id)?.title ?? "" });
      // "of N" is the stage's count, not its loaded cards (a column loads its cards as it is scrolled)
      const { position, count } = landingPosition(
        items[col]!.map((d) => d.id),
        String(active.id),
        String(over.id),
        meta[col]?.count ?? 0,
        col === origin.current,
      );
      return t("announce.over", { title: findDeal(active.id)?.title ?? "", stage: stageName[col] ?? "", position, count });
    },
    onDragEnd: ({ active, over }) => {
      if (over?.id === WON) return t("announce.won", { title: findDeal(active.id)?.title ?? "" });
      if (over?.id === LOST) return t("announce.lostAsk", { title: findDeal(active.id)?.title ?? "" });
      return t("announce.dropped", { title: findDeal(active.id)?.title ?? "", stage: stageName[findColumn(active.id) ?? ""] ?? "" });
    },
    onDragCancel: ({ active }) => t("announce.cancelled", { title: findDeal(active.id)?.title ?? "" }),
  };

  function onDragStart({ active, activatorEvent }: DragStartEvent) {
    void loadOptions(); // a drop may ask for a lost reason, missing fields or the next activity
    keyboardTarget.current = activatorEvent instanceof KeyboardEvent ? String(active.id) : null;
    beforeZone.current = null;
    snapshot.current = items;
    metaSnapshot.current = meta;
    origin.current = findColumn(active.id) ?? null;
    setDragFrom(origin.current);
    setActiveId(String(active.id));
  }

  // Moving across columns while dragging: the card follows the pointer into the other list.
  function onDragOver({ active, over }: DragOverEvent) {
    if (!over || over.id === WON || over.id === LOST) return;
    const from = findColumn(active.id);
    const to = findColumn(over.id);
    if (!from || !to || from === to) return;
    setItems((prev) => {
      const moving = prev[from]!.find((d) => d.id === active.id);
      if (!moving) return prev;
      const target = prev[to]!;
      const overIndex = target.findIndex((d) => d.id === over.id);
      const index = over.id in prev ? target.length : overIndex >= 0 ? overIndex : target.length;
      return { ...prev, [from]: prev[from]!.filter((d) => d.id !== active.id), [to]: [...target.slice(0, index), moving, ...target.slice(index)] };
    });
    // With the keyboard, the deal is now over itself in its new stage: dropped there, it stays where it was put
    // (still over the card it was put before, the drop would move it past that card). dnd-kit's multiple-containers
    // example does the same.
    if (keyboardTarget.current !== null) keyboardTarget.current = String(active.id);
  }

  /** Puts the cards (and the counts and totals taken with them) back as they were before a refused change. */
  function revert(to: Columns | null, message?: string, metaBefore = metaSnapshot.current) {
    if (to) setItems(to);
    setMeta(metaBefore);
    if (message) toast.error(message);
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    setActiveId(null);
    keyboardTarget.current = null;
    const before = snapshot.current;
    const deal = findDeal(active.id);
    if (!over || !deal) return revert(before);
    if (over.id === WON) {
      setItems((prev) => removeDeal(prev, deal.id));
      if (origin.current) setMeta((m) => moveInMeta(m, deal, origin.current!, null));
      startTransition(async () => {
        const result = await markWonAction(slug, undefined, { dealId: deal.id });
        if (!result.ok) return revert(before, errorText(result.message));
        toast.success(t("markedWon", { title: deal.title }));
        router.refresh();
      });
      return;
    }
    if (over.id === LOST) {
      setItems((prev) => removeDeal(prev, deal.id));
      if (origin.current) setMeta((m) => moveInMeta(m, deal, origin.current!, null));
      setPendingLost({ deal, snapshot: before ?? items });
      return;
    }
    const col = findColumn(over.id);
    if (!col) return revert(before);
    let list = items[col]!;
    const oldIndex = list.findIndex((d) => d.id === deal.id);
    const overIndex = list.findIndex((d) => d.id === over.id);
    if (oldIndex >= 0 && overIndex >= 0 && oldIndex !== overIndex) {
      list = arrayMove(list, oldIndex, overIndex);
      setItems((prev) => ({ ...prev, [col]: list }));
    }
    const index = list.findIndex((d) => d.id === deal.id);
    if (col === origin.current && before && before[col]!.map((d) => d.id).join() === list.map((d) => d.id).join()) return; // nothing moved
    const beforeId = list[index - 1]?.id ?? null;
    const afterId = list[index + 1]?.id ?? null;
    if (origin.current && origin.current !== col) setMeta((m) => moveInMeta(m, deal, origin.current!, col));
    startTransition(async () => {
      const result = await moveDealAction(slug, undefined, { dealId: deal.id, toStageId: col, beforeId, afterId });
      const missing = missingFromRefusal(result);
      if (missing) {
        // the stage needs fields this deal lacks: ask for exactly those, then move
        setRequirement({ dealId: deal.id, dealTitle: deal.title, toStageId: col, stageName: stageName[col] ?? "", beforeId, afterId, missing, snapshot: before });
        return;
      }
      if (!result.ok) return revert(before, t("moveRefused", { reason: errorText(result.message) }));
      // As Pipedrive does: a deal that moved on gets its next step planned.
      if (result.data?.stageChanged) offerNextActivity(ta("stageMoved", { stage: stageName[col] ?? "" }), ta("scheduleNext"), { deal: { id: deal.id, title: deal.title } });
      // No refresh: the card is where the server put it and the columns were recounted above (moveInMeta).
    });
  }

  async function confirmLost(reason: string) {
    if (!pendingLost) return;
    const { deal, snapshot: before } = pendingLost;
    setPendingLost(null);
    const result = await markLostAction(slug, undefined, { dealId: deal.id, lostReason: reason });
    if (!result.ok) return revert(before, errorText(result.message), metaSnapshot.current);
    toast.success(t("markedLost", { title: deal.title }));
    router.refresh();
  }

  async function loadMore(column: BoardColumn) {
    const result = await loadMoreCardsAction(slug, undefined, { stageId: column.id, offset: items[column.id]!.length, filters, customKeys: cardFields.map((f) => f.key) });
    if (!result.ok || !result.data) {
      toast.error(errorText(result.ok ? "errors.invalid" : result.message));
      return;
    }
    const more = result.data.map((d) => toCard(d, currency));
    setItems((prev) => {
      // a card may already be on the board in another column (moved there while this page was loading)
      const known = new Set(Object.values(prev).flatMap((list) => list.map((d) => d.id)));
      return { ...prev, [column.id]: [...prev[column.id]!, ...more.filter((d) => !known.has(d.id))] };
    });
  }

  return (
    <CardFieldsContext.Provider value={cardDisplay}>
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={() => {
        setActiveId(null);
        keyboardTarget.current = null;
        revert(snapshot.current);
      }}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t("instructions") } }}
    >
      <section role="region" aria-label={t("regionLabel")} className="pw-board">
        {columns.map((column, index) => (
          <Column
            key={column.id}
            index={index}
            slug={slug}
            pipelineId={pipelineId}
            column={column}
            cards={items[column.id] ?? []}
            count={meta[column.id]?.count ?? 0}
            totals={meta[column.id]?.totals ?? []}
            currency={currency}
            moving={activeId !== null && dragFrom !== null ? { id: activeId, from: dragFrom } : null}
            onLoadMore={() => loadMore(column)}
          />
        ))}
      </section>
      <DropZones visible={activeId !== null} />
      <span id={NEXT_HINT} hidden>
        {ta("scheduleNext")}
      </span>
      {/* an unturned box around the lifted (turned) card: dnd-kit measures the overlay's only child, and a turned card's
          box is wider than the cards it is compared with */}
      <DragOverlay dropAnimation={null}>
        {active ? (
          <div>
            <div className="pw-card pw-card-lift">
              <CardBody slug={slug} deal={active} overlay />
            </div>
          </div>
        ) : null}
      </DragOverlay>
      <LostReasonDialog
        open={pendingLost !== null && options !== null}
        title={pendingLost?.deal.title ?? ""}
        reasons={options?.lostReasons ?? []}
        onConfirm={confirmLost}
        onCancel={() => {
          if (pendingLost) revert(pendingLost.snapshot);
          setPendingLost(null);
        }}
      />
      {options ? <NextActivityHost slug={slug} options={options.activity} /> : null}
      <RequirementsDialog
        slug={slug}
        request={options ? requirement : null}
        fields={options?.dealFields ?? []}
        members={members}
        sources={options?.sources ?? []}
        onDone={() => {
          setRequirement(null);
          router.refresh();
        }}
        onCancel={() => {
          revert(requirement?.snapshot ?? null);
          setRequirement(null);
        }}
      />
    </DndContext>
    </CardFieldsContext.Provider>
  );
}

/**
 * Where the lifted card is drawn for a keyboard target (keyboard-moves.ts): on the place the deal would take there.
 * Rects without the sortable shifts: the places the cards hold in their lists.
 */
function landingCoordinates(context: SensorContext, board: BoardLayout, activeId: string, target: string) {
  const nodeOf = (id: string) => context.droppableContainers.get(id)?.node.current ?? null;
  const rectOf = (id: string) => {
    const node = nodeOf(id);
    return node ? getClientRect(node, { ignoreTransform: true }) : null;
  };
  // a card below a column's fold or a column off the side of the board: brought into view first (the column's list
  // and the board scroll), so the lifted card is drawn where the deal goes, not outside the screen
  if (target !== WON && target !== LOST) nodeOf(target)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const rect = rectOf(target);
  const own = rectOf(activeId);
  if (!rect || !own) return undefined;
  if (target === WON || target === LOST) return { x: rect.left + (rect.width - own.width) / 2, y: rect.top + rect.height / 2 - own.height };
  const stageCards = board.cards[target];
  if (stageCards) {
    // the end of a stage: below its last card (the list's gap is 0.5rem), or in place of its "no deals" line
    const last = stageCards.length ? rectOf(stageCards.at(-1)!) : null;
    if (last) return { x: last.left, y: last.bottom + 8 };
    const empty = context.droppableContainers.get(target)?.node.current?.firstElementChild;
    const place = empty ? empty.getBoundingClientRect() : rect;
    return { x: place.left, y: place.top };
  }
  // a card of the deal's own stage further down: the cards between move up into the deal's place
  const ownStage = Object.values(board.cards).find((list) => list.includes(activeId));
  const below = ownStage !== undefined && ownStage.indexOf(target) > ownStage.indexOf(activeId);
  return { x: rect.left, y: below ? rect.bottom - own.height : rect.top };
}

function removeDeal(cols: Columns, dealId: string): Columns {
  return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.filter((d) => d.id !== dealId)]));
}

function arrayMove<T>(list: T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

function Column({ index, slug, pipelineId, column, cards, count, totals, currency, moving, onLoadMore }: { index: number; slug: string; pipelineId: string; column: BoardColumn; cards: Card[]; count: number; totals: ColumnDTO["totals"]; currency: string; moving: { id: string; from: string } | null; onLoadMore: () => Promise<void> }) {
  const { t, locale } = useCardContext();
  const { setNodeRef, isOver } = useDroppable({ id: column.id });
  const [loading, setLoading] = useState(false);
  const headingId = `stage-${index}`; // one board per page; shorter than the stage's id in every column's HTML
  // While a card is dragged, the column's count still includes it where it came from, not where it is now.
  const dragging = moving !== null;
  const holdsMoving = dragging && cards.some((c) => c.id === moving.id);
  const shown = cards.length + (dragging && moving.from === column.id && !holdsMoving ? 1 : 0) - (dragging && moving.from !== column.id && holdsMoving ? 1 : 0);
  const remaining = count - shown;
  const more = async () => {
    if (loading) return;
    setLoading(true);
    await onLoadMore();
    setLoading(false);
  };
  // The first paint holds a few cards per column (a fixed HTML budget); the next ones load as the column is
  // scrolled to its end. The button stays for keyboards and for browsers that never scroll the column. Not while
  // a card is being dragged: the next page is read from the server's order, which the drag has not changed yet.
  const sentinel = useRef<HTMLLIElement>(null);
  const onSentinelVisible = useEffectEvent(() => void more());
  useEffect(() => {
    const node = sentinel.current;
    if (!node || remaining <= 0 || dragging) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onSentinelVisible();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [remaining, cards.length, dragging]);
  return (
    <div className={cn("pw-col", isOver && "ring-2 ring-brand-500/40")}>
      <header className="pw-col-h">
        <div className="flex items-center justify-between gap-2">
          <h2 id={headingId} className="pw-col-n">{column.name}</h2>
          <span className="pw-col-c" aria-label={t("dealCount", { count })}>{count}</span>
        </div>
        <p className="pw-col-t">
          {`${moneyTotalsText(totals, locale, currency)} · `}
          <span title={t("weightedHint", { probability: column.probability })}>{`${t("weighted")} ${moneyTotalsText(totals, locale, currency, true)}`}</span>
        </p>
        <QuickAdd slug={slug} pipelineId={pipelineId} stageId={column.id} stageName={column.name} />
      </header>
      <SortableContext items={cards.map((d) => d.id)} strategy={verticalListSortingStrategy}>
        <ul ref={setNodeRef} role="list" aria-labelledby={headingId} className="pw-col-l">
          {cards.map((deal) => (
            <SortableCard key={deal.id} slug={slug} deal={deal} />
          ))}
          {cards.length === 0 ? <li className="pw-col-e" role="presentation">{t("emptyColumn")}</li> : null}
          {remaining > 0 ? <li ref={sentinel} role="presentation" className="h-px shrink-0" /> : null}
        </ul>
      </SortableContext>
      {remaining > 0 ? (
        <div className="px-2 pb-2">
          <button type="button" className="pw-more" disabled={loading} onClick={more}>
            {loading ? t("loading") : t("showMore", { count: remaining })}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function SortableCard({ slug, deal }: { slug: string; deal: Card }) {
  const { t } = useCardContext();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: deal.id });
  // Of dnd-kit's attributes only the focus stop and the instructions: its role="button" (an <li> of a list is a
  // list item), aria-disabled="false" (never disabled here) and aria-pressed would be ~40 bytes of every card.
  return (
    <li
      ref={setNodeRef}
      tabIndex={attributes.tabIndex}
      aria-describedby={attributes["aria-describedby"]}
      {...listeners}
      aria-roledescription={t("draggableDeal")}
      style={transform || transition ? { transform: CSS.Translate.toString(transform), transition } : undefined}
      className={cn("pw-card", isDragging && "opacity-40")}
    >
      <CardBody slug={slug} deal={deal} />
    </li>
  );
}

/** The pipeline's chosen custom fields on a card ("Seats: 12"), skipping empty ones. */
function CardFieldValues({ deal }: { deal: Card }) {
  const { fields, memberName, locale } = useCardContext();
  const shown = fields.map((f) => [f, formatCustomValue(f, deal.custom?.[f.key], locale, memberName)] as const).filter(([, text]) => text !== "");
  if (shown.length === 0) return null;
  return (
    <dl className="pw-card-f">
      {shown.map(([f, text]) => (
        <div key={f.key}>
          <dt>{f.label}</dt>
          <dd>{text}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A card's content (the sortable <li> is the card itself; the drag overlay wraps it in a lifted copy). Short CSS
 * classes and CSS-drawn icons (app/globals.css, "pw-") keep each card to about ten elements.
 */
function CardBody({ slug, deal, overlay = false }: { slug: string; deal: Card; overlay?: boolean }) {
  const { t, locale, day } = useCardContext();
  return (
    <>
      <Link href={`/w/${slug}/deals/${deal.id}`} prefetch={false} className="pw-card-t" onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
        {deal.title}
      </Link>
      {deal.orgOrPerson ? <p className="pw-card-s">{deal.orgOrPerson}</p> : null}
      <div className="pw-card-m">
        <span className="pw-card-v">{formatMoney(deal.value, deal.currency, locale)}</span>
        {deal.expectedCloseDate ? (
          <span className="pw-card-d" title={t("expectedClose")}>
            {day(deal.expectedCloseDate)}
          </span>
        ) : null}
        {deal.ownerName ? (
          <span className="pw-card-o" title={deal.ownerName} aria-label={t("ownedBy", { name: deal.ownerName })}>
            {initials(deal.ownerName)}
          </span>
        ) : null}
      </div>
      <CardFieldValues deal={deal} />
      {deal.status === "open" ? <NextActivity deal={deal} disabled={overlay} /> : null}
      {deal.stuck || deal.status !== "open" ? (
        <div className="pw-badges">
          {deal.stuck ? (
            <span className="pw-badge pw-badge-stuck" title={t("stuckHint", { days: deal.daysInStage ?? 0 })}>
              {t("stuck", { days: deal.daysInStage ?? 0 })}
            </span>
          ) : null}
          {deal.status !== "open" ? <span className={`pw-badge pw-badge-${deal.status}`}>{t(`status.${deal.status}`)}</span> : null}
        </div>
      ) : null}
    </>
  );
}

/**
 * The card's next activity (red when one is overdue), or a warning that none is scheduled. A button: it opens
 * "schedule the next activity" for the deal (pointer and keys stay with it, not with the drag).
 */
function NextActivity({ deal, disabled }: { deal: Card; disabled: boolean }) {
  const { t, ta, typeLabel, day, dayTime, scheduleNext } = useCardContext();
  const next = deal.nextActivity;
  const when = next
    ? next.dueAt
      ? dayTime(next.dueAt)
      : day(next.dueDate ?? "")
    : "";
  const type = next ? typeLabel({ type: next.type, customLabel: next.label }) : "";
  const icon = next ? (builtInIcons.has(next.type) ? next.type : "custom") : "warn";
  return (
    <button
      type="button"
      disabled={disabled}
      onPointerDown={(e) => e.stopPropagation()}
      onKeyDown={(e) => e.stopPropagation()}
      onClick={() => scheduleNext({ id: deal.id, title: deal.title })}
      // The name is the visible text after a hidden "Overdue: Call"; "Schedule next" is one shared description
      // (Board's NEXT_HINT): no aria-label repeating the text in every card's HTML.
      aria-describedby={NEXT_HINT}
      className={cn("pw-next", `pw-i-${icon}`, !next ? "pw-next-none" : next.overdue && "pw-next-late")}
      data-testid="card-next-activity"
    >
      {next ? (
        <>
          <span className="sr-only">{`${t(next.overdue ? "nextPrefixOverdue" : "nextPrefix", { type })} `}</span>
          {`${when} · ${next.subject}`}
        </>
      ) : (
        ta("noneScheduled")
      )}
    </button>
  );
}

/**
 * A date formatter for the cards: `format` applied to the instant `toIso` makes of its argument, remembered by
 * argument for the render (the cards repeat dates), "Invalid Date" for a value that is not one (as use-intl).
 */
function formatDate(format: Intl.DateTimeFormat, toIso: (value: string) => string): (value: string) => string {
  const texts = new Map<string, string>();
  return (value) => {
    let text = texts.get(value);
    if (text === undefined) {
      const at = Date.parse(toIso(value));
      text = Number.isNaN(at) ? "Invalid Date" : format.format(at);
      texts.set(value, text);
    }
    return text;
  };
}

const builtInIcons = new Set<string>(builtInActivityTypes);
/** The id of the board's one "Schedule next" text, the description of every card's next-activity button. */
const NEXT_HINT = "pw-next-hint";

/** "Won" and "Lost" at the bottom of the screen, mounted while a card is dragged (not in the page's HTML). */
function DropZones({ visible }: { visible: boolean }) {
  const t = useTranslations("board");
  if (!visible) return null;
  return (
    <div className="pw-drops">
      <DropZone id={WON} label={t("dropWon")} />
      <DropZone id={LOST} label={t("dropLost")} />
    </div>
  );
}

function DropZone({ id, label }: { id: string; label: string }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  const kind = id.slice(2);
  return (
    <div ref={setNodeRef} data-testid={`drop-${kind}`} className={cn("pw-drop pw-i pw-i-4", `pw-i-${kind} pw-drop-${kind}`, isOver && "pw-over")}>
      {label}
    </div>
  );
}
