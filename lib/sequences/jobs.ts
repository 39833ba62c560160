import { and, eq, gt } from "drizzle-orm";
import { messages } from "@/db/schema";
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
      const messageId = text(job.payload, "messageId");
      if ((await deliverMessage(db, now, messageId)) !== "not_claimed") return;
      // Still "sending" under a live claim: the runner that claimed it died (or stalled) and this job was taken
      // over when the job's lease ran out, which can be before the message's own lease does. Retry (backoff)
      // rather than end the job, or the message would stay "sending" with nothing left to deliver it.
      const [held] = await db
        .select({ until: messages.claimedUntil })
        .from(messages)
        .where(and(eq(messages.id, messageId), eq(messages.status, "sending"), gt(messages.claimedUntil, now)));
      if (held) throw new Error(`message is claimed by another delivery until ${held.until!.toISOString()}; retrying after that`);
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
