import type { JobHandlers } from "../jobs/types";
import { PermanentJobError } from "../jobs/types";
import { deliverMessage, failDelivery, runResume, runSequenceStep, runStopSweep } from "./runner";

function text(payload: Record<string, unknown>, key: string): string {
  const value = payload[key];
  if (typeof value !== "string" || !value) throw new PermanentJobError(`payload needs ${key}`);
  return value;
}
function int(payload: Record<string, unknown>, key: string): number {
  const value = Number(payload[key]);
  if (!Number.isInteger(value) || value < 0) throw new PermanentJobError(`payload needs ${key}`);
  return value;
}

/** The sequence job kinds (see lib/sequences/runner.ts for what each does and why it is safe to repeat). */
export const sequenceJobHandlers: JobHandlers = {
  "sequence-step": {
    async run({ db, job, now }) {
      await runSequenceStep(db, now, { enrollmentId: text(job.payload, "enrollmentId"), step: int(job.payload, "step"), generation: int(job.payload, "generation") });
    },
  },
  "sequence-deliver": {
    transactional: false,
    async run({ db, job, now }) {
      await deliverMessage(db, now, text(job.payload, "messageId"));
    },
    async onDead({ db, job }, error) {
      await failDelivery(db, text(job.payload, "messageId"), error);
    },
  },
  "sequence-resume": {
    async run({ db, job, now }) {
      await runResume(db, now, { enrollmentId: text(job.payload, "enrollmentId"), generation: int(job.payload, "generation") });
    },
  },
  "sequence-stops": {
    async run({ db, now }) {
      await runStopSweep(db, now);
    },
  },
};
