import { runScoreDecay } from "../../scoring/decay";
import type { JobHandler } from "../types";

/** `scoring-decay` (hourly): takes the weekly inactivity decay off lead scores (each week once per contact). */
export const scoringDecayJob: JobHandler = {
  transactional: false,
  async run({ db, now }) {
    await runScoreDecay(db, now);
  },
};
