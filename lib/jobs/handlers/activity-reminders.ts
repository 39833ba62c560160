import { runReminders } from "../../activities/reminders";
import type { JobHandler } from "../types";

/** `activity-reminders` (every minute): the bell's reminders of due activities (keyed, so never doubled). */
export const activityRemindersJob: JobHandler = {
  transactional: false,
  async run({ db, now }) {
    await runReminders(db, now);
  },
};
