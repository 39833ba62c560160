import type { PeriodicJob } from "../schedule";
import type { JobHandlers } from "../types";
import { activitiesOverdueSweepJob } from "./activities-overdue-sweep";
import { activityDigestsJob } from "./activity-digests";
import { activityRemindersJob } from "./activity-reminders";
import { dealsStuckSweepJob } from "./deals-stuck-sweep";
import { dispatchEventJob } from "./dispatch-event";
import { pruneJobs } from "./prune-jobs";
import { scoringDecayJob } from "./scoring-decay";
import { workflowQuietJob } from "./workflow-quiet";
import { workflowStepJob } from "./workflow-step";
import { importJobHandlers } from "../../imports/jobs";
import { sequenceJobHandlers } from "../../sequences/jobs";
import { webhookJobHandlers } from "../../webhooks/jobs";
import { reportJobHandlers } from "../../reports/pack";

/** Every job kind the engine knows, with the file that runs it. */
export const jobHandlers: JobHandlers = {
  "dispatch-event": dispatchEventJob,
  "workflow-step": workflowStepJob,
  "workflow-quiet": workflowQuietJob,
  "activity-reminders": activityRemindersJob,
  "activity-digests": activityDigestsJob,
  "deals-stuck-sweep": dealsStuckSweepJob,
  "activities-overdue-sweep": activitiesOverdueSweepJob,
  "scoring-decay": scoringDecayJob,
  "prune-jobs": pruneJobs,
  // Big spreadsheet imports: "import-validate" (the preview check) and "import-run" (the import itself).
  ...importJobHandlers,
  // Sequences: "sequence-step", "sequence-deliver", "sequence-resume", "sequence-stops" (lib/sequences/runner.ts).
  ...sequenceJobHandlers,
  // Outgoing webhooks: "webhook-delivery" (one signed POST, retried) and "webhook-disabled-notice".
  ...webhookJobHandlers,
  // Reports: "report-month-start" (forecast snapshot + monthly pack jobs) and "report-pack" (one email with the XLSX).
  ...reportJobHandlers,
};

/** Engine-wide work enqueued by every tick for its current time slot. */
export const periodicJobs: PeriodicJob[] = [
  { kind: "activity-reminders", everyMs: 60_000 },
  { kind: "activity-digests", everyMs: 5 * 60_000 },
  { kind: "deals-stuck-sweep", everyMs: 5 * 60_000 },
  { kind: "activities-overdue-sweep", everyMs: 60_000 },
  { kind: "scoring-decay", everyMs: 3_600_000 },
  { kind: "prune-jobs", everyMs: 3_600_000 },
  { kind: "webhook-deliveries-prune", everyMs: 3_600_000 },
  { kind: "sequence-stops", everyMs: 60_000 },
  { kind: "report-month-start", everyMs: 3_600_000 },
];
