"use server";

import { cookies } from "next/headers";
import { AuthError, CredentialsSignin } from "next-auth";
import { getLocale } from "next-intl/server";
import { getDb } from "@/db/client";
import { failure, type ActionState } from "@/lib/actions";
import { signIn } from "@/lib/auth/auth";
import { safeCallbackPath as safeCallback } from "@/lib/auth/callback";
import { requestPasswordReset, resetPassword, signUp } from "@/lib/users/commands";
import { localeSchema, requestResetSchema, resetPasswordSchema, signInSchema, signUpForInvitationSchema, signUpSchema } from "@/lib/users/schema";
import { formDataToObject } from "@/lib/validation";


export async function signInAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const input = formDataToObject(formData);
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return failure(parsed.error, input);
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallback(formData.get("callbackUrl")) });
    return { ok: true };
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "rate_limited") {
      return { ok: false, code: "RATE_LIMITED", message: "errors.loginRateLimited", values: { email: parsed.data.email } };
    }
    if (error instanceof AuthError) {
      return { ok: false, code: "UNAUTHENTICATED", message: "errors.badCredentials", values: { email: parsed.data.email } };
    }
    throw error; // NEXT_REDIRECT on success
  }
}

export async function signUpAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const input = formDataToObject(formData);
  const callback = safeCallback(formData.get("callbackUrl"));
  // Arriving from an invitation link: no workspace of one's own is created.
  const parsed = (callback.startsWith("/invite/") ? signUpForInvitationSchema : signUpSchema).safeParse(input);
  if (!parsed.success) return failure(parsed.error, input);
  let slug: string | null;
  try {
    const { workspace } = await signUp(await getDb(), parsed.data, new Date(), await getLocale());
    slug = workspace?.slug ?? null;
  } catch (error) {
    return failure(error, input);
  }
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: callback === "/" && slug ? `/w/${slug}` : callback });
  return { ok: true };
}

export async function requestResetAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const input = formDataToObject(formData);
  const parsed = requestResetSchema.safeParse(input);
  if (!parsed.success) return failure(parsed.error, input);
  await requestPasswordReset(await getDb(), parsed.data.email, new Date());
  // Same answer whether or not the account exists.
  return { ok: true, message: "auth.resetSent" };
}

export async function resetPasswordAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const input = formDataToObject(formData);
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) return failure(parsed.error, input);
  try {
    await resetPassword(await getDb(), parsed.data.token, parsed.data.password, new Date());
    return { ok: true, message: "auth.passwordChanged" };
  } catch (error) {
    return failure(error, input);
  }
}

/** The language switcher for signed-out pages (signed-in users choose in their profile). */
export async function setLocaleCookieAction(locale: string): Promise<void> {
  const parsed = localeSchema.safeParse(locale);
  if (!parsed.success) return;
  (await cookies()).set("locale", parsed.data, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
}
