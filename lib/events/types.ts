/**
 * The domain events workflows (and scoring rules) can listen to. Written to `domain_events` in the transaction of
 * the change that causes them (lib/events/emit.ts), dispatched by the `dispatch-event` job.
 */
export const eventTypes = [
  "deal.created",
  "deal.stage_changed",
  "deal.won",
  "deal.lost",
  "deal.reopened",
  /** Once per saved change of a deal (not once per field): data.fields lists what changed. */
  "deal.field_changed",
  /** A deal stayed in its stage longer than the stage's rotting days (detected by a sweep, once per stay). */
  "deal.stuck",
  "contact.created",
  /** A meeting was booked with the contact: an activity of type meeting created for them (or for their deal). */
  "contact.meeting_booked",
  /** Subject: the activity (data: activityId, activityType, dealId, contactId, assigneeId, pipelineId/stageId of its deal). */
  "activity.created",
  "activity.completed",
  /** An open activity passed its due time (detected by a sweep, once per due time). */
  "activity.overdue",
  /** Sequences (data: sequenceId, enrollmentId, messageId): a person answered a sequence email / SMS. */
  "contact.email_replied",
  "contact.sms_replied",
  /** A sequence email bounced (delivery-status notification). */
  "contact.email_bounced",
  /** The contact unsubscribed (one-click link or SMS STOP). */
  "contact.unsubscribed",
  /** A contact's lead score reached the workspace's "hot" threshold from below (data: from, to, threshold). */
  "contact.score_crossed",
] as const;
export type EventType = (typeof eventTypes)[number];

export type SubjectType = "deal" | "contact" | "activity";

export const subjectTypeOf = (type: EventType): SubjectType => (type.startsWith("contact.") ? "contact" : type.startsWith("activity.") ? "activity" : "deal");

/**
 * How far an automated change is from the person's change that started it. An event of depth ≥ this triggers
 * no workflow: person → workflow → workflow → workflow, then the cascade stops.
 */
export const MAX_AUTOMATION_DEPTH = 3;

/** Carried in a workflow's ctx while it acts, so the events its changes cause know where they come from. */
export type AutomationCause = {
  /** Depth of the event that triggered the acting run. */
  depth: number;
  /** The runs that led here, as "<workflowId>:<subjectId>", including the acting one. */
  chain: string[];
};

/** A loop link: this workflow already acted on this record further up the chain. */
export const chainLink = (workflowId: string, subjectId: string) => `${workflowId}:${subjectId}`;
