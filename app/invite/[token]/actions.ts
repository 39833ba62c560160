"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { failure, type ActionState } from "@/lib/actions";
import { getCurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { acceptInvitation } from "@/lib/workspaces/commands";
import { z } from "@/lib/validation";

const acceptSchema = z.object({ token: z.string().min(10).max(200) });

export async function acceptInvitationAction(_prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  let slug: string;
  try {
    const user = await getCurrentUser();
    if (!user) throw new AppError("UNAUTHENTICATED");
    const { token } = acceptSchema.parse({ token: formData.get("token") });
    slug = (await acceptInvitation(await getDb(), user.id, token, new Date())).slug;
  } catch (error) {
    return failure(error);
  }
  redirect(`/w/${slug}`);
}
