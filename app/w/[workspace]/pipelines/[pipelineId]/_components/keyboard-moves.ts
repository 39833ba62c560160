/**
 * Where the arrow keys take a deal picked up on the board, decided on the board's order of stages and cards, not on
 * measured rectangles. dnd-kit's sortableKeyboardCoordinates picks "the nearest droppable in the arrow's direction"
 * by the corners of the dragged card's box: the lifted (rotated) card's box sticks out of its column by a pixel, so
 * ArrowRight first found a card below in the same column; and the Won/Lost zones, fixed over the bottom of the
 * columns, were nearer than the next column for a card low on the screen.
 *
 * A target is the id the deal is "over" next, with the board's drop rules (board.tsx onDragOver/onDragEnd):
 * - a card of the deal's own stage: the deal takes that card's index (arrayMove on drop);
 * - the deal itself: it stays where it is;
 * - a card of another stage: the deal is put before that card;
 * - a stage id: the deal goes to the end of that stage;
 * - a drop zone (WON, LOST).
 */

export const WON = "__won";
export const LOST = "__lost";

export type Arrow = "up" | "down" | "left" | "right";

/** The board as the keyboard sees it: its stages left to right, each with the ids of its loaded cards in order. */
export type BoardLayout = { stageIds: readonly string[]; cards: Readonly<Record<string, readonly string[]>> };

export const arrowOfKey: Readonly<Record<string, Arrow>> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };

/**
 * The next target of a deal being moved with the keyboard, or null to stay. Left and right go to the neighbouring
 * stage at the same position (its end when it is shorter); up and down move by one card within the stage; down
 * from the last card reaches the Won zone, right of it the Lost zone, and up from either returns to the stage, where
 * the deal was before (`beforeZone`, the target it had then) when that card is still on the board.
 */
export function nextKeyboardTarget(layout: BoardLayout, activeId: string, overId: string | null, arrow: Arrow, beforeZone: string | null = null): string | null {
  if (overId === WON || overId === LOST) {
    if (arrow === "up") return beforeZone !== null && Object.values(layout.cards).some((list) => list.includes(beforeZone)) ? beforeZone : activeId;
    if (arrow === "right" && overId === WON) return LOST;
    if (arrow === "left" && overId === LOST) return WON;
    return null;
  }
  const stage = layout.stageIds.find((id) => layout.cards[id]?.includes(activeId));
  if (stage === undefined) return null;
  const list = layout.cards[stage]!;
  const own = list.indexOf(activeId);
  const overIndex = overId === null ? -1 : list.indexOf(overId);
  const index = overIndex >= 0 ? overIndex : own; // the index the deal would be dropped at
  const inOwnStage = (i: number) => (i === own ? activeId : list[i]!);
  switch (arrow) {
    case "down":
      return index < list.length - 1 ? inOwnStage(index + 1) : WON;
    case "up":
      return index > 0 ? inOwnStage(index - 1) : null;
    case "left":
    case "right": {
      const next = layout.stageIds[layout.stageIds.indexOf(stage) + (arrow === "right" ? 1 : -1)];
      if (next === undefined) return null;
      const cards = layout.cards[next] ?? [];
      return index < cards.length ? cards[index]! : next;
    }
  }
}

/**
 * Where a deal over `overId` would land in a stage whose loaded cards are `stageCards`: its 1-based position and the
 * number of deals the stage would then hold. `stageCount` is the stage's count on the board (all its deals, loaded
 * or not: a column shows its first cards and loads the rest as it is scrolled); it includes the deal when the deal
 * started in this stage.
 */
export function landingPosition(stageCards: readonly string[], activeId: string, overId: string, stageCount: number, startedHere: boolean): { position: number; count: number } {
  const own = stageCards.indexOf(activeId);
  const overIndex = overId === activeId ? own : stageCards.indexOf(overId);
  const index =
    own < 0
      ? overIndex >= 0 ? overIndex : stageCards.length // not moved in yet: put before the card it is over, or at the end
      : overIndex >= 0 ? overIndex : own;
  const loaded = stageCards.length + (own < 0 ? 1 : 0);
  return { position: index + 1, count: Math.max(stageCount + (startedHere ? 0 : 1), loaded) };
}
