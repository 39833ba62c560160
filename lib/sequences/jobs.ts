import type { JobHandlers, JobRow } from "../jobs/types";
import { PermanentJobError } from "../jobs/types";
import { claimedElsewhere, deliverMessage, deliverMessages } from "./delivery";
import { failDelivery, runResume, runSequenceStep, runStopSweep } from "./runner";
import { runSequenceSteps, type StepPayload } from "./step-batch";

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
const stepPayload = (job: JobRow): StepPayload => ({ enrollmentId: text(job.payload, "enrollmentId"), step: int(job.payload, "step"), generation: int(job.payload, "generation") });

/** Steps rendered together in one transaction (lib/sequences/step-batch.ts). */
export const STEP_BATCH_SIZE = 500;
/** Messages sent together (lib/sequences/delivery.ts): claimed in one statement, sent concurrently. */
export const DELIVERY_BATCH_SIZE = 500;

/**
 * A delivery job whose message is still "sending" under another delivery's live claim: the runner that claimed
 * it died (or stalled) and this job was taken over when the job's lease ran out, which can be before the
 * message's own lease does. Retry (backoff) rather than end the job, or the message would stay "sending" with
 * nothing left to deliver it.
 */
const claimedError = (until: Date) => new Error(`message is claimed by another delivery until ${until.toISOString()}; retrying after that`);

/** The sequence job kinds (see lib/sequences/runner.ts for what each does and why it is safe to repeat). */
export const sequenceJobHandlers: JobHandlers = {
  "sequence-step": {
    async run({ db, job, now }) {
      await runSequenceStep(db, now, stepPayload(job));
    },
    // All or nothing in the batch's transaction; a batch that fails runs again one job at a time through `run`.
    async runBatch({ db, jobs, now }) {
      await runSequenceSteps(db, now, jobs.map(stepPayload));
    },
    batchSize: STEP_BATCH_SIZE,
  },
  "sequence-deliver": {
    transactional: false,
    async run({ db, job, now }) {
      const messageId = text(job.payload, "messageId");
      if ((await deliverMessage(db, now, messageId)) !== "not_claimed") return;
      const held = (await claimedElsewhere(db, now, [messageId])).get(messageId);
      if (held) throw claimedError(held);
    },
    async runBatch({ db, jobs, now }) {
      const failures = new Map<number, unknown>();
      const jobOf = new Map<string, JobRow>();
      for (const job of jobs) {
        try {
          const messageId = text(job.payload, "messageId");
          // One job per message (its idempotency key); should two ever meet, the second retries after this one.
          if (jobOf.has(messageId)) failures.set(job.id, new Error("another job of this batch delivers the same message"));
          else jobOf.set(messageId, job);
        } catch (error) {
          failures.set(job.id, error);
        }
      }
      const deliveries = await deliverMessages(db, now, [...jobOf.keys()]);
      const unclaimed = [...deliveries].filter(([, d]) => d.outcome === "not_claimed").map(([id]) => id);
      const held = await claimedElsewhere(db, now, unclaimed);
      for (const [messageId, d] of deliveries) {
        const job = jobOf.get(messageId)!;
        if (d.outcome === "retry") failures.set(job.id, d.error);
        else if (held.has(messageId)) failures.set(job.id, claimedError(held.get(messageId)!));
      }
      return failures;
    },
    batchSize: DELIVERY_BATCH_SIZE,
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
