import { runDigests } from "../../activities/reminders";
import { sendMail } from "../../mail/send";
import type { JobHandler } from "../types";

/**
 * `activity-digests` (every 5 minutes): the 08:00 morning digest email of each user who wants one, in their
 * time zone. Not transactional (it sends email); runDigests claims one row per user and day, so it is sent once.
 */
export const activityDigestsJob: JobHandler = {
  transactional: false,
  async run({ db, now }) {
    await runDigests(db, now, (mail) => sendMail(mail));
  },
};
