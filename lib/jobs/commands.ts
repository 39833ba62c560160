import "server-only";
import { and, eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import { isDead } from "./queries";

/**
 * Gives a dead job of the workspace a fresh set of attempts, due now. Its last error stays visible until it
 * succeeds. A job that is not dead (already retried, done, or another workspace's) is NOT_FOUND.
 */
export async function retryJob(ctx: Ctx, jobId: number): Promise<void> {
  assertCan(ctx, "automations.manage");
  await ctx.db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({ attempts: 0, runAt: ctx.now, lockedUntil: null })
      .where(and(eq(jobs.id, jobId), eq(jobs.workspaceId, ctx.workspaceId), isDead(ctx.now)))
      .returning({ id: jobs.id, kind: jobs.kind });
    if (!job) throw new AppError("NOT_FOUND");
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "job.retried", targetType: "job", targetId: String(job.id), details: { kind: job.kind }, at: ctx.now });
  });
}
