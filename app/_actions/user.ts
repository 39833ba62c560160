"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getLocale } from "next-intl/server";
import { getDb } from "@/db/client";
import { failure, toInput, type ActionState } from "@/lib/actions";
import { signOut } from "@/lib/auth/auth";
import { revokeSession } from "@/lib/auth/revocation";
import { getCurrentUser, getSessionClaims } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { changePassword, signOutEverywhere, updateProfile } from "@/lib/users/commands";
import { changePasswordSchema, updateProfileSchema } from "@/lib/users/schema";
import { createWorkspaceForUser } from "@/lib/workspaces/commands";
import { createWorkspaceSchema } from "@/lib/workspaces/schema";

async function signedIn() {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED");
  return user;
}

/** Signs this session out: the browser's cookie is cleared and its session id revoked (a copy stops working too). */
export async function signOutAction(): Promise<void> {
  const claims = await getSessionClaims();
  if (claims) await revokeSession(await getDb(), claims, new Date());
  await signOut({ redirectTo: "/login" });
}

/** Revokes every session of this user (other devices included), then signs this one out. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await signOutEverywhere(await getDb(), user.id);
  await signOut({ redirectTo: "/login" });
}

export async function createWorkspaceAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  let slug: string;
  const input = toInput(formData);
  try {
    const user = await signedIn();
    const { name } = createWorkspaceSchema.parse(input);
    slug = (await createWorkspaceForUser(await getDb(), user.id, name, new Date(), await getLocale())).slug;
  } catch (error) {
    return failure(error, input);
  }
  redirect(`/w/${slug}`);
}

export async function updateProfileAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const input = toInput(formData);
  try {
    const user = await signedIn();
    await updateProfile(await getDb(), user.id, updateProfileSchema.parse(input));
    revalidatePath("/", "layout");
    return { ok: true, message: "settings.saved" };
  } catch (error) {
    return failure(error, input);
  }
}

/** Changing the password revokes every session, this one too: the user signs in again with the new one. */
export async function changePasswordAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const input = toInput(formData);
  try {
    const user = await signedIn();
    const { currentPassword, newPassword } = changePasswordSchema.parse(input);
    await changePassword(await getDb(), user.id, currentPassword, newPassword);
  } catch (error) {
    return failure(error, input);
  }
  await signOut({ redirectTo: "/login?reset=1" });
  return { ok: true };
}
