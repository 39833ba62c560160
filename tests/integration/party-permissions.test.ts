import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { companies, contacts, dealEvents, deals, stages, workspaces } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { createCompany, deleteCompany, updateCompany } from "@/lib/companies/commands";
import { createContact, deleteContact, updateContact } from "@/lib/contacts/commands";
import { createDeal } from "@/lib/deals/commands";
import { listPipelines } from "@/lib/deals/queries";
import { createDealSchema } from "@/lib/deals/schema";
import { enrollContact, saveSequence } from "@/lib/sequences/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { apiKeyFor, call } from "../helpers/api";
import { oneEmailSequence } from "../helpers/sequence";

// Who may delete a contact or company, and who may give one to another owner (docs/decisions.md, "Reps delete
// only their own contacts and companies"): contacts.manageAny (managers and up) may do both to any record; a rep
// deletes only what they own when every linked deal is visible to them, and reassigns only their own or
// unowned records.

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

const routes = {
  contact: () => import("@/app/api/v1/contacts/[contactId]/route"),
  company: () => import("@/app/api/v1/companies/[companyId]/route"),
};

let t: TestDb;
let a: WorkspaceFixture;
let n = 0;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  a = await createWorkspaceFixture(t.db);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, a.workspaceId));
});

async function contactOf(owner: Role | null) {
  const ctx = await a.ctx("owner");
  n += 1;
  return createContact(ctx, { firstName: `Person ${n}`, email: `person-${n}@example.com`, ownerId: owner ? a.users[owner] : null });
}

async function companyOf(owner: Role | null) {
  const ctx = await a.ctx("owner");
  n += 1;
  return createCompany(ctx, { name: `Company ${n}`, ownerId: owner ? a.users[owner] : null });
}

/** A deal owned by the member with `owner`'s role, linked to the given contact or company. */
async function dealOf(owner: Role, links: { contactId?: string; companyId?: string }) {
  const ctx = await a.ctx(owner);
  const pipeline = (await listPipelines(ctx))[0]!;
  const [stage] = await t.db.select().from(stages).where(eq(stages.pipelineId, pipeline.id)).limit(1);
  return createDeal(ctx, createDealSchema.parse({ title: "Linked", pipelineId: pipeline.id, stageId: stage!.id, ...links }));
}

const contactExists = async (id: string) => (await t.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id))).length === 1;
const companyExists = async (id: string) => (await t.db.select({ id: companies.id }).from(companies).where(eq(companies.id, id))).length === 1;
const unlinkEvents = async (dealId: string) => t.db.select().from(dealEvents).where(and(eq(dealEvents.dealId, dealId), eq(dealEvents.type, "field_changed")));

describe("deleting a contact or company as a rep limited to their own deals", () => {
  it("refuses a colleague's contact or company, and an unowned one, changing nothing", async () => {
    const rep = await a.ctx("rep");
    const contact = await contactOf("manager");
    const deal = await dealOf("manager", { contactId: contact.id });
    await expect(deleteContact(rep, contact.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "errors.partyDeleteNotOwner" });
    expect(await contactExists(contact.id)).toBe(true);
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]).toMatchObject({ contactId: contact.id, version: deal.version });
    expect(await unlinkEvents(deal.id)).toEqual([]);

    const company = await companyOf("manager");
    await expect(deleteCompany(rep, company.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "errors.partyDeleteNotOwner" });
    expect(await companyExists(company.id)).toBe(true);

    const unowned = await contactOf(null);
    await expect(deleteContact(rep, unowned.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const unownedCompany = await companyOf(null);
    await expect(deleteCompany(rep, unownedCompany.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses their own contact or company linked to a colleague's deal they cannot see (trashed ones too)", async () => {
    const rep = await a.ctx("rep");
    const contact = await contactOf("rep");
    await dealOf("rep", { contactId: contact.id });
    const hidden = await dealOf("manager", { contactId: contact.id });
    await expect(deleteContact(rep, contact.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "errors.partyDeleteHiddenDeals" });
    expect(await contactExists(contact.id)).toBe(true);
    expect((await t.db.select().from(deals).where(eq(deals.id, hidden.id)))[0]!.contactId).toBe(contact.id);
    expect(await unlinkEvents(hidden.id)).toEqual([]);

    const company = await companyOf("rep");
    const trashed = await dealOf("admin", { companyId: company.id });
    await t.db.update(deals).set({ deletedAt: new Date("2026-03-09T00:00:00Z") }).where(eq(deals.id, trashed.id));
    await expect(deleteCompany(rep, company.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "errors.partyDeleteHiddenDeals" });
    expect(await companyExists(company.id)).toBe(true);
  });

  it("deletes their own contact or company when every linked deal is theirs", async () => {
    const rep = await a.ctx("rep");
    const lone = await contactOf("rep");
    await deleteContact(rep, lone.id);
    expect(await contactExists(lone.id)).toBe(false);

    const contact = await contactOf("rep");
    const mine = await dealOf("rep", { contactId: contact.id });
    await deleteContact(rep, contact.id);
    expect(await contactExists(contact.id)).toBe(false);
    expect((await t.db.select().from(deals).where(eq(deals.id, mine.id)))[0]!.contactId).toBeNull();

    const company = await companyOf("rep");
    await dealOf("rep", { companyId: company.id });
    await deleteCompany(rep, company.id);
    expect(await companyExists(company.id)).toBe(false);
  });

  it("refuses their own contact a colleague has in a sequence (its enrollments and messages would go with it)", async () => {
    const rep = await a.ctx("rep");
    // Enrolled while a manager owned the contact (an enrollment sends as the contact's owner), then handed to the rep.
    const contact = await contactOf("manager");
    const owner = await a.ctx("owner");
    const seq = await saveSequence(owner, oneEmailSequence({ name: `Outreach ${n}`, subject: "Hi", body: "Hello" }));
    expect((await enrollContact(t.db, owner, { sequenceId: seq.id, contactId: contact.id })).ok).toBe(true);
    await t.db.update(contacts).set({ ownerId: a.users.rep }).where(eq(contacts.id, contact.id));
    await expect(deleteContact(rep, contact.id)).rejects.toMatchObject({ code: "FORBIDDEN", message: "errors.partyDeleteOthersEnrollments" });
    expect(await contactExists(contact.id)).toBe(true);
    // Their own enrollment is no obstacle; with visibility "all" the colleague's is not either.
    const mine = await contactOf("rep");
    expect((await enrollContact(t.db, rep, { sequenceId: seq.id, contactId: mine.id })).ok).toBe(true);
    await deleteContact(rep, mine.id);
    expect(await contactExists(mine.id)).toBe(false);
    await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, a.workspaceId));
    await deleteContact(await a.ctx("rep"), contact.id);
    expect(await contactExists(contact.id)).toBe(false);
  });

  it("may delete their own contact linked to a colleague's deal when the workspace shows reps every deal", async () => {
    await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, a.workspaceId));
    const rep = await a.ctx("rep");
    const contact = await contactOf("rep");
    await dealOf("manager", { contactId: contact.id });
    await deleteContact(rep, contact.id);
    expect(await contactExists(contact.id)).toBe(false);
    // ... but never a colleague's record
    const other = await contactOf("manager");
    await expect(deleteContact(rep, other.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("deleting as a manager or above", () => {
  it("deletes anyone's contact or company, unlinking deals the rep owns", async () => {
    for (const role of ["manager", "admin", "owner"] as const) {
      const ctx = await a.ctx(role);
      const contact = await contactOf("rep");
      const deal = await dealOf("rep", { contactId: contact.id });
      await deleteContact(ctx, contact.id);
      expect(await contactExists(contact.id)).toBe(false);
      expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.contactId).toBeNull();

      const company = await companyOf(null);
      await dealOf("rep", { companyId: company.id });
      await deleteCompany(ctx, company.id);
      expect(await companyExists(company.id)).toBe(false);
    }
  });
});

describe("changing the owner of a contact or company", () => {
  it("a rep cannot take a colleague's record or give it away, but may still edit its other fields", async () => {
    const rep = await a.ctx("rep");
    const contact = await contactOf("manager");
    await expect(updateContact(rep, { contactId: contact.id, firstName: "Taken", email: contact.email, ownerId: a.users.rep })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "errors.partyOwnerNotYours",
    });
    await expect(updateContact(rep, { contactId: contact.id, firstName: "Taken", email: contact.email, ownerId: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contact.id)))[0]).toMatchObject({ firstName: contact.firstName, ownerId: a.users.manager });
    // The same owner sent back, or none sent (a disabled owner field), keeps it.
    await expect(updateContact(rep, { contactId: contact.id, firstName: "Renamed", email: contact.email, ownerId: a.users.manager })).resolves.toMatchObject({ firstName: "Renamed", ownerId: a.users.manager });
    await expect(updateContact(rep, { contactId: contact.id, firstName: "Renamed again", email: contact.email })).resolves.toMatchObject({ ownerId: a.users.manager });

    const company = await companyOf("admin");
    await expect(updateCompany(rep, { companyId: company.id, name: company.name, ownerId: a.users.rep })).rejects.toMatchObject({ code: "FORBIDDEN", message: "errors.partyOwnerNotYours" });
    await expect(updateCompany(rep, { companyId: company.id, name: "New name" })).resolves.toMatchObject({ name: "New name", ownerId: a.users.admin });
  });

  it("a rep may claim an unowned record and hand their own on", async () => {
    const rep = await a.ctx("rep");
    const contact = await contactOf(null);
    await expect(updateContact(rep, { contactId: contact.id, firstName: contact.firstName, email: contact.email, ownerId: a.users.rep })).resolves.toMatchObject({ ownerId: a.users.rep });
    await expect(updateContact(rep, { contactId: contact.id, firstName: contact.firstName, email: contact.email, ownerId: a.users.manager })).resolves.toMatchObject({ ownerId: a.users.manager });
    const company = await companyOf(null);
    await expect(updateCompany(rep, { companyId: company.id, name: company.name, ownerId: a.users.rep })).resolves.toMatchObject({ ownerId: a.users.rep });
    await expect(updateCompany(rep, { companyId: company.id, name: company.name, ownerId: null })).resolves.toMatchObject({ ownerId: null });
  });

  it("a manager reassigns anyone's record", async () => {
    const manager = await a.ctx("manager");
    const contact = await contactOf("rep");
    await expect(updateContact(manager, { contactId: contact.id, firstName: contact.firstName, email: contact.email, ownerId: a.users.admin })).resolves.toMatchObject({ ownerId: a.users.admin });
    const company = await companyOf("rep");
    await expect(updateCompany(manager, { companyId: company.id, name: company.name, ownerId: a.users.manager })).resolves.toMatchObject({ ownerId: a.users.manager });
  });
});

describe("the REST API", () => {
  it("DELETE by a rep's key is 403 for a colleague's record or one linked to a hidden deal, 204 for their own", async () => {
    const repKey = await apiKeyFor(a, "rep");
    const { DELETE: deleteContactRoute } = await routes.contact();
    const { DELETE: deleteCompanyRoute } = await routes.company();

    const colleagues = await contactOf("manager");
    const refused = await call(deleteContactRoute, "DELETE", "/", { key: repKey, params: { contactId: colleagues.id } });
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toBe("Only its owner, a manager or an admin can delete this record.");
    expect(await contactExists(colleagues.id)).toBe(true);

    const linked = await contactOf("rep");
    await dealOf("manager", { contactId: linked.id });
    expect((await call(deleteContactRoute, "DELETE", "/", { key: repKey, params: { contactId: linked.id } })).status).toBe(403);
    expect(await contactExists(linked.id)).toBe(true);

    const company = await companyOf("manager");
    expect((await call(deleteCompanyRoute, "DELETE", "/", { key: repKey, params: { companyId: company.id } })).status).toBe(403);
    expect(await companyExists(company.id)).toBe(true);

    const own = await contactOf("rep");
    expect((await call(deleteContactRoute, "DELETE", "/", { key: repKey, params: { contactId: own.id } })).status).toBe(204);
    const ownCompany = await companyOf("rep");
    expect((await call(deleteCompanyRoute, "DELETE", "/", { key: repKey, params: { companyId: ownCompany.id } })).status).toBe(204);

    const managerKey = await apiKeyFor(a, "manager");
    expect((await call(deleteContactRoute, "DELETE", "/", { key: managerKey, params: { contactId: linked.id } })).status).toBe(204);
    expect((await call(deleteCompanyRoute, "DELETE", "/", { key: managerKey, params: { companyId: company.id } })).status).toBe(204);
  });

  it("PATCH by a rep's key cannot move a colleague's contact to another owner (403)", async () => {
    const repKey = await apiKeyFor(a, "rep");
    const { PATCH } = await routes.contact();
    const contact = await contactOf("manager");
    const refused = await call(PATCH, "PATCH", "/", { key: repKey, params: { contactId: contact.id }, body: { ownerId: a.users.rep } });
    expect(refused.status).toBe(403);
    const edited = await call(PATCH, "PATCH", "/", { key: repKey, params: { contactId: contact.id }, body: { title: "CTO" } });
    expect(edited.json).toMatchObject({ title: "CTO", ownerId: a.users.manager });
  });

  it("concurrent PATCHes of different fields all survive (each reads, merges and writes under one row lock)", async () => {
    const key = await apiKeyFor(a, "admin");
    const { PATCH } = await routes.contact();
    const { PATCH: patchCompany } = await routes.company();
    const contact = await contactOf("rep");
    const edits = [{ title: "CEO" }, { phone: "+1 555 0100" }, { lifecycle: "qualified" }, { source: "Referral" }, { timeZone: "Asia/Shanghai" }];
    const answers = await Promise.all(edits.map((body) => call(PATCH, "PATCH", "/", { key, params: { contactId: contact.id }, body })));
    expect(answers.map((r) => r.status)).toEqual(edits.map(() => 200));
    const [row] = await t.db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(row).toMatchObject({ firstName: contact.firstName, title: "CEO", phone: "+1 555 0100", lifecycle: "qualified", source: "Referral", timeZone: "Asia/Shanghai", ownerId: a.users.rep });

    const company = await companyOf("rep");
    const companyEdits = [{ phone: "+86 10 1234" }, { domain: "example.org" }, { address: "1 Main St" }];
    const companyAnswers = await Promise.all(companyEdits.map((body) => call(patchCompany, "PATCH", "/", { key, params: { companyId: company.id }, body })));
    expect(companyAnswers.map((r) => r.status)).toEqual(companyEdits.map(() => 200));
    const [companyRow] = await t.db.select().from(companies).where(eq(companies.id, company.id));
    expect(companyRow).toMatchObject({ name: company.name, phone: "+86 10 1234", domain: "example.org", address: "1 Main St" });
  });

  it("PATCH of a missing or another workspace's contact is still 404", async () => {
    const key = await apiKeyFor(a, "admin");
    const b = await createWorkspaceFixture(t.db, "Beta");
    const theirs = await createContact(await b.ctx("owner"), { firstName: "Theirs" });
    const { PATCH } = await routes.contact();
    expect((await call(PATCH, "PATCH", "/", { key, params: { contactId: theirs.id }, body: { title: "x" } })).status).toBe(404);
    expect((await call(PATCH, "PATCH", "/", { key, params: { contactId: "not-a-uuid" }, body: { title: "x" } })).status).toBe(404);
    expect((await t.db.select().from(contacts).where(eq(contacts.id, theirs.id)))[0]!.title).toBeNull();
  });
});
