import { z } from "../validation";
import { collectCustom, customInputSchema } from "../deals/schema";

/** Optional free text from a form: trimmed; "" / null / missing → null. */
export const optionalText = (max: number) =>
  z
    .union([z.null(), z.string().trim().max(max)])
    .optional()
    .transform((v) => (v ? v : null));

/**
 * An owner picked in a form. Missing (not sent) → undefined, which the command reads as "the caller";
 * "" or null → null (unassigned); otherwise a uuid the command checks is a member of the workspace.
 */
export const ownerIdField = z
  .union([z.literal(""), z.null(), z.uuid()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v || null));

/**
 * A company's web domain, normalised: "https://www.Acme.com/about" → "acme.com". Empty → null.
 * Only the host is kept; anything that is not a plausible host name is refused.
 */
export const domainField = z
  .union([z.null(), z.string().trim().max(253)])
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const host = v
      .toLowerCase()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
      .replace(/[/?#].*$/, "")
      .replace(/:\d+$/, "")
      .replace(/^www\./, "")
      .replace(/\.$/, "");
    if (!/^(?=.{1,253}$)([a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff]{2,63}$/.test(host)) {
      ctx.issues.push({ code: "custom", message: "errors.invalidDomain", input: v });
      return z.NEVER;
    }
    return host;
  });

export const companyFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  domain: domainField,
  phone: optionalText(50),
  address: optionalText(500),
  ownerId: ownerIdField,
  /** Custom field values by key (forms post "custom.<key>"); checked against the workspace's fields in the command. */
  custom: customInputSchema,
});

export const createCompanySchema = z.preprocess(collectCustom, companyFieldsSchema);
export type CreateCompanyInput = z.input<typeof companyFieldsSchema>;
export type CreateCompanyData = z.output<typeof companyFieldsSchema>;

/** Full update: the edit form sends every field (custom fields not sent keep their values). */
const updateCompanyFields = companyFieldsSchema.extend({ companyId: z.uuid() });
export const updateCompanySchema = z.preprocess(collectCustom, updateCompanyFields);
export type UpdateCompanyData = z.output<typeof updateCompanyFields>;

export const companyIdSchema = z.object({ companyId: z.uuid() });

export const sortDirs = ["asc", "desc"] as const;
export type SortDir = (typeof sortDirs)[number];

/** A custom field's key as it appears in URLs ("cf.<key>", "sort=cf.<key>", "cols=a,b"). Keys are ASCII snake case. */
const CUSTOM_KEY = /^[a-z0-9_]{1,60}$/;
/** Sorting by a custom field: "cf.<key>". */
export type CustomSort = `cf.${string}`;
export const customSortSchema = z
  .string()
  .regex(/^cf\.[a-z0-9_]{1,60}$/)
  .transform((v) => v as CustomSort);

/**
 * The custom-field part of a list URL: `cf.<key>=<value>` equality filters (gathered into `cf`) and the
 * custom columns shown (`cols=key1,key2`). Keys are only shape-checked here; the list query ignores keys the
 * workspace has no active field for, like any other stale parameter.
 */
export const customListParams = {
  cf: z.record(z.string().regex(CUSTOM_KEY), z.string().trim().min(1).max(200)).optional().catch(undefined),
  cols: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => {
      const keys = [...new Set((Array.isArray(v) ? v : v.split(",")).map((k) => k.trim()).filter((k) => CUSTOM_KEY.test(k)))].slice(0, 20);
      return keys.length ? keys : undefined;
    })
    .optional()
    .catch(undefined),
};

/** Gathers `cf.<key>` search params into one `cf` object (empty values and malformed keys dropped) before the list schema parses. */
export function collectListCustom(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  const given = (input as { cf?: unknown }).cf;
  const cf: Record<string, unknown> = given && typeof given === "object" && !Array.isArray(given) ? { ...given } : {};
  for (const [k, v] of Object.entries(input)) {
    if (k.startsWith("cf.")) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === "string" && value.trim() !== "" && CUSTOM_KEY.test(k.slice(3))) cf[k.slice(3)] = value;
    } else if (k !== "cf") out[k] = v;
  }
  if (Object.keys(cf).length) out.cf = cf;
  return out;
}

export const companySortKeys = ["name", "created", "contacts", "deals"] as const;
export type CompanySort = (typeof companySortKeys)[number] | CustomSort;

/**
 * The list page's URL state (?q=&owner=&sort=&dir=&page=&cf.<key>=&cols=). Anything malformed is ignored
 * rather than refused, so a hand-edited or stale link still opens the list.
 */
export const companyListParamsSchema = z.preprocess(
  collectListCustom,
  z.object({
    q: z.string().trim().max(200).optional().catch(undefined),
    owner: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().catch(undefined),
    sort: z.union([z.enum(companySortKeys), customSortSchema]).optional().catch(undefined),
    dir: z.enum(sortDirs).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
    ...customListParams,
  }),
);
export type CompanyListParams = z.output<typeof companyListParamsSchema>;

export const pickerQuerySchema = z.object({ q: z.string().trim().max(200).optional().default("") });
