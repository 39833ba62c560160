import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { memberships, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import type { AutomationCause } from "../events/types";

export type AutomationCtx = Ctx & { automation: AutomationCause & { workflowId: string; runId: string } };

/**
 * The context a workflow acts in: on behalf of the member who last saved it (its creator, else the workspace's
 * first owner if they left), with admin rights inside the workspace so visibility limits of a rep do not stop
 * it, and carrying the run's cause so the changes it makes cannot loop back into it.
 */
export async function automationCtx(
  db: Db,
  now: Date,
  workflow: { id: string; workspaceId: string; createdBy: string | null; updatedBy: string | null },
  run: { id: string; depth: number; chain: string[] },
): Promise<AutomationCtx> {
  const [workspace] = await db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, timeZone: workspaces.timeZone, currency: workspaces.currency, dealVisibility: workspaces.dealVisibility })
    .from(workspaces)
    .where(eq(workspaces.id, workflow.workspaceId));
  if (!workspace) throw new AppError("NOT_FOUND");
  const preferred = [workflow.updatedBy, workflow.createdBy].filter((id): id is string => !!id);
  const members = await db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspace.id), preferred.length ? inArray(memberships.userId, preferred) : undefined))
    .orderBy(asc(memberships.createdAt));
  let actor = preferred.map((id) => members.find((m) => m.userId === id)).find(Boolean);
  if (!actor) {
    [actor] = await db
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspace.id), eq(memberships.role, "owner")))
      .orderBy(asc(memberships.createdAt))
      .limit(1);
  }
  if (!actor) throw new AppError("NOT_FOUND");
  return {
    db,
    workspaceId: workspace.id,
    userId: actor.userId,
    role: "admin",
    now,
    workspace,
    automation: { depth: run.depth, chain: run.chain, workflowId: workflow.id, runId: run.id },
  };
}
