"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/actions";
import { retryJob } from "@/lib/jobs/commands";
import { z } from "@/lib/validation";

const refresh = (slug: string) => revalidatePath(`/w/${slug}/automations`, "layout");

export const retryJobAction = workspaceAction("automations.manage", z.object({ jobId: z.coerce.number().int().positive() }), async (ctx, input) => {
  await retryJob(ctx, input.jobId);
  refresh(ctx.workspace.slug);
});
