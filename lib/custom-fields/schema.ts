import { z } from "../validation";
import { currencySchema } from "../deals/schema";
import { customFieldTypes } from "./values";

export const entitySchema = z.enum(["deal", "contact", "company"]);
export type CustomFieldEntity = z.infer<typeof entitySchema>;

/** Select choices as typed in the settings form: one per line (or an array from the API). */
const optionLabels = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : (v ?? "").split("\n")).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(80)).max(100));

export const createFieldSchema = z.object({
  entity: entitySchema,
  label: z.string().trim().min(1).max(80),
  type: z.enum(customFieldTypes),
  options: optionLabels,
  currency: z.union([z.literal(""), currencySchema]).optional(),
});

export const updateFieldSchema = z.object({
  fieldId: z.uuid(),
  label: z.string().trim().min(1).max(80),
  options: optionLabels,
  currency: z.union([z.literal(""), currencySchema]).optional(),
});

export const changeFieldTypeSchema = z.object({ fieldId: z.uuid(), type: z.enum(customFieldTypes) });
export const fieldIdSchema = z.object({ fieldId: z.uuid() });
export const moveFieldSchema = z.object({ fieldId: z.uuid(), direction: z.enum(["up", "down"]) });
