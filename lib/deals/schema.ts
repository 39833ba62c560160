import { z } from "../validation";
import type { CustomFilter } from "../custom-fields/filters";
import { builtInActivityTypes } from "../activities/schema";

const optionalId = z
  .union([z.literal(""), z.null(), z.uuid()])
  .optional()
  .transform((v) => (v ? v : null));
const optionalText = (max: number) =>
  z
    .union([z.null(), z.string().trim().max(max)])
    .optional()
    .transform((v) => (v ? v : null));
const isoDate = z
  .union([z.literal(""), z.null(), z.iso.date("errors.invalidDate")])
  .optional()
  .transform((v) => (v ? v : null));
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "errors.invalidCurrency");
/** The amount as typed (major units, "1234.50"); converted to minor units with the currency in the command. */
const amount = z.union([z.string().trim().max(30), z.number()]).optional().transform((v) => (v === undefined ? "" : String(v)));

/** Custom field values by key; their types are checked against the workspace's definitions in the command. */
export const customInputSchema = z.record(z.string().max(60), z.unknown()).optional();

/**
 * Form posts name custom inputs "custom.<key>"; the API sends `custom: { key: value }`. Either way the schema
 * sees one `custom` object.
 */
export function collectCustom(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = { ...((input as { custom?: Record<string, unknown> }).custom ?? {}) };
  for (const [k, v] of Object.entries(input)) {
    if (k.startsWith("custom.")) custom[k.slice(7)] = v;
    else if (k !== "custom") out[k] = v;
  }
  if (Object.keys(custom).length) out.custom = custom;
  return out;
}

export const dealFieldsSchema = z.object({
  title: z.string().trim().min(1).max(200),
  value: amount,
  currency: currencySchema.optional(),
  ownerId: optionalId,
  contactId: optionalId,
  companyId: optionalId,
  expectedCloseDate: isoDate,
  source: optionalText(80),
  notes: optionalText(10_000),
  custom: customInputSchema,
});

export const createDealSchema = z.preprocess(collectCustom, dealFieldsSchema.extend({
  pipelineId: z.uuid(),
  stageId: z.uuid(),
  /** Optional: create the contact / company on the fly from the deal form. */
  newContactName: optionalText(120),
  newContactEmail: z
    .union([z.literal(""), z.null(), z.email("errors.invalidEmail")])
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null)),
  newCompanyName: optionalText(200),
}));
export type CreateDealInput = z.output<typeof createDealSchema>;

/** Partial update: only the fields present are changed (inline edits send one field). */
export const updateDealSchema = z.preprocess(collectCustom, dealFieldsSchema.partial().extend({ dealId: z.uuid() }));
export type UpdateDealInput = z.output<typeof updateDealSchema>;

export const moveDealSchema = z.object({
  dealId: z.uuid(),
  toStageId: z.uuid(),
  /** Neighbours in the target column after the drop (null: top / bottom). */
  beforeId: z.uuid().nullable().optional(),
  afterId: z.uuid().nullable().optional(),
  /** Fields filled in on the way, when the target stage requires them (applied in the same transaction). */
  fill: z.preprocess(collectCustom, dealFieldsSchema.omit({ title: true }).partial()).optional(),
});
export type MoveDealInput = z.output<typeof moveDealSchema>;

export const dealIdSchema = z.object({ dealId: z.uuid() });
export const markLostSchema = z.object({ dealId: z.uuid(), lostReason: z.string().trim().min(1).max(200) });

export const dealStatusFilter = z.enum(["open", "won", "lost", "all"]);
const instant = z.iso.datetime({ offset: true }).optional().catch(undefined);
const flag = z.preprocess((v) => v === true || v === "1" || v === "true" || undefined, z.literal(true).optional()).catch(undefined);

export const dealFiltersSchema = z.object({
  /** "me", a member's id, or "none" (deals without an owner). */
  owner: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().catch(undefined),
  status: dealStatusFilter.optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  closeFrom: z.iso.date().optional().catch(undefined),
  closeTo: z.iso.date().optional().catch(undefined),
  stuck: z.preprocess((v) => v === true || v === "1" || v === "true" || undefined, z.literal(true).optional()).catch(undefined),
  // Drill-down filters the reports link with (every figure opens the deals behind it).
  stage: z.uuid().optional().catch(undefined),
  source: z.string().trim().min(1).max(200).optional().catch(undefined),
  lostReason: z.string().trim().min(1).max(200).optional().catch(undefined),
  currency: z.string().regex(/^[A-Z]{3}$/).optional().catch(undefined),
  /** Closed (won/lost) in [closedFrom, closedTo): instants. */
  closedFrom: z.iso.datetime({ offset: true }).optional().catch(undefined),
  closedTo: z.iso.datetime({ offset: true }).optional().catch(undefined),
  /** Created in [createdFrom, createdTo): instants. */
  createdFrom: z.iso.datetime({ offset: true }).optional().catch(undefined),
  createdTo: z.iso.datetime({ offset: true }).optional().catch(undefined),
  /** Open at this instant: created before it, and still open or won/lost at or after it (the review's open deals at a period's end). */
  openAt: instant,
  /** Entered stage `enteredStage` in [enteredFrom, enteredTo) (from the deal history). */
  enteredStage: z.uuid().optional().catch(undefined),
  enteredFrom: z.iso.datetime({ offset: true }).optional().catch(undefined),
  enteredTo: z.iso.datetime({ offset: true }).optional().catch(undefined),
  /** With enteredStage: only deals that went on after that entry — won, or moved into a later stage (stage conversion). */
  advanced: flag,
  /** Deals whose contact was created in [contactCreatedFrom, contactCreatedTo): instants (lead-to-customer conversion). */
  contactCreatedFrom: z.iso.datetime({ offset: true }).optional().catch(undefined),
  contactCreatedTo: z.iso.datetime({ offset: true }).optional().catch(undefined),
  /** Deals without a source (the reports' "no source" rows). */
  noSource: flag,
  /**
   * Left stage `leftStage` in [leftFrom, leftTo): a completed stay ended then — a stage_changed event out of it, or a
   * won/lost event in it — after an entry recorded in the history (time in stage, docs/metrics.md).
   */
  leftStage: z.uuid().optional().catch(undefined),
  leftFrom: instant,
  leftTo: instant,
  /**
   * Deals an enrollment in sequence `sequence` made in [enrolledFrom, enrolledTo) led to: the enrolled deal, or a deal
   * of the enrolled contact, closed after the enrollment (the strategy comparison's sequence rows).
   */
  sequence: z.uuid().optional().catch(undefined),
  enrolledFrom: instant,
  enrolledTo: instant,
  /** The type of the deal's first completed activity: a built-in type, a custom type's id, or "none" (no activity done). */
  firstTouch: z.union([z.literal("none"), z.enum(builtInActivityTypes), z.uuid()]).optional().catch(undefined),
  /** Deals without an expected close date (the forecast's undated deals). */
  noClose: flag,
  /** Deals whose expected close date was pushed back (a later date than before) at least this many times. */
  slipped: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
  /** Open deals with no open activity scheduled. */
  noNext: z.preprocess((v) => v === true || v === "1" || v === "true" || undefined, z.literal(true).optional()).catch(undefined),
  /** An explicit list of deal ids (comma-separated, at most 200), e.g. the deals a report flags. */
  ids: z
    .preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(z.uuid()).min(1).max(200).optional())
    .catch(undefined),
});
/** URL filters, plus custom-field filters read separately (their keys are the workspace's own). */
export type DealFilters = z.output<typeof dealFiltersSchema> & { custom?: CustomFilter[] };
