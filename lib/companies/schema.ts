import { z } from "../validation";

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
});

export const createCompanySchema = companyFieldsSchema;
export type CreateCompanyInput = z.input<typeof createCompanySchema>;
export type CreateCompanyData = z.output<typeof createCompanySchema>;

/** Full update: the edit form sends every field. */
export const updateCompanySchema = companyFieldsSchema.extend({ companyId: z.uuid() });
export type UpdateCompanyData = z.output<typeof updateCompanySchema>;

export const companyIdSchema = z.object({ companyId: z.uuid() });

export const companySortKeys = ["name", "created", "contacts", "deals"] as const;
export type CompanySort = (typeof companySortKeys)[number];
export const sortDirs = ["asc", "desc"] as const;
export type SortDir = (typeof sortDirs)[number];

/**
 * The list page's URL state (?q=&owner=&sort=&dir=&page=). Anything malformed is ignored rather than
 * refused, so a hand-edited or stale link still opens the list.
 */
export const companyListParamsSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  owner: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().catch(undefined),
  sort: z.enum(companySortKeys).optional().catch(undefined),
  dir: z.enum(sortDirs).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});
export type CompanyListParams = z.output<typeof companyListParamsSchema>;

export const pickerQuerySchema = z.object({ q: z.string().trim().max(200).optional().default("") });
