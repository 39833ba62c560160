import { randomUUID } from "node:crypto";
import { users, memberships } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "@/lib/context";
import { authorizeMember } from "@/lib/auth/membership";
import type { Permission, Role } from "@/lib/auth/permissions";
import { createWorkspace } from "@/lib/workspaces/commands";

export const NOW = new Date("2026-03-10T09:00:00Z");

export type WorkspaceFixture = {
  workspaceId: string;
  slug: string;
  users: Record<Role, string>;
  /** A context for the member with that role (permission checked like a real request). */
  ctx: (role?: Role, opts?: { permission?: Permission; now?: Date }) => Promise<Ctx>;
};

/** A workspace with one member per role (owner, admin, manager, rep) and the default pipeline. */
export async function createWorkspaceFixture(db: Db, name = "Acme", now = NOW): Promise<WorkspaceFixture> {
  const tag = randomUUID().slice(0, 8);
  const rows = await db
    .insert(users)
    .values((["owner", "admin", "manager", "rep"] as const).map((role) => ({ email: `${role}-${tag}@example.com`, name: `${role} ${tag}` })))
    .returning();
  const byRole = { owner: rows[0]!.id, admin: rows[1]!.id, manager: rows[2]!.id, rep: rows[3]!.id } as Record<Role, string>;
  const workspace = await db.transaction((tx) => createWorkspace(tx, byRole.owner, { name: `${name} ${tag}` }, now));
  await db.insert(memberships).values(
    (["admin", "manager", "rep"] as const).map((role) => ({ workspaceId: workspace.id, userId: byRole[role], role })),
  );
  return {
    workspaceId: workspace.id,
    slug: workspace.slug,
    users: byRole,
    ctx: (role = "owner", opts = {}) => authorizeMember(db, byRole[role], workspace.slug, opts.permission ?? "workspace.read", opts.now ?? now),
  };
}

/** The same context a moment later (domain logic reads the injected clock only). */
export const at = (ctx: Ctx, iso: string): Ctx => ({ ...ctx, now: new Date(iso) });
