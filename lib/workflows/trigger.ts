import type { WorkflowTrigger } from "./schema";

/** The parts of an event a trigger can be narrowed by (see the data written by lib/events/emit callers). */
export type TriggerEvent = { type: string; data: Record<string, unknown> };

/**
 * Does this event fire the trigger? Same type, and each narrowing that is set matches: the deal's pipeline,
 * the stage (for a stage change: the stage it moved to), the stage it came from, the field that changed, the activity's type. Pure.
 */
export function triggerMatches(trigger: WorkflowTrigger, event: TriggerEvent): boolean {
  if (trigger.type !== event.type) return false;
  const data = event.data;
  if (trigger.pipelineId && data.pipelineId !== trigger.pipelineId) return false;
  if (trigger.stageId && (event.type === "deal.stage_changed" ? data.toStageId : data.stageId) !== trigger.stageId) return false;
  if (trigger.fromStageId && data.fromStageId !== trigger.fromStageId) return false;
  if (trigger.field && !(Array.isArray(data.fields) && data.fields.includes(trigger.field))) return false;
  if (trigger.activityType && data.activityType !== trigger.activityType) return false;
  return true;
}
