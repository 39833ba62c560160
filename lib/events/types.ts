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
  /** A contact's lead score reached the workspace's "hot" threshold from below (data: from, to, threshold). */
  "contact.score_crossed",
] as const;
export type EventType = (typeof eventTypes)[number];

export type SubjectType = "deal" | "contact";

export const subjectTypeOf = (type: EventType): SubjectType => (type.startsWith("contact.") ? "contact" : "deal");

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
