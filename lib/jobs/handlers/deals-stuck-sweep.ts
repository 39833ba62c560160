import { emitStuckDeals } from "../../events/sweeps";
import type { JobHandler } from "../types";

/** `deals-stuck-sweep` (every 5 minutes): records "deal became stuck" events (deduplicated per stay). */
export const dealsStuckSweepJob: JobHandler = {
  async run({ db, now }) {
    await emitStuckDeals(db, now);
  },
};
