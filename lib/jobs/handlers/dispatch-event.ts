import { dispatchEvent } from "../../events/dispatch";
import { PermanentJobError, type JobHandler } from "../types";

/** `dispatch-event` { eventId }: one per domain event, enqueued with it; starts the workflow runs it causes. */
export const dispatchEventJob: JobHandler = {
  async run({ db, job, now }) {
    const eventId = Number(job.payload.eventId);
    if (!Number.isSafeInteger(eventId)) throw new PermanentJobError("payload has no eventId");
    await dispatchEvent(db, now, eventId);
  },
};
