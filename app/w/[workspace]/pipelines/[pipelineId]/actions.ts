"use server";

import { workspaceAction } from "@/lib/actions";
import { listActivityTypes } from "@/lib/activities/queries";
import { localDay, safeTimeZone } from "@/lib/activities/time";
import { listCustomFields, toFieldDef } from "@/lib/custom-fields/queries";
import { getDealFormOptions, getPipeline } from "@/lib/deals/queries";
import { z } from "@/lib/validation";

/**
 * What the board's dialogs and menus pick from — members, sources, lost reasons, activity types, every deal
 * field — asked for when the user starts to interact (pointer over the board, focus, a drag), not sent in the
 * page: a workspace of 50 members put them in the board's HTML three times (issue #11's 60 KB budget).
 */
export const loadBoardOptionsAction = workspaceAction("deals.read", z.object({ pipelineId: z.uuid() }), async (ctx, input) => {
  const [deal, types, fields, pipeline] = await Promise.all([getDealFormOptions(ctx), listActivityTypes(ctx), listCustomFields(ctx, "deal"), getPipeline(ctx, input.pipelineId)]);
  return {
    /** The pipeline's stages, for the new-deal form (the columns have them too, but in another component). */
    stages: pipeline.stages.map((s) => ({ id: s.id, name: s.name })),
    members: deal.members,
    sources: deal.sources,
    lostReasons: deal.lostReasons,
    dealFields: fields.map(toFieldDef),
    activity: { members: deal.members, customTypes: types.map((t) => ({ id: t.id, label: t.label })), userId: ctx.userId, today: localDay(ctx.now, safeTimeZone(ctx.user.timeZone)).date },
  };
});
