import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditLog, companies, contacts, deals, pipelines, stages, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createCompany, deleteCompany, updateCompany } from "@/lib/companies/commands";
import { getCompany, listCompanies, searchCompanies } from "@/lib/companies/queries";
import { createContact } from "@/lib/contacts/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
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

async function insertDeal(ws: WorkspaceFixture, values: { title: string; companyId?: string | null; contactId?: string | null; ownerId?: string | null; status?: "open" | "won" | "lost"; deletedAt?: Date }) {
  const [stage] = await t.db
    .select({ id: stages.id, pipelineId: stages.pipelineId })
    .from(stages)
    .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId))
    .where(eq(stages.workspaceId, ws.workspaceId))
    .orderBy(asc(stages.position))
    .limit(1);
  const [deal] = await t.db.insert(deals).values({ workspaceId: ws.workspaceId, pipelineId: stage!.pipelineId, stageId: stage!.id, ...values }).returning();
  return deal!;
}

const rowOf = async (id: string) => (await t.db.select().from(companies).where(eq(companies.id, id)))[0];

describe("creating and updating companies", () => {
  it("stores a company with a normalised domain and the caller as default owner", async () => {
    const c = await createCompany(owner, { name: "  Acme Inc ", domain: "https://www.ACME.com/about", phone: "+1 555 0100", address: "1 Road\nSpringfield" });
    expect(c).toMatchObject({ workspaceId: a.workspaceId, name: "Acme Inc", domain: "acme.com", ownerId: a.users.owner, address: "1 Road\nSpringfield" });
    const detail = await getCompany(owner, c.id);
    expect(detail).toMatchObject({ name: "Acme Inc", owner: { id: a.users.owner }, contacts: [], deals: [], contactCount: 0 });
  });

  it("refuses an empty name, a malformed domain and an owner from outside the workspace", async () => {
    await expect(createCompany(owner, { name: "" })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["name"], message: "errors.required" })] });
    await expect(createCompany(owner, { name: "X", domain: "not a domain" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["domain"], message: "errors.invalidDomain" })],
    });
    await expect(createCompany(owner, { name: "X", ownerId: b.users.owner })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { ownerId: ["errors.ownerNotMember"] } });
  });

  it("replaces the editable fields and stamps updatedAt", async () => {
    const c = await createCompany(owner, { name: "Initech" });
    const later = at(owner, "2026-03-12T08:00:00Z");
    const updated = await updateCompany(later, { companyId: c.id, name: "Initech LLC", domain: "initech.io", phone: "", address: "", ownerId: a.users.rep });
    expect(updated).toMatchObject({ name: "Initech LLC", domain: "initech.io", phone: null, address: null, ownerId: a.users.rep });
    expect(updated.updatedAt).toEqual(new Date("2026-03-12T08:00:00Z"));
    const unassigned = await updateCompany(later, { companyId: c.id, name: "Initech LLC", ownerId: "" });
    expect(unassigned.ownerId).toBeNull();
  });
});

describe("deleting", () => {
  it("deletes the company, keeps its contacts and deals unlinked, and writes the audit log", async () => {
    const c = await createCompany(owner, { name: "Doomed Co", domain: "doomed.example" });
    const person = await createContact(owner, { firstName: "Left", companyId: c.id });
    const deal = await insertDeal(a, { title: "Orphan", companyId: c.id, ownerId: a.users.owner });
    await deleteCompany(owner, c.id);
    expect(await rowOf(c.id)).toBeUndefined();
    expect((await t.db.select().from(contacts).where(eq(contacts.id, person.id)))[0]!.companyId).toBeNull();
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.companyId).toBeNull();
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.targetId, c.id)));
    expect(entry).toMatchObject({ action: "company.deleted", targetType: "company", actorId: a.users.owner, details: { name: "Doomed Co", domain: "doomed.example" } });
    await expect(deleteCompany(owner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getCompany(owner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getCompany(owner, "42")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("two workspaces", () => {
  it("B cannot read, change or delete A's company, and A's company is unchanged", async () => {
    const c = await createCompany(owner, { name: "Alpha Secret", domain: "alpha-secret.test" });
    await createContact(owner, { firstName: "Insider", companyId: c.id });
    const before = await rowOf(c.id);
    await expect(getCompany(bOwner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateCompany(bOwner, { companyId: c.id, name: "Taken over" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteCompany(bOwner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await rowOf(c.id)).toEqual(before);
    expect(await t.db.$count(contacts, eq(contacts.companyId, c.id))).toBe(1);
    expect((await listCompanies(bOwner, { q: "secret" })).total).toBe(0);
    expect(await searchCompanies(bOwner, "alpha", 10)).toEqual([]);
  });
});

describe("the company page", () => {
  it("lists its contacts and the deals the caller may see", async () => {
    const ws = await createWorkspaceFixture(t.db, "Visibility");
    const wsOwner = await write(ws);
    const company = await createCompany(wsOwner, { name: "Umbrella" });
    await createContact(wsOwner, { firstName: "Zed", companyId: company.id });
    await createContact(wsOwner, { firstName: "amy", lastName: "Adams", email: "amy@umbrella.test", companyId: company.id, lifecycle: "qualified" });
    await createContact(wsOwner, { firstName: "Elsewhere" });
    const repDeal = await insertDeal(ws, { title: "Rep deal", companyId: company.id, ownerId: ws.users.rep });
    await insertDeal(ws, { title: "Manager deal", companyId: company.id, ownerId: ws.users.manager });
    await insertDeal(ws, { title: "Won deal", companyId: company.id, ownerId: ws.users.manager, status: "won" });
    await insertDeal(ws, { title: "Deleted deal", companyId: company.id, ownerId: ws.users.rep, deletedAt: new Date("2026-03-01T00:00:00Z") });

    const asOwner = await getCompany(wsOwner, company.id);
    expect(asOwner.contacts.map((c) => c.firstName)).toEqual(["amy", "Zed"]);
    expect(asOwner.contactCount).toBe(2);
    expect(asOwner.contacts[0]).toMatchObject({ email: "amy@umbrella.test", lifecycle: "qualified" });
    expect(asOwner.deals.map((d) => d.title)).toEqual(expect.arrayContaining(["Rep deal", "Manager deal", "Won deal"]));
    expect(asOwner.deals).toHaveLength(3);
    expect(asOwner.deals.at(-1)!.status).toBe("won"); // open deals first

    const list = await listCompanies(wsOwner, { q: "umbrella" });
    expect(list.rows[0]).toMatchObject({ name: "Umbrella", contactCount: 2, openDealCount: 2 });

    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, ws.workspaceId));
    const rep = await ws.ctx("rep");
    expect((await getCompany(rep, company.id)).deals.map((d) => d.id)).toEqual([repDeal.id]);
    expect((await listCompanies(rep, { q: "umbrella" })).rows[0]!.openDealCount).toBe(1);
    expect((await getCompany(await ws.ctx("manager"), company.id)).deals).toHaveLength(3);
  });
});

describe("listing, searching, sorting and paging", () => {
  let ws: WorkspaceFixture;
  let ctx: Ctx;
  beforeAll(async () => {
    ws = await createWorkspaceFixture(t.db, "Listing");
    ctx = await write(ws);
    const rows = await t.db
      .insert(companies)
      .values(
        Array.from({ length: 75 }, (_, i) => ({
          workspaceId: ws.workspaceId,
          name: `Company ${String(i).padStart(2, "0")}`,
          domain: `c${i}.example`,
          phone: i === 5 ? "+44 20 7946 0958" : null,
          ownerId: i < 5 ? ws.users.rep : ws.users.owner,
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
        })),
      )
      .returning();
    // Company 10 has 3 contacts and 1 open deal; Company 20 has 1 contact and 2 open deals.
    await t.db.insert(contacts).values([
      ...[1, 2, 3].map((n) => ({ workspaceId: ws.workspaceId, firstName: `P${n}`, companyId: rows[10]!.id })),
      { workspaceId: ws.workspaceId, firstName: "Q", companyId: rows[20]!.id },
    ]);
    await insertDeal(ws, { title: "d1", companyId: rows[10]!.id, ownerId: ws.users.owner });
    await insertDeal(ws, { title: "d2", companyId: rows[20]!.id, ownerId: ws.users.owner });
    await insertDeal(ws, { title: "d3", companyId: rows[20]!.id, ownerId: ws.users.owner });
    await insertDeal(ws, { title: "lost", companyId: rows[10]!.id, ownerId: ws.users.owner, status: "lost" });
  });

  it("pages by 50 with totals, A–Z by default, and clamps a page past the end", async () => {
    const p1 = await listCompanies(ctx);
    expect(p1).toMatchObject({ total: 75, page: 1, pageSize: 50, pageCount: 2, sort: "name", dir: "asc" });
    expect(p1.rows[0]!.name).toBe("Company 00");
    const p2 = await listCompanies(ctx, { page: 2 });
    expect(p2.rows).toHaveLength(25);
    expect(p2.rows.at(-1)!.name).toBe("Company 74");
    expect((await listCompanies(ctx, { page: 7 })).page).toBe(2);
  });

  it("searches name, domain and phone case-insensitively, and filters by owner", async () => {
    expect((await listCompanies(ctx, { q: "company 0" })).total).toBe(10);
    expect((await listCompanies(ctx, { q: "C42.EXAMPLE" })).rows.map((r) => r.name)).toEqual(["Company 42"]);
    expect((await listCompanies(ctx, { q: "7946" })).rows.map((r) => r.name)).toEqual(["Company 05"]);
    expect((await listCompanies(ctx, { q: "2079460958" })).rows.map((r) => r.name)).toEqual(["Company 05"]);
    expect((await listCompanies(ctx, { owner: ws.users.rep })).total).toBe(5);
    expect((await listCompanies(ctx, { owner: "me" })).total).toBe(70);
    expect((await listCompanies(ctx, { owner: "none" })).total).toBe(0);
  });

  it("sorts by contacts, open deals, created and name descending", async () => {
    expect((await listCompanies(ctx, { sort: "contacts" })).rows.slice(0, 2).map((r) => [r.name, r.contactCount])).toEqual([
      ["Company 10", 3],
      ["Company 20", 1],
    ]);
    expect((await listCompanies(ctx, { sort: "deals" })).rows.slice(0, 2).map((r) => [r.name, r.openDealCount])).toEqual([
      ["Company 20", 2],
      ["Company 10", 1],
    ]);
    expect((await listCompanies(ctx, { sort: "created" })).rows[0]!.name).toBe("Company 74");
    expect((await listCompanies(ctx, { sort: "created", dir: "asc" })).rows[0]!.name).toBe("Company 00");
    expect((await listCompanies(ctx, { sort: "name", dir: "desc" })).rows[0]!.name).toBe("Company 74");
  });

  it("searchCompanies returns picker options, names starting with the text first", async () => {
    await t.db.insert(companies).values({ workspaceId: ws.workspaceId, name: "Zebra 42 Holdings" });
    const options = await searchCompanies(ctx, "42", 5);
    expect(options.map((o) => o.name)).toEqual(["Company 42", "Zebra 42 Holdings"]);
    await t.db.insert(companies).values({ workspaceId: ws.workspaceId, name: "42 Systems" });
    expect((await searchCompanies(ctx, "42", 5))[0]).toEqual({ id: expect.any(String), name: "42 Systems", domain: null });
    expect(await searchCompanies(ctx, "", 3)).toHaveLength(3);
  });
});
