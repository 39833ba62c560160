import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditLog, companies, contacts, deals, pipelines, stages, users, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createContact, deleteContact, updateContact } from "@/lib/contacts/commands";
import { getContact, listContacts, searchContacts } from "@/lib/contacts/queries";
import { createCompany } from "@/lib/companies/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx; // owner of workspace A, with contacts.write
let bOwner: Ctx;

const write = (f: WorkspaceFixture, role: "owner" | "admin" | "manager" | "rep" = "owner") => f.ctx(role, { permission: "contacts.write" });

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await write(a);
  bOwner = await write(b);
});
afterAll(() => t.close());

/** A deal inserted directly (the deal commands belong to another module): first stage of the default pipeline. */
async function insertDeal(ws: WorkspaceFixture, values: { title: string; contactId?: string | null; companyId?: string | null; ownerId?: string | null; status?: "open" | "won" | "lost"; value?: number; deletedAt?: Date }) {
  const [stage] = await t.db
    .select({ id: stages.id, pipelineId: stages.pipelineId })
    .from(stages)
    .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId))
    .where(eq(stages.workspaceId, ws.workspaceId))
    .orderBy(asc(stages.position))
    .limit(1);
  const [deal] = await t.db
    .insert(deals)
    .values({ workspaceId: ws.workspaceId, pipelineId: stage!.pipelineId, stageId: stage!.id, value: 100_00, ...values })
    .returning();
  return deal!;
}

const rowOf = async (id: string) => (await t.db.select().from(contacts).where(eq(contacts.id, id)))[0];

describe("creating contacts", () => {
  it("stores a contact with the caller as default owner, lead lifecycle and a lower-case email", async () => {
    const c = await createContact(owner, { firstName: " Ann ", lastName: "Lee", email: "Ann.Lee@Example.COM", phone: "+1 555 0100", title: "CTO", timeZone: "europe/paris" });
    expect(c).toMatchObject({
      workspaceId: a.workspaceId,
      firstName: "Ann",
      lastName: "Lee",
      email: "ann.lee@example.com",
      ownerId: a.users.owner,
      lifecycle: "lead",
      timeZone: "Europe/Paris",
      title: "CTO",
    });
    expect(c.createdAt).toEqual(owner.now);
    const detail = await getContact(owner, c.id);
    expect(detail).toMatchObject({ id: c.id, firstName: "Ann", owner: { id: a.users.owner }, company: null, deals: [] });
  });

  it("turns empty form fields into nulls and keeps an explicit 'no owner'", async () => {
    const c = await createContact(owner, { firstName: "Blank", lastName: "", email: "", phone: "", title: "", companyId: "", ownerId: "", lifecycle: "", source: "", timeZone: "" });
    expect(c).toMatchObject({ lastName: "", email: null, phone: null, title: null, companyId: null, ownerId: null, lifecycle: "lead", source: null, timeZone: null });
  });

  it("refuses a missing first name, a bad email, an unknown time zone and an unknown lifecycle", async () => {
    await expect(createContact(owner, { firstName: "  " })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["firstName"], message: "errors.required" })] });
    await expect(createContact(owner, { firstName: "X", email: "not-an-email" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["email"], message: "errors.invalidEmail" })],
    });
    await expect(createContact(owner, { firstName: "X", timeZone: "Mars/Olympus" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["timeZone"], message: "errors.invalidTimeZone" })],
    });
    await expect(createContact(owner, { firstName: "X", lifecycle: "vip" as never })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["lifecycle"] })] });
  });

  it("refuses a company of another workspace and creates nothing", async () => {
    const foreign = await createCompany(bOwner, { name: "Beta Corp" });
    const before = await t.db.$count(contacts, eq(contacts.workspaceId, a.workspaceId));
    await expect(createContact(owner, { firstName: "Sneaky", companyId: foreign.id })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { companyId: ["errors.companyNotFound"] },
    });
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, a.workspaceId))).toBe(before);
  });

  it("refuses an owner who is not a member of the workspace", async () => {
    // B's rep exists as a user but is not a member of A.
    await expect(createContact(owner, { firstName: "Owned", ownerId: b.users.rep })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { ownerId: ["errors.ownerNotMember"] },
    });
    const c = await createContact(owner, { firstName: "Owned", ownerId: a.users.rep });
    expect(c.ownerId).toBe(a.users.rep);
  });

  it("creates the company typed in the picker, or reuses the one with that name", async () => {
    const first = await createContact(owner, { firstName: "Pat", newCompanyName: "Globex" });
    const second = await createContact(owner, { firstName: "Sam", newCompanyName: "GLOBEX" });
    expect(first.companyId).toBeTruthy();
    expect(second.companyId).toBe(first.companyId);
    const [company] = await t.db.select().from(companies).where(eq(companies.id, first.companyId!));
    expect(company).toMatchObject({ workspaceId: a.workspaceId, name: "Globex" });
  });
});

describe("email uniqueness", () => {
  it("is case-insensitive within a workspace, on create and on update", async () => {
    const first = await createContact(owner, { firstName: "Uma", email: "uma@example.com" });
    await expect(createContact(owner, { firstName: "Uma 2", email: "UMA@Example.com" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "errors.contactEmailTaken",
      fieldErrors: { email: ["errors.contactEmailTaken"] },
    });
    const other = await createContact(owner, { firstName: "Vic", email: "vic@example.com" });
    await expect(updateContact(owner, { contactId: other.id, firstName: "Vic", email: "Uma@EXAMPLE.com" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await rowOf(other.id))!.email).toBe("vic@example.com");
    // Saving a contact with its own address (even re-cased) is not a clash.
    const same = await updateContact(owner, { contactId: first.id, firstName: "Uma", email: "UMA@example.com" });
    expect(same.email).toBe("uma@example.com");
  });

  it("allows the same email in another workspace, and many contacts without email", async () => {
    await createContact(owner, { firstName: "Wen", email: "shared@example.com" });
    const inB = await createContact(bOwner, { firstName: "Wen", email: "Shared@example.com" });
    expect(inB.workspaceId).toBe(b.workspaceId);
    await createContact(owner, { firstName: "No mail 1" });
    await createContact(owner, { firstName: "No mail 2" });
  });
});

describe("updating and deleting", () => {
  it("replaces the editable fields and stamps updatedAt", async () => {
    const company = await createCompany(owner, { name: "Initech" });
    const c = await createContact(owner, { firstName: "Pete", email: "pete@example.com" });
    const later = at(owner, "2026-03-11T10:00:00Z");
    const updated = await updateContact(later, {
      contactId: c.id,
      firstName: "Peter",
      lastName: "Gibbons",
      email: "peter@initech.com",
      companyId: company.id,
      ownerId: a.users.manager,
      lifecycle: "qualified",
      source: "Referral",
      timeZone: "America/Chicago",
    });
    expect(updated).toMatchObject({ firstName: "Peter", lastName: "Gibbons", companyId: company.id, ownerId: a.users.manager, lifecycle: "qualified", source: "Referral" });
    expect(updated.updatedAt).toEqual(new Date("2026-03-11T10:00:00Z"));
    expect(updated.createdAt).toEqual(owner.now);
    const detail = await getContact(owner, c.id);
    expect(detail.company).toEqual({ id: company.id, name: "Initech", domain: null });
    expect(detail.owner?.id).toBe(a.users.manager);
  });

  it("deletes a contact, unlinks its deals and writes the audit log", async () => {
    const c = await createContact(owner, { firstName: "Gone", lastName: "Soon", email: "gone@example.com" });
    const deal = await insertDeal(a, { title: "Kept deal", contactId: c.id, ownerId: a.users.owner });
    await deleteContact(owner, c.id);
    expect(await rowOf(c.id)).toBeUndefined();
    const [kept] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(kept!.contactId).toBeNull();
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.targetId, c.id)));
    expect(entry).toMatchObject({ action: "contact.deleted", targetType: "contact", actorId: a.users.owner, details: { name: "Gone Soon", email: "gone@example.com" } });
    await expect(deleteContact(owner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getContact(owner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("treats a malformed id as not found", async () => {
    await expect(getContact(owner, "not-a-uuid")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteContact(owner, "not-a-uuid")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("two workspaces", () => {
  it("B cannot read, change or delete A's contact, and A's contact is unchanged", async () => {
    const company = await createCompany(owner, { name: "Alpha Only" });
    const c = await createContact(owner, { firstName: "Private", lastName: "Person", email: "private@alpha.test", companyId: company.id });
    const before = await rowOf(c.id);
    await expect(getContact(bOwner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateContact(bOwner, { contactId: c.id, firstName: "Hacked", email: "hacked@beta.test" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteContact(bOwner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // B's own contact cannot be attached to A's company either.
    const own = await createContact(bOwner, { firstName: "Beta person" });
    await expect(updateContact(bOwner, { contactId: own.id, firstName: "Beta person", companyId: company.id })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await rowOf(c.id)).toEqual(before);
    expect((await listContacts(bOwner, { q: "private" })).total).toBe(0);
    expect(await searchContacts(bOwner, "Private", 10)).toEqual([]);
    expect(await t.db.$count(auditLog, and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.targetId, c.id)))).toBe(0);
  });
});

describe("deals on the contact page", () => {
  it("lists the contact's deals with stage and pipeline, and only the caller's own when the workspace says so", async () => {
    const ws = await createWorkspaceFixture(t.db, "Visibility");
    const wsOwner = await write(ws);
    const c = await createContact(wsOwner, { firstName: "Dee", email: "dee@example.com" });
    const repDeal = await insertDeal(ws, { title: "Rep's deal", contactId: c.id, ownerId: ws.users.rep, value: 5_000_00 });
    await insertDeal(ws, { title: "Manager's deal", contactId: c.id, ownerId: ws.users.manager, status: "won" });
    await insertDeal(ws, { title: "Deleted deal", contactId: c.id, ownerId: ws.users.rep, deletedAt: new Date("2026-03-01T00:00:00Z") });
    await insertDeal(ws, { title: "Someone else's contact", ownerId: ws.users.rep });

    const all = await getContact(await ws.ctx("rep"), c.id);
    expect(all.deals.map((d) => d.title).sort()).toEqual(["Manager's deal", "Rep's deal"]);
    expect(all.deals[0]).toMatchObject({ title: "Rep's deal", status: "open", value: 5_000_00, currency: "USD", stageName: expect.any(String), pipelineName: "Sales pipeline" });

    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, ws.workspaceId));
    const rep = await ws.ctx("rep");
    expect((await getContact(rep, c.id)).deals.map((d) => d.id)).toEqual([repDeal.id]);
    // Managers see every deal regardless.
    expect((await getContact(await ws.ctx("manager"), c.id)).deals).toHaveLength(2);
  });
});

describe("listing, searching, sorting and paging", () => {
  let ws: WorkspaceFixture;
  let ctx: Ctx;
  beforeAll(async () => {
    ws = await createWorkspaceFixture(t.db, "Listing");
    ctx = await write(ws);
    const [acme, zeta] = await t.db
      .insert(companies)
      .values([
        { workspaceId: ws.workspaceId, name: "Acme Rockets" },
        { workspaceId: ws.workspaceId, name: "Zeta Labs" },
      ])
      .returning();
    // 120 contacts: c000…c119, created one minute apart; every third at Acme, every fifth at Zeta (unless Acme).
    await t.db.insert(contacts).values(
      Array.from({ length: 120 }, (_, i) => ({
        workspaceId: ws.workspaceId,
        firstName: `Person${String(i).padStart(3, "0")}`,
        lastName: i % 2 ? "Odd" : "Even",
        email: `p${i}@list.test`,
        phone: i === 7 ? "+1 (555) 123-4567" : null,
        companyId: i % 3 === 0 ? acme!.id : i % 5 === 0 ? zeta!.id : null,
        ownerId: i < 10 ? ws.users.rep : ws.users.owner,
        lifecycle: (i % 4 === 0 ? "customer" : i % 4 === 1 ? "qualified" : "lead") as "lead" | "qualified" | "customer",
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    );
    await t.db.insert(contacts).values([
      { workspaceId: ws.workspaceId, firstName: "芳", lastName: "王", email: "wang@list.test", createdAt: new Date("2025-01-01T00:00:00Z") },
      { workspaceId: ws.workspaceId, firstName: "Under_score", lastName: "100%", createdAt: new Date("2025-01-01T00:00:00Z") },
    ]);
  });

  it("pages by 50 with the total count, newest first by default, and clamps a page past the end", async () => {
    const p1 = await listContacts(ctx);
    expect(p1).toMatchObject({ total: 122, page: 1, pageSize: 50, pageCount: 3, sort: "created", dir: "desc" });
    expect(p1.rows).toHaveLength(50);
    expect(p1.rows[0]!.firstName).toBe("Person119");
    const p3 = await listContacts(ctx, { page: 3 });
    expect(p3.rows).toHaveLength(22);
    const ids = new Set([...p1.rows, ...(await listContacts(ctx, { page: 2 })).rows, ...p3.rows].map((r) => r.id));
    expect(ids.size).toBe(122);
    const past = await listContacts(ctx, { page: 99 });
    expect(past.page).toBe(3);
    expect(past.rows.map((r) => r.id)).toEqual(p3.rows.map((r) => r.id));
  });

  it("searches name, email, phone (also by digits) and company name, case-insensitively", async () => {
    expect((await listContacts(ctx, { q: "person00" })).total).toBe(10);
    expect((await listContacts(ctx, { q: "PERSON001 odd" })).rows.map((r) => r.firstName)).toEqual(["Person001"]);
    expect((await listContacts(ctx, { q: "P42@LIST" })).rows.map((r) => r.email)).toEqual(["p42@list.test"]);
    expect((await listContacts(ctx, { q: "555) 123" })).rows.map((r) => r.firstName)).toEqual(["Person007"]);
    expect((await listContacts(ctx, { q: "5551234" })).rows.map((r) => r.firstName)).toEqual(["Person007"]);
    expect((await listContacts(ctx, { q: "zeta" })).total).toBe(16); // i%5==0 and i%3!=0 among 0..119
    expect((await listContacts(ctx, { q: "王芳" })).rows.map((r) => r.email)).toEqual(["wang@list.test"]);
    expect((await listContacts(ctx, { q: "nobody-like-this" })).total).toBe(0);
  });

  it("takes % and _ in the search literally", async () => {
    expect((await listContacts(ctx, { q: "%" })).rows.map((r) => r.firstName)).toEqual(["Under_score"]);
    expect((await listContacts(ctx, { q: "r_s" })).rows.map((r) => r.firstName)).toEqual(["Under_score"]);
  });

  it("filters by owner (me / a member / none) and lifecycle, with totals", async () => {
    expect((await listContacts(ctx, { owner: ws.users.rep })).total).toBe(10);
    expect((await listContacts(ctx, { owner: "me" })).total).toBe(110);
    expect((await listContacts(ctx, { owner: "none" })).total).toBe(2);
    expect((await listContacts(ctx, { lifecycle: "customer" })).total).toBe(30);
    expect((await listContacts(ctx, { lifecycle: "customer", owner: ws.users.rep })).total).toBe(3); // 0, 4, 8
  });

  it("sorts by name, company (no company last) and lifecycle, both ways", async () => {
    const byName = await listContacts(ctx, { sort: "name" });
    expect(byName.dir).toBe("asc");
    expect(byName.rows[0]!.firstName).toBe("Person000");
    const byNameDesc = await listContacts(ctx, { sort: "name", dir: "desc" });
    expect(byNameDesc.rows[0]!.firstName).toBe("芳");

    const byCompany = await listContacts(ctx, { sort: "company" });
    expect(byCompany.rows[0]!.company?.name).toBe("Acme Rockets");
    const lastPage = await listContacts(ctx, { sort: "company", page: 3 });
    expect(lastPage.rows.at(-1)!.company).toBeNull();
    const byCompanyDesc = await listContacts(ctx, { sort: "company", dir: "desc" });
    expect(byCompanyDesc.rows[0]!.company?.name).toBe("Zeta Labs");
    expect((await listContacts(ctx, { sort: "company", dir: "desc", page: 3 })).rows.at(-1)!.company).toBeNull();

    const byLifecycle = await listContacts(ctx, { sort: "lifecycle" });
    expect(byLifecycle.rows[0]!.lifecycle).toBe("lead");
    const byLifecycleDesc = await listContacts(ctx, { sort: "lifecycle", dir: "desc" });
    expect(byLifecycleDesc.rows[0]!.lifecycle).toBe("customer");

    const oldest = await listContacts(ctx, { sort: "created", dir: "asc" });
    expect(oldest.rows.slice(0, 2).map((r) => r.createdAt)).toEqual([new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z")]);
  });

  it("sorts by lead score (highest first by default) and filters by a minimum score", async () => {
    await t.db.update(contacts).set({ score: 0 }).where(eq(contacts.workspaceId, ws.workspaceId));
    const scored = [["Person005", 80], ["Person010", 40], ["Person020", 40], ["Person030", 5]] as const;
    for (const [firstName, score] of scored) await t.db.update(contacts).set({ score }).where(and(eq(contacts.workspaceId, ws.workspaceId), eq(contacts.firstName, firstName)));
    const byScore = await listContacts(ctx, { sort: "score" });
    expect(byScore.dir).toBe("desc");
    expect(byScore.rows.slice(0, 4).map((r) => [r.firstName, r.score])).toEqual([["Person005", 80], ["Person010", 40], ["Person020", 40], ["Person030", 5]]);
    expect((await listContacts(ctx, { sort: "score", dir: "asc" })).rows[0]!.score).toBe(0);
    const hot = await listContacts(ctx, { minScore: 40, sort: "score" });
    expect(hot.total).toBe(3);
    expect(hot.rows.map((r) => r.firstName)).toEqual(["Person005", "Person010", "Person020"]);
    expect((await listContacts(ctx, { minScore: 1 })).total).toBe(4);
  });

  it("returns rows with company and owner for the table", async () => {
    const [row] = (await listContacts(ctx, { q: "p3@list.test" })).rows;
    expect(row).toMatchObject({ firstName: "Person003", company: { name: "Acme Rockets" }, owner: { id: ws.users.rep }, lifecycle: "lead" });
  });

  it("searchContacts returns picker options, prefix matches first, limited", async () => {
    const options = await searchContacts(ctx, "person01", 3);
    expect(options).toHaveLength(3);
    expect(options[0]).toEqual({ id: expect.any(String), name: "Person010 Even", email: "p10@list.test", companyName: "Zeta Labs" });
    expect(options[1]).toMatchObject({ name: "Person011 Odd" });
    const withCompany = await searchContacts(ctx, "p0@list", 5);
    expect(withCompany[0]).toMatchObject({ name: "Person000 Even", companyName: "Acme Rockets" });
    expect(await searchContacts(ctx, "", 200)).toHaveLength(50);
    // A contact named "Odd…" would come before "Person… Odd" for "odd"; none exists, so names containing it follow A–Z.
    expect((await searchContacts(ctx, "odd", 2)).map((o) => o.name)).toEqual(["Person001 Odd", "Person003 Odd"]);
  });
});

describe("unrelated users", () => {
  it("cannot be used as owner even when they exist", async () => {
    const [stranger] = await t.db.insert(users).values({ email: "stranger@example.com", name: "Stranger" }).returning();
    await expect(createContact(owner, { firstName: "S", ownerId: stranger!.id })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
