import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { activityTypes, pipelines, sequences, stages } from "@/db/schema";
import type { Ctx } from "../context";
import type { DealFilters } from "./schema";

/**
 * The names behind the ids of a drill-down URL (stages, sequence, custom activity type), looked up in the caller's
 * workspace only: a foreign id has no name here (its filter also matches nothing).
 */
export async function dealFilterNames(ctx: Ctx, f: DealFilters) {
  const stageIds = [...new Set([f.stage, f.enteredStage, f.leftStage].filter((v): v is string => !!v))];
  const customTypeId = f.firstTouch && f.firstTouch.includes("-") ? f.firstTouch : null;
  const [stageRows, sequenceRows, typeRows] = await Promise.all([
    stageIds.length
      ? ctx.db
          .select({ id: stages.id, name: stages.name, pipeline: pipelines.name })
          .from(stages)
          .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId))
          .where(and(eq(stages.workspaceId, ctx.workspaceId), inArray(stages.id, stageIds)))
      : [],
    f.sequence ? ctx.db.select({ name: sequences.name }).from(sequences).where(and(eq(sequences.workspaceId, ctx.workspaceId), eq(sequences.id, f.sequence))) : [],
    customTypeId ? ctx.db.select({ label: activityTypes.label }).from(activityTypes).where(and(eq(activityTypes.workspaceId, ctx.workspaceId), eq(activityTypes.id, customTypeId))) : [],
  ]);
  return {
    stage: (id: string) => {
      const s = stageRows.find((r) => r.id === id);
      return s ? `${s.name} (${s.pipeline})` : null;
    },
    sequence: sequenceRows[0]?.name ?? null,
    customType: typeRows[0]?.label ?? null,
  };
}
