"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { createDeal, deleteDeal, markLost, markWon, moveDealQuick, reopenDeal, restoreDeal, updateDeal } from "@/lib/deals/commands";
import { listStageCards } from "@/lib/deals/queries";
import { createDealSchema, dealFiltersSchema, dealIdSchema, markLostSchema, moveDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { z } from "@/lib/validation";

// Deal mutations used by the board, the table, the deal page and lists. Each is a public endpoint:
// workspaceAction parses, authenticates and authorizes (NOT_FOUND for non-members) before the command runs.

const refresh = (slug: string) => revalidatePath(`/w/${slug}`, "layout");

export const createDealAction = workspaceAction("deals.write", createDealSchema, async (ctx, input) => {
  const deal = await createDeal(ctx, input);
  refresh(ctx.workspace.slug);
  return { id: deal.id };
});

export const updateDealAction = workspaceAction("deals.write", updateDealSchema, async (ctx, input) => {
  await updateDeal(ctx, input);
  refresh(ctx.workspace.slug);
});

// No revalidatePath here: it would re-render the whole board inside the action's response (14 more queries
// and the 10,000-deal render, issue #11). The board has already moved the card and recounts its columns; the
// deal page's stage bar and pipeline switch refresh their own page after the move.
export const moveDealAction = workspaceAction("deals.write", moveDealSchema, async (ctx, input) => {
  const { stageChanged } = await moveDealQuick(ctx, input);
  return { stageChanged };
});

export const markWonAction = workspaceAction("deals.write", dealIdSchema, async (ctx, { dealId }) => {
  await markWon(ctx, dealId);
  refresh(ctx.workspace.slug);
});

export const markLostAction = workspaceAction("deals.write", markLostSchema, async (ctx, { dealId, lostReason }) => {
  await markLost(ctx, dealId, lostReason);
  refresh(ctx.workspace.slug);
});

export const reopenDealAction = workspaceAction("deals.write", dealIdSchema, async (ctx, { dealId }) => {
  await reopenDeal(ctx, dealId);
  refresh(ctx.workspace.slug);
});

export const deleteDealAction = workspaceAction("deals.write", dealIdSchema, async (ctx, { dealId }) => {
  await deleteDeal(ctx, dealId);
  refresh(ctx.workspace.slug);
});

export const restoreDealAction = workspaceAction("deals.write", dealIdSchema, async (ctx, { dealId }) => {
  await restoreDeal(ctx, dealId);
  refresh(ctx.workspace.slug);
});

const moreCardsSchema = z.object({
  stageId: z.uuid(),
  offset: z.number().int().min(0),
  filters: dealFiltersSchema,
  /** The pipeline's card fields: the custom values a card shows (others are not sent). */
  customKeys: z.array(z.string().max(64)).max(20).optional(),
});

/** "Show more" in a board column: the next page of cards with the board's filters. */
export const loadMoreCardsAction = workspaceAction("deals.read", moreCardsSchema, async (ctx, input) =>
  listStageCards(ctx, input.stageId, input.filters, input.offset, undefined, input.customKeys),
);
