import type { WorkflowTrigger } from "@/lib/workflows/schema";

type T = (key: string, values?: Record<string, string | number>) => string;

/** "A deal moves to another stage · from Qualified · to Demo · in New business": a trigger in words. */
export function describeTrigger(t: T, trigger: WorkflowTrigger, names: { stages: Map<string, string>; pipelines: Map<string, string> }): string {
  const parts = [t(`triggers.${trigger.type.replace(".", "_")}`)];
  const stage = (id: string) => names.stages.get(id) ?? "?";
  if (trigger.fromStageId) parts.push(t("triggerFrom", { stage: stage(trigger.fromStageId) }));
  if (trigger.stageId) parts.push(t(trigger.type === "deal.stage_changed" ? "triggerTo" : "triggerIn", { stage: stage(trigger.stageId) }));
  if (trigger.pipelineId) parts.push(t("triggerPipeline", { pipeline: names.pipelines.get(trigger.pipelineId) ?? "?" }));
  if (trigger.field) parts.push(t("triggerField", { field: t(`updatedFields.${trigger.field}`) }));
  return parts.join(" · ");
}
