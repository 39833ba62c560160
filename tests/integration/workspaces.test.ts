import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { auditLog, invitations, memberships, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { authorizeMember } from "@/lib/auth/membership";
import type { Role } from "@/lib/auth/permissions";
import {
  acceptInvitation,
  changeRole,
  createWorkspaceForUser,
  findInvitation,
  INVITATION_TTL_MS,
  inviteMember,
  removeMember,
  revokeInvitation,
  updateWorkspace,
} from "@/lib/workspaces/commands";
import { listAuditLog, listMembers, listPendingInvitations } from "@/lib/workspaces/queries";
import { createTestDb, type TestDb } from "../helpers/db";

const now = new Date("2026-03-10T09:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(now.getTime() + ms);

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  delete process.env.SMTP_URL; // invitations are "captured", not sent
});
afterAll(() => t?.close());
beforeEach(() => {
  vi.spyOn(console, "info").mockImplementation(() => {}); // the captured-mail log line
});

let seq = 0;
async function newUser(name: string) {
  const [user] = await t.db
    .insert(users)
    .values({ email: `${name.toLowerCase()}${++seq}@example.com`, name })
    .returning();
  return user!;
}

/** A workspace with one member per role (plus a second admin). */
async function team(name = "Acme") {
  const owner = await newUser(`${name}Owner`);
  const workspace = await createWorkspaceForUser(t.db, owner.id, name, now);
  const member = async (role: Role, label: string) => {
    const user = await newUser(`${name}${label}`);
    await t.db.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role, createdAt: now });
    return user;
  };
  const admin = await member("admin", "Admin");
  const admin2 = await member("admin", "AdminTwo");
  const manager = await member("manager", "Manager");
  const rep = await member("rep", "Rep");
  const ctx = (userId: string, when = now) => authorizeMember(t.db, userId, workspace.slug, "workspace.read", when);
  return { workspace, owner, admin, admin2, manager, rep, ctx };
}

async function expectAppError(promise: Promise<unknown>, code: string, message?: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
}

async function roleOf(workspaceId: string, userId: string): Promise<Role | undefined> {
  const [row] = await t.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row?.role;
}

async function auditOf(workspaceId: string) {
  return t.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId)).orderBy(asc(auditLog.id));
}

const tokenOf = (link: string) => link.split("/").at(-1)!;

describe("invitations", () => {
  it("adds the invitee with the invited role when they accept, and logs both steps", async () => {
    const a = await team();
    const ctx = await a.ctx(a.owner.id);
    const { invitation, link, emailed } = await inviteMember(ctx, { email: "newbie@example.com", role: "manager" });
    expect(emailed).toBe(false);
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    expect(invitation).toMatchObject({ workspaceId: a.workspace.id, email: "newbie@example.com", role: "manager", invitedBy: a.owner.id });
    expect(invitation.expiresAt).toEqual(at(INVITATION_TTL_MS));
    expect(invitation.tokenHash).not.toContain(tokenOf(link));
    expect((await listPendingInvitations(ctx)).map((i) => i.id)).toEqual([invitation.id]);

    const newbie = await newUser("Newbie");
    const joined = await acceptInvitation(t.db, newbie.id, tokenOf(link), at(DAY));
    expect(joined).toEqual({ name: a.workspace.name, slug: a.workspace.slug });
    expect(await roleOf(a.workspace.id, newbie.id)).toBe("manager");
    expect((await authorizeMember(t.db, newbie.id, a.workspace.slug, "pipelines.manage", at(DAY))).role).toBe("manager");
    expect(await listPendingInvitations(ctx)).toEqual([]);

    const log = await auditOf(a.workspace.id);
    expect(log.map((e) => e.action)).toEqual(["workspace.created", "member.invited", "member.joined"]);
    expect(log[1]).toMatchObject({ actorId: a.owner.id, targetId: invitation.id, details: { email: "newbie@example.com", role: "manager" } });
    expect(log[2]).toMatchObject({ actorId: newbie.id, targetId: newbie.id, details: { role: "manager", via: "invitation" } });
  });

  it("works once: a second accept of the same token is refused", async () => {
    const a = await team();
    const { link } = await inviteMember(await a.ctx(a.owner.id), { email: "once@example.com", role: "rep" });
    const first = await newUser("First");
    const second = await newUser("Second");
    await acceptInvitation(t.db, first.id, tokenOf(link), now);
    await expectAppError(acceptInvitation(t.db, second.id, tokenOf(link), now), "NOT_FOUND", "errors.invitationInvalid");
    await expectAppError(acceptInvitation(t.db, first.id, tokenOf(link), now), "NOT_FOUND");
    expect(await roleOf(a.workspace.id, second.id)).toBeUndefined();
  });

  it("inviting an address again replaces its pending invitation: one row, the new role, only the new link works", async () => {
    const a = await team();
    const ctx = await a.ctx(a.owner.id);
    const first = await inviteMember(ctx, { email: "twice@example.com", role: "rep" });
    const second = await inviteMember(ctx, { email: "twice@example.com", role: "manager" });
    expect((await listPendingInvitations(ctx)).filter((i) => i.email === "twice@example.com").map((i) => [i.id, i.role])).toEqual([[second.invitation.id, "manager"]]);
    const user = await newUser("Twice");
    await expectAppError(acceptInvitation(t.db, user.id, tokenOf(first.link), now), "NOT_FOUND", "errors.invitationInvalid");
    await acceptInvitation(t.db, user.id, tokenOf(second.link), now);
    expect(await roleOf(a.workspace.id, user.id)).toBe("manager");
  });

  it("refuses a revoked invitation", async () => {
    const a = await team();
    const ctx = await a.ctx(a.admin.id);
    const { invitation, link } = await inviteMember(ctx, { email: "revoked@example.com", role: "rep" });
    await revokeInvitation(ctx, invitation.id);
    expect(await findInvitation(t.db, tokenOf(link), now)).toBeUndefined();
    const user = await newUser("Revoked");
    await expectAppError(acceptInvitation(t.db, user.id, tokenOf(link), now), "NOT_FOUND", "errors.invitationInvalid");
    expect(await roleOf(a.workspace.id, user.id)).toBeUndefined();
    expect((await auditOf(a.workspace.id)).at(-1)).toMatchObject({ action: "invitation.revoked", actorId: a.admin.id, targetId: invitation.id });
  });

  it("refuses an expired invitation, and accepts one still inside its 14 days", async () => {
    const a = await team();
    const ctx = await a.ctx(a.owner.id);
    const late = await inviteMember(ctx, { email: "late@example.com", role: "rep" });
    const onTime = await inviteMember(ctx, { email: "ontime@example.com", role: "rep" });
    const lateUser = await newUser("Late");
    const onTimeUser = await newUser("OnTime");
    await expectAppError(acceptInvitation(t.db, lateUser.id, tokenOf(late.link), at(INVITATION_TTL_MS)), "NOT_FOUND");
    await expectAppError(acceptInvitation(t.db, lateUser.id, tokenOf(late.link), at(15 * DAY)), "NOT_FOUND");
    expect(await roleOf(a.workspace.id, lateUser.id)).toBeUndefined();
    await acceptInvitation(t.db, onTimeUser.id, tokenOf(onTime.link), at(13 * DAY));
    expect(await roleOf(a.workspace.id, onTimeUser.id)).toBe("rep");
  });

  it("refuses an invitation for someone who is already a member, without changing their role or using it up", async () => {
    const a = await team();
    const { link } = await inviteMember(await a.ctx(a.owner.id), { email: "promote-me@example.com", role: "admin" });
    const auditBefore = (await auditOf(a.workspace.id)).length;
    await expectAppError(acceptInvitation(t.db, a.rep.id, tokenOf(link), now), "CONFLICT", "errors.alreadyMember");
    expect(await roleOf(a.workspace.id, a.rep.id)).toBe("rep");
    expect((await auditOf(a.workspace.id)).length).toBe(auditBefore);
    expect(await findInvitation(t.db, tokenOf(link), now)).toBeDefined();
  });

  it("refuses a made-up token", async () => {
    const user = await newUser("Guesser");
    await expectAppError(acceptInvitation(t.db, user.id, "x".repeat(43), now), "NOT_FOUND");
  });

  it("lets only owners invite owners, and only admins and owners invite at all", async () => {
    const a = await team();
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(invitations).where(eq(invitations.workspaceId, a.workspace.id));
    await expectAppError(inviteMember(await a.ctx(a.admin.id), { email: "boss@example.com", role: "owner" }), "FORBIDDEN");
    await expectAppError(inviteMember(await a.ctx(a.manager.id), { email: "m@example.com", role: "rep" }), "FORBIDDEN");
    await expectAppError(inviteMember(await a.ctx(a.rep.id), { email: "r@example.com", role: "rep" }), "FORBIDDEN");
    const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(invitations).where(eq(invitations.workspaceId, a.workspace.id));
    expect(after[0]!.n).toBe(before[0]!.n);

    const byAdmin = await inviteMember(await a.ctx(a.admin.id), { email: "second-admin@example.com", role: "admin" });
    expect(byAdmin.invitation.role).toBe("admin");
    const byOwner = await inviteMember(await a.ctx(a.owner.id), { email: "co-owner@example.com", role: "owner" });
    expect(byOwner.invitation.role).toBe("owner");
  });

  it("refuses to invite someone who is already a member", async () => {
    const a = await team();
    await expectAppError(inviteMember(await a.ctx(a.owner.id), { email: a.rep.email, role: "admin" }), "CONFLICT", "errors.alreadyMember");
  });
});

describe("changing roles", () => {
  it("changes a member's role and records from and to", async () => {
    const a = await team();
    await changeRole(await a.ctx(a.owner.id), { userId: a.rep.id, role: "manager" });
    expect(await roleOf(a.workspace.id, a.rep.id)).toBe("manager");
    expect((await auditOf(a.workspace.id)).at(-1)).toMatchObject({
      action: "member.role_changed",
      actorId: a.owner.id,
      targetType: "user",
      targetId: a.rep.id,
      details: { from: "rep", to: "manager" },
    });
  });

  it("lets an admin manage admins and below, but never touch or make an owner", async () => {
    const a = await team();
    const admin = await a.ctx(a.admin.id);
    await changeRole(admin, { userId: a.admin2.id, role: "manager" });
    expect(await roleOf(a.workspace.id, a.admin2.id)).toBe("manager");
    await expectAppError(changeRole(admin, { userId: a.owner.id, role: "rep" }), "FORBIDDEN");
    await expectAppError(changeRole(admin, { userId: a.rep.id, role: "owner" }), "FORBIDDEN");
    await expectAppError(changeRole(admin, { userId: a.admin.id, role: "owner" }), "FORBIDDEN");
    expect(await roleOf(a.workspace.id, a.owner.id)).toBe("owner");
    expect(await roleOf(a.workspace.id, a.rep.id)).toBe("rep");
    expect(await roleOf(a.workspace.id, a.admin.id)).toBe("admin");
  });

  it("refuses managers and reps", async () => {
    const a = await team();
    await expectAppError(changeRole(await a.ctx(a.manager.id), { userId: a.rep.id, role: "manager" }), "FORBIDDEN");
    await expectAppError(changeRole(await a.ctx(a.rep.id), { userId: a.rep.id, role: "admin" }), "FORBIDDEN");
    expect(await roleOf(a.workspace.id, a.rep.id)).toBe("rep");
  });

  it("never demotes the last owner, but does when another owner remains", async () => {
    const a = await team();
    const owner = await a.ctx(a.owner.id);
    await expectAppError(changeRole(owner, { userId: a.owner.id, role: "admin" }), "CONFLICT", "errors.lastOwner");
    expect(await roleOf(a.workspace.id, a.owner.id)).toBe("owner");

    await changeRole(owner, { userId: a.admin.id, role: "owner" });
    await changeRole(owner, { userId: a.owner.id, role: "admin" });
    expect(await roleOf(a.workspace.id, a.owner.id)).toBe("admin");
    const newOwner = await a.ctx(a.admin.id);
    await expectAppError(changeRole(newOwner, { userId: a.admin.id, role: "rep" }), "CONFLICT", "errors.lastOwner");
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const a = await team();
    await changeRole(await a.ctx(a.owner.id), { userId: a.admin.id, role: "owner" });
    const [one, two] = [await a.ctx(a.owner.id), await a.ctx(a.admin.id)];
    const results = await Promise.allSettled([
      changeRole(one, { userId: a.admin.id, role: "admin" }),
      changeRole(two, { userId: a.owner.id, role: "admin" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "CONFLICT", message: "errors.lastOwner" });
    const owners = await t.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, a.workspace.id), eq(memberships.role, "owner")));
    expect(owners).toHaveLength(1);
  });

  it("reports a user who is not a member as not found", async () => {
    const a = await team();
    const stranger = await newUser("Stranger");
    await expectAppError(changeRole(await a.ctx(a.owner.id), { userId: stranger.id, role: "rep" }), "NOT_FOUND");
    expect(await roleOf(a.workspace.id, stranger.id)).toBeUndefined();
  });
});

describe("removing members and leaving", () => {
  it("removes a member, who then has no access, and logs it", async () => {
    const a = await team();
    await removeMember(await a.ctx(a.admin.id), a.rep.id);
    expect(await roleOf(a.workspace.id, a.rep.id)).toBeUndefined();
    await expectAppError(a.ctx(a.rep.id), "NOT_FOUND");
    expect((await auditOf(a.workspace.id)).at(-1)).toMatchObject({
      action: "member.removed",
      actorId: a.admin.id,
      targetId: a.rep.id,
      details: { role: "rep" },
    });
  });

  it("does not let a lower role remove a higher one, nor managers and reps remove anyone", async () => {
    const a = await team();
    await expectAppError(removeMember(await a.ctx(a.admin.id), a.owner.id), "FORBIDDEN");
    await expectAppError(removeMember(await a.ctx(a.manager.id), a.rep.id), "FORBIDDEN");
    await expectAppError(removeMember(await a.ctx(a.rep.id), a.manager.id), "FORBIDDEN");
    expect(await roleOf(a.workspace.id, a.owner.id)).toBe("owner");
    expect(await roleOf(a.workspace.id, a.rep.id)).toBe("rep");
    expect(await roleOf(a.workspace.id, a.manager.id)).toBe("manager");
  });

  it("lets any member leave on their own", async () => {
    const a = await team();
    await removeMember(await a.ctx(a.rep.id), a.rep.id);
    expect(await roleOf(a.workspace.id, a.rep.id)).toBeUndefined();
    expect((await auditOf(a.workspace.id)).at(-1)).toMatchObject({ action: "member.left", actorId: a.rep.id, targetId: a.rep.id });
  });

  it("never lets the last owner leave or be removed", async () => {
    const a = await team();
    await expectAppError(removeMember(await a.ctx(a.owner.id), a.owner.id), "CONFLICT", "errors.lastOwner");
    expect(await roleOf(a.workspace.id, a.owner.id)).toBe("owner");
    const log = await auditOf(a.workspace.id);
    expect(log.map((e) => e.action)).toEqual(["workspace.created"]);

    await changeRole(await a.ctx(a.owner.id), { userId: a.admin.id, role: "owner" });
    await removeMember(await a.ctx(a.owner.id), a.owner.id);
    expect(await roleOf(a.workspace.id, a.owner.id)).toBeUndefined();
    await expectAppError(removeMember(await a.ctx(a.admin.id), a.admin.id), "CONFLICT", "errors.lastOwner");
  });
});

describe("audit log", () => {
  it("records every change, newest first, and only admins and owners may read it", async () => {
    const a = await team();
    const owner = await a.ctx(a.owner.id);
    const { invitation } = await inviteMember(owner, { email: "audit@example.com", role: "rep" });
    await revokeInvitation(owner, invitation.id);
    await changeRole(owner, { userId: a.rep.id, role: "manager" });
    await removeMember(owner, a.manager.id);
    await updateWorkspace(owner, { name: "Acme Renamed", timeZone: "Asia/Shanghai", currency: "CNY", dealVisibility: "own" });
    await removeMember(await a.ctx(a.admin2.id), a.admin2.id);

    const entries = await listAuditLog(await a.ctx(a.admin.id));
    expect(entries.map((e) => e.action)).toEqual([
      "member.left",
      "workspace.updated",
      "member.removed",
      "member.role_changed",
      "invitation.revoked",
      "member.invited",
      "workspace.created",
    ]);
    expect(entries[0]!.actorName).toBe(a.admin2.name);
    expect(entries[1]!.details).toMatchObject({ name: "Acme Renamed", currency: "CNY" });

    expect(await listAuditLog(owner)).toEqual(entries);
    expect(await listAuditLog(owner, 2)).toEqual(entries.slice(0, 2));

    const read = (userId: string) => a.ctx(userId).then((ctx) => listAuditLog(ctx));
    const rep = await newUser("AuditRep");
    await t.db.insert(memberships).values({ workspaceId: a.workspace.id, userId: rep.id, role: "rep", createdAt: now });
    await expectAppError(read(a.rep.id), "FORBIDDEN"); // a manager now
    await expectAppError(read(rep.id), "FORBIDDEN");
  });

  it("refuses to update the workspace without settings.manage", async () => {
    const a = await team();
    await expectAppError(
      updateWorkspace(await a.ctx(a.manager.id), { name: "Hijacked", timeZone: "UTC", currency: "USD", dealVisibility: "all" }),
      "FORBIDDEN",
    );
    expect((await auditOf(a.workspace.id)).map((e) => e.action)).toEqual(["workspace.created"]);
  });
});

describe("two workspaces", () => {
  /** A's members, roles, invitations and audit log: what B must not be able to change. */
  async function stateOf(workspaceId: string) {
    return {
      members: await t.db
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(eq(memberships.workspaceId, workspaceId))
        .orderBy(asc(memberships.userId)),
      invitations: await t.db.select().from(invitations).where(eq(invitations.workspaceId, workspaceId)).orderBy(asc(invitations.id)),
      audit: (await auditOf(workspaceId)).length,
    };
  }

  it("does not let B's owner change, remove or revoke anything of A through B's context", async () => {
    const a = await team("Alpha");
    const b = await team("Beta");
    // B's owner is also a plain rep in A: B's context must still not reach A.
    await t.db.insert(memberships).values({ workspaceId: a.workspace.id, userId: b.owner.id, role: "rep", createdAt: now });
    const { invitation } = await inviteMember(await a.ctx(a.owner.id), { email: "pending-a@example.com", role: "rep" });
    const before = await stateOf(a.workspace.id);
    const bAudit = (await auditOf(b.workspace.id)).length;

    const ctxB: Ctx = await b.ctx(b.owner.id);
    expect(ctxB.role).toBe("owner");
    await expectAppError(changeRole(ctxB, { userId: a.rep.id, role: "admin" }), "NOT_FOUND");
    await expectAppError(changeRole(ctxB, { userId: a.owner.id, role: "rep" }), "NOT_FOUND");
    await expectAppError(removeMember(ctxB, a.rep.id), "NOT_FOUND");
    await expectAppError(removeMember(ctxB, a.owner.id), "NOT_FOUND");
    await expectAppError(revokeInvitation(ctxB, invitation.id), "NOT_FOUND");

    expect(await stateOf(a.workspace.id)).toEqual(before);
    expect((await auditOf(b.workspace.id)).length).toBe(bAudit);
    expect(await roleOf(a.workspace.id, b.owner.id)).toBe("rep");
  });

  it("shows B only B's members, invitations and audit entries", async () => {
    const a = await team("Gamma");
    const b = await team("Delta");
    await inviteMember(await a.ctx(a.owner.id), { email: "only-in-a@example.com", role: "rep" });
    const ctxB = await b.ctx(b.owner.id);
    const memberIds = (await listMembers(ctxB)).map((m) => m.userId);
    expect(memberIds).toHaveLength(5);
    expect(memberIds).not.toContain(a.rep.id);
    expect(await listPendingInvitations(ctxB)).toEqual([]);
    const audit = await listAuditLog(ctxB);
    expect(audit.map((e) => e.action)).toEqual(["workspace.created"]);
  });

  it("updates only B's settings from B's context", async () => {
    const a = await team("Epsilon");
    const b = await team("Zeta");
    await updateWorkspace(await b.ctx(b.owner.id), { name: "Zeta 2", timeZone: "Europe/Paris", currency: "EUR", dealVisibility: "own" });
    const ctxA = await a.ctx(a.owner.id);
    expect(ctxA.workspace).toMatchObject({ name: "Epsilon", timeZone: "UTC", currency: "USD", dealVisibility: "all" });
    expect((await b.ctx(b.owner.id)).workspace).toMatchObject({ name: "Zeta 2", currency: "EUR" });
  });

  it("does not let an invitation of A make anyone a member of B", async () => {
    const a = await team("Eta");
    const b = await team("Theta");
    const { link } = await inviteMember(await a.ctx(a.owner.id), { email: "joiner@example.com", role: "admin" });
    const joiner = await newUser("Joiner");
    const joined = await acceptInvitation(t.db, joiner.id, tokenOf(link), now);
    expect(joined.slug).toBe(a.workspace.slug);
    expect(await roleOf(b.workspace.id, joiner.id)).toBeUndefined();
    await expectAppError(authorizeMember(t.db, joiner.id, b.workspace.slug, "workspace.read", now), "NOT_FOUND");
  });
});
