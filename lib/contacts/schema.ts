import { z } from "../validation";
import { collectCustom, customInputSchema } from "../deals/schema";
import { collectListCustom, customListParams, customSortSchema, optionalText, ownerIdField, sortDirs, type CustomSort } from "../companies/schema";

export const lifecycles = ["lead", "qualified", "customer"] as const;
export type Lifecycle = (typeof lifecycles)[number];
export const lifecycleSchema = z.enum(lifecycles);

const optionalId = z
  .union([z.literal(""), z.null(), z.uuid()])
  .optional()
  .transform((v) => (v ? v : null));

/** Optional email, stored lower-case (uniqueness per workspace is case-insensitive). "" → null. */
const optionalEmail = z
  .preprocess(
    (v) => (typeof v === "string" ? v.trim() || null : v),
    z.string().toLowerCase().max(254).pipe(z.email("errors.invalidEmail")).nullable().optional(),
  )
  .transform((v) => v ?? null);

/** Optional IANA time zone ("Asia/Shanghai"); "" → null. Checked against the runtime's tz database. */
const optionalTimeZone = z
  .union([z.null(), z.string().trim().max(64)])
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    try {
      // Canonical spelling ("asia/shanghai" → "Asia/Shanghai").
      return new Intl.DateTimeFormat("en", { timeZone: v }).resolvedOptions().timeZone;
    } catch {
      ctx.issues.push({ code: "custom", message: "errors.invalidTimeZone", input: v });
      return z.NEVER;
    }
  });

export const contactFieldsSchema = z.object({
  firstName: z.string().trim().min(1).max(120),
  lastName: optionalText(120).transform((v) => v ?? ""),
  email: optionalEmail,
  phone: optionalText(50),
  title: optionalText(120),
  companyId: optionalId,
  /** Typed in the company picker when no existing company matched: created (or reused by name) with the contact. */
  newCompanyName: optionalText(200),
  ownerId: ownerIdField,
  lifecycle: z
    .union([z.literal(""), lifecycleSchema])
    .optional()
    .transform((v) => (v ? v : "lead" as const)),
  source: optionalText(80),
  timeZone: optionalTimeZone,
  /** Custom field values by key (forms post "custom.<key>"); checked against the workspace's fields in the command. */
  custom: customInputSchema,
});

export const createContactSchema = z.preprocess(collectCustom, contactFieldsSchema);
export type CreateContactInput = z.input<typeof contactFieldsSchema>;
export type CreateContactData = z.output<typeof contactFieldsSchema>;

/** Full update: the edit form sends every field (custom fields not sent keep their values). */
const updateContactFields = contactFieldsSchema.extend({ contactId: z.uuid() });
export const updateContactSchema = z.preprocess(collectCustom, updateContactFields);
export type UpdateContactData = z.output<typeof updateContactFields>;

export const contactIdSchema = z.object({ contactId: z.uuid() });

export const contactSortKeys = ["name", "created", "company", "lifecycle", "score"] as const;
export type ContactSort = (typeof contactSortKeys)[number] | CustomSort;

/**
 * The list page's URL state (?q=&owner=&lifecycle=&minScore=&sort=&dir=&page=&cf.<key>=&cols=). Malformed values are
 * ignored rather than refused, so a hand-edited or stale link still opens the list.
 */
export const contactListParamsSchema = z.preprocess(
  collectListCustom,
  z.object({
    q: z.string().trim().max(200).optional().catch(undefined),
    owner: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().catch(undefined),
    lifecycle: lifecycleSchema.optional().catch(undefined),
    /** Lead score at least this (the "Score" filter). */
    minScore: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
    sort: z.union([z.enum(contactSortKeys), customSortSchema]).optional().catch(undefined),
    dir: z.enum(sortDirs).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
    ...customListParams,
  }),
);
export type ContactListParams = z.output<typeof contactListParamsSchema>;

/** Full display name: "Ann Lee"; a contact with only a first name shows just that. */
export function contactName(c: { firstName: string; lastName: string | null }): string {
  return [c.firstName, c.lastName].filter(Boolean).join(" ");
}
