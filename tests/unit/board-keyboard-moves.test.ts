import { describe, expect, it } from "vitest";
import { landingPosition, LOST, nextKeyboardTarget, WON, type BoardLayout } from "@/app/w/[workspace]/pipelines/[pipelineId]/_components/keyboard-moves";

// A board of three stages: "lead" with five deals, "qualified" with two, "demo" empty.
const layout: BoardLayout = {
  stageIds: ["lead", "qualified", "demo"],
  cards: { lead: ["l1", "l2", "l3", "l4", "l5"], qualified: ["q1", "q2"], demo: [] },
};
/** The board once the deal has been moved into another stage (board.tsx onDragOver), at `index`. */
const movedTo = (deal: string, stage: string, index: number): BoardLayout => {
  const cards = Object.fromEntries(Object.entries(layout.cards).map(([id, list]) => [id, list.filter((d) => d !== deal)]));
  cards[stage] = [...cards[stage]!.slice(0, index), deal, ...cards[stage]!.slice(index)];
  return { stageIds: layout.stageIds, cards };
};

describe("nextKeyboardTarget", () => {
  it("moves right to the next stage at the same position in one press, whatever the stage's length", () => {
    expect(nextKeyboardTarget(layout, "l1", "l1", "right")).toBe("q1"); // before q1: position 1
    expect(nextKeyboardTarget(layout, "l2", "l2", "right")).toBe("q2");
    expect(nextKeyboardTarget(layout, "l3", "l3", "right")).toBe("qualified"); // past its two deals: the end of the stage
  });

  it("moves to an empty stage's end and back left to where the deal was", () => {
    const inQualified = movedTo("l3", "qualified", 2);
    expect(nextKeyboardTarget(inQualified, "l3", "l3", "right")).toBe("demo");
    expect(nextKeyboardTarget(movedTo("l3", "demo", 0), "l3", "l3", "left")).toBe("q1");
    expect(nextKeyboardTarget(inQualified, "l3", "l3", "left")).toBe("l4"); // put before l4: position 3 again
  });

  it("moves up and down by one card within the stage, from wherever the deal is over", () => {
    expect(nextKeyboardTarget(layout, "l3", "l3", "down")).toBe("l4");
    expect(nextKeyboardTarget(layout, "l3", "l4", "down")).toBe("l5");
    expect(nextKeyboardTarget(layout, "l3", "l4", "up")).toBe("l3"); // back to its own place
    expect(nextKeyboardTarget(layout, "l3", "l3", "up")).toBe("l2");
    expect(nextKeyboardTarget(layout, "l1", "l1", "up")).toBeNull();
  });

  it("keeps the position a stage lower down when moving sideways after moving within a stage", () => {
    expect(nextKeyboardTarget(layout, "l1", "l2", "right")).toBe("q2"); // over l2: index 1
  });

  it("stops at the first and last stages", () => {
    expect(nextKeyboardTarget(layout, "l2", "l2", "left")).toBeNull();
    expect(nextKeyboardTarget(movedTo("l2", "demo", 0), "l2", "l2", "right")).toBeNull();
  });

  it("reaches Won below a stage's last deal, Lost right of it, and goes back up to where the deal was", () => {
    expect(nextKeyboardTarget(layout, "l5", "l5", "down")).toBe(WON);
    expect(nextKeyboardTarget(layout, "l3", "l5", "down")).toBe(WON);
    expect(nextKeyboardTarget(layout, "l3", WON, "right")).toBe(LOST);
    expect(nextKeyboardTarget(layout, "l3", LOST, "left")).toBe(WON);
    expect(nextKeyboardTarget(layout, "l3", WON, "left")).toBeNull();
    expect(nextKeyboardTarget(layout, "l3", WON, "down")).toBeNull();
    expect(nextKeyboardTarget(layout, "l3", LOST, "up", "l5")).toBe("l5");
    expect(nextKeyboardTarget(layout, "l3", WON, "up")).toBe("l3");
    expect(nextKeyboardTarget(layout, "l3", WON, "up", "gone")).toBe("l3"); // no longer on the board
  });

  it("stays when the deal is not on the board", () => {
    expect(nextKeyboardTarget(layout, "x", "x", "right")).toBeNull();
  });
});

describe("landingPosition", () => {
  it("counts the stage's deals, not the cards loaded so far", () => {
    // 5 of the stage's 14 deals loaded, the deal started here
    expect(landingPosition(["l1", "l2", "l3", "l4", "l5"], "l3", "l3", 14, true)).toEqual({ position: 3, count: 14 });
    expect(landingPosition(["l1", "l2", "l3", "l4", "l5"], "l3", "l5", 14, true)).toEqual({ position: 5, count: 14 });
  });

  it("counts the deal in a stage it has moved into", () => {
    expect(landingPosition(["q1", "l3", "q2"], "l3", "l3", 9, false)).toEqual({ position: 2, count: 10 });
    // announced before the move is applied: before the card it is over, or at the end of the stage
    expect(landingPosition(["q1", "q2"], "l3", "q2", 9, false)).toEqual({ position: 2, count: 10 });
    expect(landingPosition(["q1", "q2"], "l3", "qualified", 2, false)).toEqual({ position: 3, count: 3 });
  });

  it("never counts fewer deals than are on screen", () => {
    expect(landingPosition(["q1", "q2", "l3"], "l3", "l3", 0, false)).toEqual({ position: 3, count: 3 });
  });
});
