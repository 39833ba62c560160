import { fireWhenQuiet } from "../../workflows/start";
import { PermanentJobError, type JobHandler } from "../types";

/** `workflow-quiet` { workflowId, eventId }: a trigger's quiet period ended; fires unless a later event came. */
export const workflowQuietJob: JobHandler = {
  async run({ db, job, now }) {
    const workflowId = String(job.payload.workflowId ?? "");
    const eventId = Number(job.payload.eventId);
    if (!workflowId || !Number.isSafeInteger(eventId)) throw new PermanentJobError("payload needs workflowId and eventId");
    await fireWhenQuiet(db, workflowId, eventId, now);
  },
};
