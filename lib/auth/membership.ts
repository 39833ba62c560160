import { and, eq } from "drizzle-orm";
import { memberships, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { can, type Permission, type Role } from "./permissions";

/**
 * The one authorization rule: the user must be a member of the workspace named by `slug` (else NOT_FOUND,
 * so a non-member cannot even learn the workspace exists) and their role must grant `permission`
 * (else FORBIDDEN). Returns the context every domain function takes.
 */
export async function authorizeMember(
  db: Db,
  userId: string,
  slug: string,
  permission: Permission,
  now: Date = new Date(),
): Promise<Ctx> {
  const [row] = await db
    .select({
      role: memberships.role,
      workspace: {
        id: workspaces.id,
        slug: workspaces.slug,
        name: workspaces.name,
        timeZone: workspaces.timeZone,
        currency: workspaces.currency,
        dealVisibility: workspaces.dealVisibility,
      },
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(workspaces.slug, slug), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND");
  const role = row.role as Role;
  if (!can(role, permission)) throw new AppError("FORBIDDEN");
  return { db, workspaceId: row.workspace.id, userId, role, now, workspace: row.workspace };
}

/** Throws FORBIDDEN unless the context's role grants the permission (for checks inside a command). */
export function assertCan(ctx: Pick<Ctx, "role">, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError("FORBIDDEN");
}
