import { and, asc, eq, isNull } from "drizzle-orm";
import { memberships, pipelines, stages, workflows } from "@/db/schema";
import type { Db } from "@/db/types";
import { workflowSchema } from "./schema";

/**
 * The demo workspace's example workflow: "When a deal moves to Demo (first pipeline), create a call activity
 * for the deal owner due in 1 day", enabled from `now` (so the seeded history does not trigger it) and owned by
 * the workspace's first owner. Does nothing when the pipeline has no stage named Demo.
 */
export async function seedDemoWorkflows(db: Db, workspaceId: string, now: Date): Promise<void> {
  const [pipeline] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), isNull(pipelines.archivedAt)))
    .orderBy(asc(pipelines.position), asc(pipelines.createdAt))
    .limit(1);
  if (!pipeline) return;
  const [demo] = await db
    .select({ id: stages.id })
    .from(stages)
    .where(and(eq(stages.pipelineId, pipeline.id), eq(stages.name, "Demo")));
  const [owner] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!demo || !owner) return;
  const example = workflowSchema.parse({
    name: "Call after the demo",
    enabled: true,
    trigger: { type: "deal.stage_changed", pipelineId: pipeline.id, stageId: demo.id },
    conditions: { match: "all", rules: [] },
    actions: [{ type: "create_activity", activityType: "call", subject: "Follow-up call after the demo", assignTo: "deal_owner", dueIn: 1, dueUnit: "days" }],
  });
  await db.insert(workflows).values({
    workspaceId,
    name: example.name,
    enabled: true,
    enabledAt: now,
    trigger: example.trigger,
    conditions: example.conditions,
    actions: example.actions,
    createdBy: owner.userId,
    updatedBy: owner.userId,
    createdAt: now,
    updatedAt: now,
  });
}
