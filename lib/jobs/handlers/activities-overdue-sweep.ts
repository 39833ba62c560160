import { emitOverdueActivities } from "../../activities/events";
import type { JobHandler } from "../types";

/** `activities-overdue-sweep` (every minute): records "activity became overdue" events (once per due time). */
export const activitiesOverdueSweepJob: JobHandler = {
  async run({ db, now }) {
    await emitOverdueActivities(db, now);
  },
};
