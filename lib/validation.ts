import { z } from "zod";

/**
 * Every validation message is an i18n key under "errors" (the form translates it), so zod's English defaults
 * never reach a zh-CN user. Schemas may still pass their own key (e.g. "errors.invalidEmail").
 */
z.config({
  customError: (issue) => {
    switch (issue.code) {
      case "too_small":
        return issue.origin === "string" && issue.minimum === 1 ? "errors.required" : "errors.tooSmall";
      case "too_big":
        return "errors.tooBig";
      case "invalid_format":
        // an empty choice ("Choose…") or field where an id, a date, an email… is needed: it is missing, not malformed
        if (issue.input === "") return "errors.required";
        return issue.format === "email" ? "errors.invalidEmail" : issue.format === "url" ? "errors.invalidUrl" : "errors.invalid";
      case "invalid_type":
        return issue.input === undefined || issue.input === null || issue.input === "" ? "errors.required" : "errors.invalid";
      default:
        return "errors.invalid";
    }
  },
});

export { z };

export type FieldErrors = Record<string, string[]>;

/** Flattens a zod error into { field: [i18n keys] } for the form (nested paths joined with dots). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** FormData → plain object; repeated keys become arrays; empty File inputs are dropped. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value !== "string" && value.size === 0) continue;
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
