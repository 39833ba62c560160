export type ErrorCode = "NOT_FOUND" | "FORBIDDEN" | "VALIDATION" | "CONFLICT" | "RATE_LIMITED" | "UNAUTHENTICATED";

/**
 * An expected failure: its message is safe to show to the user (it is an i18n key under "errors").
 * Anything else that is thrown is a bug and never reaches the browser verbatim.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = code,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "NOT_FOUND") => new AppError("NOT_FOUND", what);
export const forbidden = () => new AppError("FORBIDDEN", "FORBIDDEN");
export const conflict = (message: string) => new AppError("CONFLICT", message);
export const validation = (message: string, fieldErrors?: Record<string, string[]>) =>
  new AppError("VALIDATION", message, fieldErrors);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
