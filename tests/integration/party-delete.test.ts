import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { dealEvents, deals, memberships } from "@/db/schema";
import { createCompany, deleteCompany, updateCompany } from "@/lib/companies/commands";
import { createContact, deleteContact, updateContact } from "@/lib/contacts/commands";
import { createDeal } from "@/lib/deals/commands";
import { listPipelines } from "@/lib/deals/queries";
import { createDealSchema } from "@/lib/deals/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db);
});
afterAll(() => t.close());

async function dealWith(links: { contactId?: string; companyId?: string }, ownerRole: "owner" | "rep" = "owner") {
  const ctx = await a.ctx(ownerRole);
  const pipeline = (await listPipelines(ctx))[0]!;
  const { stages } = await import("@/db/schema");
  const [stage] = await t.db.select().from(stages).where(eq(stages.pipelineId, pipeline.id)).limit(1);
  return createDeal(ctx, createDealSchema.parse({ title: "Linked", pipelineId: pipeline.id, stageId: stage!.id, ...links }));
}

describe("deleting a contact or a company", () => {
  it("unlinks its deals with a version bump and a history event each, even deals the caller cannot see", async () => {
    const owner = await a.ctx("owner");
    const contact = await createContact(owner, { firstName: "Gone", lastName: "Soon", email: "gone@example.com" });
    const d1 = await dealWith({ contactId: contact.id });
    const d2 = await dealWith({ contactId: contact.id }, "rep");
    await deleteContact(owner, contact.id);
    for (const d of [d1, d2]) {
      const [row] = await t.db.select().from(deals).where(eq(deals.id, d.id));
      expect(row).toMatchObject({ contactId: null, version: d.version + 1 });
      const events = await t.db.select().from(dealEvents).where(and(eq(dealEvents.dealId, d.id), eq(dealEvents.type, "field_changed")));
      expect(events.map((e) => e.data)).toEqual([{ field: "contactId", from: contact.id, to: null, reason: "deleted" }]);
    }
  });

  it("does the same for a company's deals", async () => {
    const owner = await a.ctx("owner");
    const company = await createCompany(owner, { name: "Vanishing Ltd" });
    const d = await dealWith({ companyId: company.id });
    await deleteCompany(owner, company.id);
    const [row] = await t.db.select().from(deals).where(eq(deals.id, d.id));
    expect(row!.companyId).toBeNull();
    expect((await t.db.select().from(dealEvents).where(and(eq(dealEvents.dealId, d.id), eq(dealEvents.type, "field_changed")))).length).toBe(1);
  });
});

describe("records owned by a former member", () => {
  it("stay editable while the owner is unchanged; a new owner must still be a member", async () => {
    const owner = await a.ctx("owner");
    const contact = await createContact(owner, { firstName: "Kept", email: "kept@example.com", ownerId: a.users.rep });
    const company = await createCompany(owner, { name: "Kept Co", ownerId: a.users.rep });
    await t.db.delete(memberships).where(and(eq(memberships.workspaceId, a.workspaceId), eq(memberships.userId, a.users.rep)));
    await expect(updateContact(owner, { contactId: contact.id, firstName: "Kept 2", email: "kept@example.com", ownerId: a.users.rep })).resolves.toMatchObject({ firstName: "Kept 2", ownerId: a.users.rep });
    await expect(updateCompany(owner, { companyId: company.id, name: "Kept Co 2", ownerId: a.users.rep })).resolves.toMatchObject({ name: "Kept Co 2" });
    const other = await createContact(owner, { firstName: "Other", email: "other@example.com" });
    await expect(updateContact(owner, { contactId: other.id, firstName: "Other", email: "other@example.com", ownerId: a.users.rep })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
