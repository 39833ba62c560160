/**
 * The record fields conditions can test, over the deal, its contact and its owner (for a contact event: the
 * contact and the contact's owner). Pure data shared by the builder, the validator and the evaluator.
 */
export type FieldType = "text" | "number" | "date" | "enum" | "pipeline" | "stage" | "user" | "multi";

export const conditionFields = {
  "deal.title": { type: "text" },
  "deal.value": { type: "number" },
  "deal.currency": { type: "text" },
  "deal.status": { type: "enum", options: ["open", "won", "lost"] },
  "deal.pipelineId": { type: "pipeline" },
  "deal.stageId": { type: "stage" },
  "deal.source": { type: "text" },
  "deal.expectedCloseDate": { type: "date" },
  "deal.lostReason": { type: "text" },
  "contact.firstName": { type: "text" },
  "contact.lastName": { type: "text" },
  "contact.email": { type: "text" },
  "contact.phone": { type: "text" },
  "contact.title": { type: "text" },
  "contact.lifecycle": { type: "enum", options: ["lead", "qualified", "customer"] },
  "contact.source": { type: "text" },
  "contact.score": { type: "number" },
  "activity.type": { type: "text" },
  "activity.subject": { type: "text" },
  "activity.assigneeId": { type: "user" },
  "owner.id": { type: "user" },
  "owner.name": { type: "text" },
  "owner.email": { type: "text" },
} as const satisfies Record<string, { type: FieldType; options?: readonly string[] }>;

export type ConditionField = keyof typeof conditionFields;
export const conditionFieldKeys = Object.keys(conditionFields) as ConditionField[];

export const conditionOps = ["eq", "neq", "gt", "lt", "contains", "empty", "not_empty"] as const;
export type ConditionOp = (typeof conditionOps)[number];

/** Operators that take no value. */
export const unaryOps: readonly ConditionOp[] = ["empty", "not_empty"];

/** Which operators make sense for a field type (the builder offers only these; the validator enforces them). */
export function opsFor(type: FieldType): readonly ConditionOp[] {
  switch (type) {
    case "text":
      return ["eq", "neq", "contains", "empty", "not_empty"];
    case "number":
    case "date":
      return ["eq", "neq", "gt", "lt", "empty", "not_empty"];
    case "multi":
      return ["contains", "empty", "not_empty"];
    default:
      return ["eq", "neq", "empty", "not_empty"];
  }
}

export const fieldType = (field: ConditionField): FieldType => conditionFields[field].type;

// ── Custom fields ("deal.custom.<key>", "contact.custom.<key>") ────────────────────────────────────────────────

/** A custom field as a condition or "update field" target names it. */
export const CUSTOM_FIELD_PATH = /^(deal|contact)\.custom\.([a-z][a-z0-9_]{0,62})$/;
export const isCustomPath = (field: string) => CUSTOM_FIELD_PATH.test(field);
export const customPath = (entity: "deal" | "contact", key: string) => `${entity}.custom.${key}`;

/** How conditions treat a custom field's type (money compares in major units; a checkbox is "true"/"false"). */
export function customConditionType(type: string): FieldType {
  switch (type) {
    case "number":
    case "money":
      return "number";
    case "date":
      return "date";
    case "single_select":
    case "checkbox":
      return "enum";
    case "multi_select":
      return "multi";
    case "user":
      return "user";
    default:
      return "text";
  }
}

/** i18n key of a field's label ("deal.value" → "fields.deal_value"). */
export const fieldLabelKey = (field: string) => `fields.${field.replace(".", "_")}`;

/** Deal fields an "update a field" action may set, and their types. */
export const updatableFields = {
  "deal.title": "text",
  "deal.value": "number",
  "deal.expectedCloseDate": "date",
  "deal.source": "text",
  "contact.lifecycle": "enum",
  "contact.source": "text",
  "contact.title": "text",
} as const satisfies Partial<Record<ConditionField, FieldType>>;
export type UpdatableField = keyof typeof updatableFields;
export const updatableFieldKeys = Object.keys(updatableFields) as UpdatableField[];

export const actionTypes = ["create_activity", "update_field", "move_stage", "mark_won", "mark_lost", "change_owner", "adjust_score", "enroll_sequence", "send_email", "notify", "webhook"] as const;
/** Actions that need a deal: not offered for contact triggers. */
export const dealOnlyActions: readonly (typeof actionTypes)[number][] = ["move_stage", "mark_won", "mark_lost"];

/** Fields a "deal edited" trigger can be narrowed to (the keys updateDeal reports as changed). */
export const dealChangeFields = ["title", "value", "currency", "ownerId", "expectedCloseDate", "contactId", "companyId", "source", "notes"] as const;
