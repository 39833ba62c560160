import enErrors from "../i18n/messages/en/errors.json";
import enApi from "../i18n/messages/en/api.json";
import { AppError } from "../errors";
import { z } from "../validation";

/** RFC 9457 problem details; `errors` (422 only) maps each field (dot path, as sent) to its messages. */
export type Problem = { type: string; title: string; status: number; detail?: string; errors?: Record<string, string[]> };

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

const typeBase = "https://pipewise.dev/problems/";

/**
 * English text of an i18n key used by the domain ("errors.stageRequirements", "api.atInFuture"): the API speaks
 * one language, whatever the key's creator speaks in the app. Unknown keys are returned as they are.
 */
export function messageText(key: string): string {
  const [ns, ...rest] = key.split(".");
  const name = rest.join(".");
  const catalog = ns === "errors" ? (enErrors as Record<string, unknown>) : ns === "api" ? (enApi as Record<string, unknown>) : undefined;
  const found = catalog?.[name];
  if (typeof found === "string") return found.replace(/\{[^}]*\}/g, "…");
  return key;
}

export function problemResponse(status: number, detail?: string, extra: { errors?: Record<string, string[]>; headers?: Record<string, string> } = {}): Response {
  const body: Problem = { type: `${typeBase}${status}`, title: titles[status] ?? "Error", status, ...(detail ? { detail } : {}), ...(extra.errors ? { errors: extra.errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...extra.headers },
  });
}

/** Field errors of the domain (i18n keys, domain field names) as the API names and words them. */
export function apiFieldErrors(fieldErrors: Record<string, string[]>, rename: Record<string, string> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, keys] of Object.entries(fieldErrors)) {
    const name = field.startsWith("custom.") ? `customFields.${field.slice(7)}` : (rename[field] ?? field);
    (out[name] ??= []).push(...keys.map(messageText));
  }
  return out;
}

/** Maps an expected failure (AppError, ZodError) to its problem response; anything else is rethrown. */
export function errorResponse(error: unknown, rename: Record<string, string> = {}): Response {
  if (error instanceof AppError) {
    switch (error.code) {
      case "VALIDATION":
        return problemResponse(422, messageText(error.message), { errors: apiFieldErrors(error.fieldErrors ?? {}, rename) });
      case "NOT_FOUND":
        // A reference inside the body that is not found (a stage of another workspace) is a field problem.
        if (error.fieldErrors && Object.keys(error.fieldErrors).length) return problemResponse(422, messageText(error.message), { errors: apiFieldErrors(error.fieldErrors, rename) });
        return problemResponse(404, messageText("errors.NOT_FOUND"));
      case "FORBIDDEN":
        return problemResponse(403, messageText(error.message === "FORBIDDEN" ? "errors.FORBIDDEN" : error.message));
      case "CONFLICT":
        return problemResponse(409, messageText(error.message.startsWith("errors.") || error.message.startsWith("api.") ? error.message : `errors.${error.message}`));
      case "RATE_LIMITED":
        return problemResponse(429, messageText("errors.RATE_LIMITED"));
      case "UNAUTHENTICATED":
        return problemResponse(401, messageText("api.unauthenticated"), { headers: { "WWW-Authenticate": "Bearer" } });
    }
  }
  if (error instanceof z.ZodError) return validationProblem(error, rename);
  throw error;
}

export function validationProblem(error: z.ZodError, rename: Record<string, string> = {}): Response {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) (errors[[...issue.path.map(String), key].join(".")] ??= []).push(messageText("api.unknownField"));
      continue;
    }
    const path = issue.path.map(String);
    const key = path.length ? (rename[path[0]!] ? [rename[path[0]!], ...path.slice(1)] : path).join(".") : "_body";
    (errors[key] ??= []).push(messageText(issue.message));
  }
  return problemResponse(422, messageText("errors.VALIDATION"), { errors });
}
