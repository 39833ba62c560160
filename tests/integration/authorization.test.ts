import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { memberships, users, workspaces } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { assertCan, authorizeMember, authorizeSession } from "@/lib/auth/membership";
import { can, permissions, roleRank, roles, type Permission, type Role } from "@/lib/auth/permissions";
import { createTestDb, type TestDb } from "../helpers/db";

const now = new Date("2026-03-10T09:00:00Z");

let t: TestDb;
const memberOf = {} as Record<Role, string>;
let outsiderId: string;
let otherWorkspaceOwnerId: string;
const slug = "acme";

beforeAll(async () => {
  t = await createTestDb();
  const [workspace] = await t.db
    .insert(workspaces)
    .values({ slug, name: "Acme", timeZone: "Asia/Shanghai", currency: "CNY", dealVisibility: "own" })
    .returning();
  const [other] = await t.db.insert(workspaces).values({ slug: "other", name: "Other" }).returning();
  for (const role of roles) {
    const [user] = await t.db.insert(users).values({ email: `${role}@example.com`, name: role }).returning();
    await t.db.insert(memberships).values({ workspaceId: workspace!.id, userId: user!.id, role });
    memberOf[role] = user!.id;
  }
  const [outsider] = await t.db.insert(users).values({ email: "outsider@example.com", name: "Outsider" }).returning();
  outsiderId = outsider!.id;
  // Owner of another workspace: being an owner somewhere grants nothing here.
  const [otherOwner] = await t.db.insert(users).values({ email: "other-owner@example.com", name: "Other owner" }).returning();
  await t.db.insert(memberships).values({ workspaceId: other!.id, userId: otherOwner!.id, role: "owner" });
  otherWorkspaceOwnerId = otherOwner!.id;
});
afterAll(() => t?.close());

async function outcome(promise: Promise<unknown>): Promise<"allowed" | string> {
  try {
    await promise;
    return "allowed";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

const allPermissions = Object.keys(permissions) as Permission[];
const matrix = allPermissions.flatMap((permission) =>
  roles.map((role) => ({ permission, role, allowed: (permissions[permission] as readonly Role[]).includes(role) })),
);

describe("authorizeMember", () => {
  it.each(matrix)("$role → $permission: allowed=$allowed", async ({ permission, role, allowed }) => {
    const result = await outcome(authorizeMember(t.db, memberOf[role], slug, permission, now));
    expect(result).toBe(allowed ? "allowed" : "FORBIDDEN");
    if (allowed) expect(() => assertCan({ role }, permission)).not.toThrow();
    else expect(() => assertCan({ role }, permission)).toThrow(AppError);
  });

  it.each(allPermissions)("a non-member asking for %s gets NOT_FOUND, never FORBIDDEN", async (permission) => {
    expect(await outcome(authorizeMember(t.db, outsiderId, slug, permission, now))).toBe("NOT_FOUND");
    expect(await outcome(authorizeMember(t.db, otherWorkspaceOwnerId, slug, permission, now))).toBe("NOT_FOUND");
  });

  it("reports an unknown workspace as NOT_FOUND, even to an owner elsewhere", async () => {
    expect(await outcome(authorizeMember(t.db, memberOf.owner, "no-such-workspace", "workspace.read", now))).toBe("NOT_FOUND");
    expect(await outcome(authorizeMember(t.db, memberOf.owner, "", "workspace.read", now))).toBe("NOT_FOUND");
  });

  it("reports a user id that does not exist as NOT_FOUND", async () => {
    expect(await outcome(authorizeMember(t.db, "00000000-0000-4000-8000-000000000000", slug, "workspace.read", now))).toBe("NOT_FOUND");
  });

  it("builds the context from the membership row and the workspace", async () => {
    const ctx = await authorizeMember(t.db, memberOf.manager, slug, "deals.write", now);
    expect(ctx).toMatchObject({
      userId: memberOf.manager,
      role: "manager",
      now,
      workspace: { slug, name: "Acme", timeZone: "Asia/Shanghai", currency: "CNY", dealVisibility: "own" },
    });
    expect(ctx.workspaceId).toBe(ctx.workspace.id);
    expect(ctx.db).toBe(t.db);
  });

  it("follows the role in the database: a demotion or removal takes effect on the next call", async () => {
    const [user] = await t.db.insert(users).values({ email: "moving@example.com", name: "Moving" }).returning();
    const [ws] = await t.db.select().from(workspaces).where(eq(workspaces.slug, slug));
    await t.db.insert(memberships).values({ workspaceId: ws!.id, userId: user!.id, role: "admin" });
    expect(await outcome(authorizeMember(t.db, user!.id, slug, "members.manage", now))).toBe("allowed");
    const where = and(eq(memberships.workspaceId, ws!.id), eq(memberships.userId, user!.id));
    await t.db.update(memberships).set({ role: "rep" }).where(where);
    expect(await outcome(authorizeMember(t.db, user!.id, slug, "members.manage", now))).toBe("FORBIDDEN");
    await t.db.delete(memberships).where(where);
    expect(await outcome(authorizeMember(t.db, user!.id, slug, "workspace.read", now))).toBe("NOT_FOUND");
  });
});

describe("authorizeSession (a server action's user, session version and membership in one read)", () => {
  const session = (userId: string, sessionVersion: number | undefined = 0) => ({ userId, sessionVersion });

  it.each(matrix)("$role → $permission: allowed=$allowed, same as authorizeMember", async ({ permission, role, allowed }) => {
    expect(await outcome(authorizeSession(t.db, session(memberOf[role]), slug, permission, now))).toBe(allowed ? "allowed" : "FORBIDDEN");
  });

  it("answers non-members, unknown workspaces and other workspaces' owners with NOT_FOUND", async () => {
    expect(await outcome(authorizeSession(t.db, session(outsiderId), slug, "workspace.read", now))).toBe("NOT_FOUND");
    expect(await outcome(authorizeSession(t.db, session(otherWorkspaceOwnerId), slug, "workspace.read", now))).toBe("NOT_FOUND");
    expect(await outcome(authorizeSession(t.db, session(memberOf.owner), "no-such-workspace", "workspace.read", now))).toBe("NOT_FOUND");
  });

  it("treats a user who is gone, or a session whose version no longer matches, as signed out", async () => {
    expect(await outcome(authorizeSession(t.db, session("00000000-0000-4000-8000-000000000000"), slug, "workspace.read", now))).toBe("UNAUTHENTICATED");
    expect(await outcome(authorizeSession(t.db, { userId: memberOf.owner, sessionVersion: undefined }, slug, "workspace.read", now))).toBe("UNAUTHENTICATED");
    const [user] = await t.db.insert(users).values({ email: "signed-out@example.com", name: "Signed out", sessionVersion: 3 }).returning();
    const [ws] = await t.db.select().from(workspaces).where(eq(workspaces.slug, slug));
    await t.db.insert(memberships).values({ workspaceId: ws!.id, userId: user!.id, role: "owner" });
    expect(await outcome(authorizeSession(t.db, session(user!.id, 2), slug, "workspace.read", now))).toBe("UNAUTHENTICATED");
    // a stale session is refused even where the user is not a member (no hint about membership)
    expect(await outcome(authorizeSession(t.db, session(user!.id, 2), "other", "workspace.read", now))).toBe("UNAUTHENTICATED");
    expect(await outcome(authorizeSession(t.db, session(user!.id, 3), slug, "workspace.read", now))).toBe("allowed");
  });

  it("builds the same context as authorizeMember, plus the user", async () => {
    const ctx = await authorizeSession(t.db, session(memberOf.manager), slug, "deals.write", now);
    const expected = await authorizeMember(t.db, memberOf.manager, slug, "deals.write", now);
    expect({ ...ctx, db: null }).toMatchObject({ ...expected, db: null });
    expect(ctx.user).toEqual({ id: memberOf.manager, email: "manager@example.com", name: "manager", locale: expect.toBeOneOf([null, "en", "zh-CN"]), timeZone: expect.any(String) });
  });
});

describe("the permission matrix", () => {
  it("names only known roles and covers every permission with the owner", () => {
    for (const permission of allPermissions) {
      const granted = permissions[permission] as readonly Role[];
      for (const role of granted) expect(roles).toContain(role);
      expect(granted, permission).toContain("owner");
      expect(new Set(granted).size, `${permission} lists a role twice`).toBe(granted.length);
    }
  });

  it("never grants a lower role what it denies a higher one", () => {
    for (const permission of allPermissions) {
      for (const lower of roles) {
        for (const higher of roles) {
          if (roleRank[higher] > roleRank[lower] && can(lower, permission)) {
            expect(can(higher, permission), `${higher} lacks ${permission} that ${lower} has`).toBe(true);
          }
        }
      }
    }
  });

  it("keeps the sensitive permissions away from managers and reps", () => {
    for (const permission of ["members.manage", "settings.manage", "audit.read", "workspace.delete"] as const) {
      expect(can("manager", permission), permission).toBe(false);
      expect(can("rep", permission), permission).toBe(false);
    }
    expect(can("admin", "workspace.delete")).toBe(false);
    expect(can("rep", "deals.readAll")).toBe(false);
    expect(can("rep", "contacts.manageAny")).toBe(false);
    expect(can("manager", "contacts.manageAny")).toBe(true);
    expect(can("rep", "pipelines.manage")).toBe(false);
    expect(can("rep", "deals.write")).toBe(true);
    expect(roleRank.owner).toBeGreaterThan(roleRank.admin);
    expect(roleRank.admin).toBeGreaterThan(roleRank.manager);
    expect(roleRank.manager).toBeGreaterThan(roleRank.rep);
  });
});
