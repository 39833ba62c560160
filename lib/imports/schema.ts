import { z } from "../validation";
import { importKinds } from "./fields";

export const importKindSchema = z.enum(importKinds);
export const dateFormatSchema = z.enum(["ymd", "dmy", "mdy"]);

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

/**
 * The mapping step's form: one `col<i>` per column (a field name or "" to ignore it) and the options. Sent as
 * FormData by the page, or as an object with `mapping` by tests.
 */
export const saveMappingSchema = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== "object") return raw;
    const input = raw as Record<string, unknown>;
    if (Array.isArray(input.mapping)) return input;
    const mapping: (string | null)[] = [];
    for (const [key, value] of Object.entries(input)) {
      const m = /^col(\d{1,3})$/.exec(key);
      if (m) mapping[Number(m[1])] = typeof value === "string" && value ? value : null;
    }
    return { ...input, mapping: Array.from(mapping, (v) => v ?? null) };
  },
  z.object({
    importId: z.uuid(),
    mapping: z.array(z.string().max(40).nullable()).min(1).max(200),
    createMissing: checkbox,
    updateExisting: checkbox,
    dateFormat: dateFormatSchema.catch("ymd"),
  }),
);
export type SaveMappingInput = z.output<typeof saveMappingSchema>;

export const startImportSchema = z.object({ importId: z.uuid(), skipInvalid: checkbox });
export const importIdSchema = z.object({ importId: z.uuid() });
