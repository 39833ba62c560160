import "server-only";
import { getDb } from "@/db/client";
import type { Ctx } from "./context";
import { AppError } from "./errors";
import { authorizeSession } from "./auth/membership";
import type { Permission } from "./auth/permissions";
import { getSessionClaims, type SessionUser } from "./auth/session";
import { fieldErrorsOf, formDataToObject, type FieldErrors, z } from "./validation";

/**
 * What every server action returns to its form. `message` and `fieldErrors` hold i18n keys; `values` echoes
 * the submitted fields so a form can keep what the user typed after an error.
 */
export type ActionState<T = unknown> =
  | { ok: true; data?: T; message?: string }
  | { ok: false; code: string; message: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

export function toInput(input: FormData | unknown): unknown {
  return input instanceof FormData ? formDataToObject(input) : input;
}

function echo(input: unknown): Record<string, string> | undefined {
  if (!input || typeof input !== "object") return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) if (typeof v === "string" && !/password/i.test(k)) out[k] = v;
  return out;
}

/** Turns a thrown AppError into a returned failure; anything unexpected is logged and reported generically. */
export function failure(error: unknown, input?: unknown): ActionState<never> {
  if (error instanceof AppError) {
    return { ok: false, code: error.code, message: `errors.${error.message.replace(/^errors\./, "")}`, fieldErrors: error.fieldErrors, values: echo(input) };
  }
  if (error instanceof z.ZodError) {
    return { ok: false, code: "VALIDATION", message: "errors.VALIDATION", fieldErrors: fieldErrorsOf(error), values: echo(input) };
  }
  throw error; // unexpected: reaches error.tsx, and Next.js hides its message from the browser
}

type Runner<S extends z.ZodType, R> = (ctx: Ctx & { user: SessionUser }, input: z.output<S>) => Promise<R>;

/**
 * Builds a workspace server action: parse (zod) → authenticate (session version checked) → authorize
 * (membership + permission, NOT_FOUND for non-members) → run. Bind the workspace slug in the page:
 * `<form action={updateDealAction.bind(null, slug)}>` or call `action(slug, prevState, input)`.
 */
export function workspaceAction<S extends z.ZodType, R>(permission: Permission, schema: S, run: Runner<S, R>) {
  return async (slug: string, _prev: ActionState<R> | undefined, raw: FormData | unknown): Promise<ActionState<R>> => {
    const input = toInput(raw);
    try {
      const claims = await getSessionClaims();
      if (!claims) throw new AppError("UNAUTHENTICATED");
      const parsed = schema.safeParse(input);
      // Authorize before reporting validation errors, so a non-member learns nothing about the workspace. The
      // user, their session version and the membership are read in one round trip.
      const ctx = await authorizeSession(await getDb(), claims, String(slug), permission, new Date());
      if (!parsed.success) throw parsed.error;
      const data = await run(ctx, parsed.data);
      return { ok: true, data };
    } catch (error) {
      return failure(error, input);
    }
  };
}
