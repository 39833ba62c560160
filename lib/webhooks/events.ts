/**
 * The events a webhook subscription can ask for, and the domain events (lib/events/types.ts) each one comes
 * from. `deal.deleted` and `contact.updated` have no domain event: their commands enqueue them directly.
 */
export const webhookEvents = [
  "deal.created",
  "deal.updated",
  "deal.moved",
  "deal.won",
  "deal.lost",
  "deal.deleted",
  "contact.created",
  "contact.updated",
  "activity.created",
  "activity.completed",
  "enrollment.stopped",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** Domain event type → webhook event. A reopened deal is an update; unmapped domain events send nothing. */
export const webhookEventOfDomainEvent: Record<string, WebhookEvent> = {
  "deal.created": "deal.created",
  "deal.field_changed": "deal.updated",
  "deal.reopened": "deal.updated",
  "deal.stage_changed": "deal.moved",
  "deal.won": "deal.won",
  "deal.lost": "deal.lost",
  "contact.created": "contact.created",
  "activity.created": "activity.created",
  "activity.completed": "activity.completed",
  "enrollment.stopped": "enrollment.stopped",
};

export type WebhookSubject = { type: "deal" | "contact" | "activity" | "enrollment"; id: string };

export const subjectOfWebhookEvent = (event: WebhookEvent): WebhookSubject["type"] => event.split(".")[0] as WebhookSubject["type"];
