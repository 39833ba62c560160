import { failWorkflowStep, runWorkflowStep } from "../../workflows/run-step";
import { PermanentJobError, type JobHandler } from "../types";

function parse(payload: Record<string, unknown>) {
  const runId = String(payload.runId ?? "");
  const step = Number(payload.step);
  if (!runId || !Number.isInteger(step) || step < 0) throw new PermanentJobError("payload needs runId and step");
  const wake: "time" | "event" | undefined = payload.wake === "time" ? "time" : payload.wake === "event" ? "event" : undefined;
  return { runId, step, wake };
}

/**
 * `workflow-step` { runId, step, wake? }: performs one step of a workflow run (with `wake`: ends the wait the
 * run sits on, because its time came or the awaited event happened). Not wrapped in the runner's
 * transaction because a webhook must not hold one open; the step is idempotent through the run's cursor.
 */
export const workflowStepJob: JobHandler = {
  transactional: false,
  async run({ db, job, now }) {
    const { runId, step, wake } = parse(job.payload);
    await runWorkflowStep(db, now, runId, step, job.attempts, wake);
  },
  async onDead({ db, job, now }, error) {
    const { runId, step } = parse(job.payload);
    await failWorkflowStep(db, now, runId, step, error, job.attempts);
  },
};
