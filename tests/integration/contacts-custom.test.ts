import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { auditLog, contacts, memberships } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createContact, deleteContact, updateContact } from "@/lib/contacts/commands";
import { getContact, listContacts } from "@/lib/contacts/queries";
import { contactListParamsSchema, createContactSchema, updateContactSchema } from "@/lib/contacts/schema";
import { createCustomField, setCustomFieldArchived } from "@/lib/custom-fields/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let bOwner: Ctx;
let gold: string;
let bGold: string;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  bOwner = await b.ctx("owner");
  await createCustomField(owner, { entity: "contact", label: "Industry", type: "text", options: [] });
  await createCustomField(owner, { entity: "contact", label: "Seats", type: "number", options: [] });
  const tier = await createCustomField(owner, { entity: "contact", label: "Tier", type: "single_select", options: ["Gold", "Silver"] });
  gold = tier.settings.options![0]!.id;
  await createCustomField(owner, { entity: "contact", label: "VIP", type: "checkbox", options: [] });
  await createCustomField(owner, { entity: "contact", label: "Account manager", type: "user", options: [] });
  await createCustomField(owner, { entity: "contact", label: "Renewal", type: "date", options: [] });
  // a deal field of the same workspace is not a contact field
  await createCustomField(owner, { entity: "deal", label: "Deal only", type: "text", options: [] });
  // workspace B: its own "tier" (other option ids) and a key A does not have
  const bTier = await createCustomField(bOwner, { entity: "contact", label: "Tier", type: "single_select", options: ["Gold"] });
  bGold = bTier.settings.options![0]!.id;
  await createCustomField(bOwner, { entity: "contact", label: "Beta secret", type: "text", options: [] });
});
afterAll(() => t.close());

/** Creates through the schema, as the form action does ("custom.<key>" inputs). */
const create = (ctx: Ctx, input: Record<string, unknown>) => createContact(ctx, createContactSchema.parse(input) as Parameters<typeof createContact>[1]);
const update = (ctx: Ctx, input: Record<string, unknown>) => updateContact(ctx, updateContactSchema.parse(input) as Parameters<typeof updateContact>[1]);
const rowOf = async (id: string) => (await t.db.select().from(contacts).where(eq(contacts.id, id)))[0]!;
const list = (ctx: Ctx, query: Record<string, string>) => listContacts(ctx, contactListParamsSchema.parse(query));

describe("custom values on contacts", () => {
  it("stores typed values from form inputs and API objects alike", async () => {
    const c = await create(owner, {
      firstName: "Typed",
      "custom.industry": " Retail ",
      "custom.seats": "1,200",
      "custom.tier": "gold", // a label, any case
      "custom.vip": ["false", "true"], // hidden + ticked checkbox
      "custom.account_manager": a.users.rep,
      "custom.renewal": "2026-09-30",
    });
    expect(c.custom).toEqual({ industry: "Retail", seats: 1200, tier: gold, vip: true, account_manager: a.users.rep, renewal: "2026-09-30" });
    const api = await createContact(owner, { firstName: "Api", custom: { seats: 3, vip: false } });
    expect(api.custom).toEqual({ seats: 3, vip: false });
    expect((await getContact(owner, c.id)).custom).toEqual(c.custom);
  });

  it("refuses values of the wrong type with an error per field, and writes nothing", async () => {
    const before = (await t.db.select({ n: count() }).from(contacts).where(eq(contacts.workspaceId, a.workspaceId)))[0]!.n;
    await expect(create(owner, { firstName: "Bad", "custom.seats": "many", "custom.tier": "Platinum", "custom.renewal": "2026-02-30", "custom.vip": "maybe" })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: {
        "custom.seats": ["errors.invalidNumber"],
        "custom.tier": ["errors.invalidOption"],
        "custom.renewal": ["errors.invalidDate"],
        "custom.vip": ["errors.invalidBoolean"],
      },
    });
    await expect(create(owner, { firstName: "Bad", "custom.account_manager": b.users.owner })).rejects.toMatchObject({ fieldErrors: { "custom.account_manager": ["errors.ownerNotMember"] } });
    expect((await t.db.select({ n: count() }).from(contacts).where(eq(contacts.workspaceId, a.workspaceId)))[0]!.n).toBe(before);
  });

  it("refuses keys that are not this workspace's active contact fields", async () => {
    // B's key, a deal field's key, a made-up key
    for (const key of ["beta_secret", "deal_only", "nope"]) {
      await expect(create(owner, { firstName: "Keys", [`custom.${key}`]: "x" })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { [`custom.${key}`]: ["errors.unknownField"] } });
    }
    // B's option id for a field A also has
    await expect(create(owner, { firstName: "Keys", "custom.tier": bGold })).rejects.toMatchObject({ fieldErrors: { "custom.tier": ["errors.invalidOption"] } });
  });

  it("updates only what was sent, clears empty values, keeps archived fields' values", async () => {
    const c = await create(owner, { firstName: "Edit", "custom.industry": "Retail", "custom.seats": "5", "custom.renewal": "2026-05-01" });
    const edited = await update(owner, { contactId: c.id, firstName: "Edit", "custom.seats": "6", "custom.industry": "" });
    expect(edited.custom).toEqual({ seats: 6, renewal: "2026-05-01" });
    // the workflows' field patch and other callers that send no custom values leave them alone
    const untouched = await updateContact(owner, { contactId: c.id, firstName: "Edit 2" });
    expect(untouched.custom).toEqual({ seats: 6, renewal: "2026-05-01" });
    const [renewal] = (await import("@/lib/custom-fields/queries").then((m) => m.listCustomFields(owner, "contact"))).filter((f) => f.key === "renewal");
    await setCustomFieldArchived(owner, renewal!.id, true);
    await update(owner, { contactId: c.id, firstName: "Edit 2", "custom.seats": "7" });
    await expect(update(owner, { contactId: c.id, firstName: "Edit 2", "custom.renewal": "2026-06-01" })).rejects.toMatchObject({ fieldErrors: { "custom.renewal": ["errors.unknownField"] } });
    expect((await rowOf(c.id)).custom).toEqual({ seats: 7, renewal: "2026-05-01" });
    await setCustomFieldArchived(owner, renewal!.id, false);
  });

  it("keeps a former member in an unchanged user field, but refuses picking one", async () => {
    const extra = await createWorkspaceFixture(t.db, "Gamma");
    const gOwner = await extra.ctx("owner");
    await createCustomField(gOwner, { entity: "contact", label: "Account manager", type: "user", options: [] });
    const c = await create(gOwner, { firstName: "Kept", "custom.account_manager": extra.users.rep });
    const other = await create(gOwner, { firstName: "Other" });
    await t.db.delete(memberships).where(and(eq(memberships.workspaceId, extra.workspaceId), eq(memberships.userId, extra.users.rep)));
    const saved = await update(gOwner, { contactId: c.id, firstName: "Kept 2", "custom.account_manager": extra.users.rep });
    expect(saved.custom).toEqual({ account_manager: extra.users.rep });
    await expect(update(gOwner, { contactId: other.id, firstName: "Other", "custom.account_manager": extra.users.rep })).rejects.toMatchObject({
      fieldErrors: { "custom.account_manager": ["errors.ownerNotMember"] },
    });
  });

  it("writes no audit entries for edits, and deleting still records the contact", async () => {
    const audits = async () => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.workspaceId, a.workspaceId)))[0]!.n;
    const before = await audits();
    const c = await create(owner, { firstName: "Audit", "custom.seats": "1" });
    await update(owner, { contactId: c.id, firstName: "Audit", "custom.seats": "2" });
    expect(await audits()).toBe(before);
    await deleteContact(owner, c.id);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.targetId, c.id)));
    expect(entry).toMatchObject({ action: "contact.deleted", details: { name: "Audit" } });
  });
});

describe("two workspaces", () => {
  it("B cannot read or write A's contact, nor put B's values on it; A is unchanged", async () => {
    const c = await create(owner, { firstName: "Private", "custom.industry": "Secret sauce", "custom.tier": gold });
    await expect(getContact(bOwner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(update(bOwner, { contactId: c.id, firstName: "Hijack", "custom.tier": bGold, "custom.beta_secret": "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await rowOf(c.id)).toMatchObject({ firstName: "Private", custom: { industry: "Secret sauce", tier: gold } });
    // B's list never shows A's contact, whatever custom filter it uses
    const bList = await list(bOwner, { "cf.tier": gold });
    expect(bList.rows.map((r) => r.id)).not.toContain(c.id);
    expect((await list(bOwner, { q: "Private" })).total).toBe(0);
  });
});

describe("filtering and sorting the list by custom fields", () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const ws = await createWorkspaceFixture(t.db, "Lists");
    const ctx = await ws.ctx("owner");
    owner = ctx; // the rest of this block runs in a clean workspace
    const tier = await createCustomField(ctx, { entity: "contact", label: "Tier", type: "single_select", options: ["Gold", "Silver", "Bronze"] });
    const [g, s, br] = tier.settings.options!.map((o) => o.id);
    gold = g!;
    await createCustomField(ctx, { entity: "contact", label: "Seats", type: "number", options: [] });
    await createCustomField(ctx, { entity: "contact", label: "VIP", type: "checkbox", options: [] });
    await createCustomField(ctx, { entity: "contact", label: "Industry", type: "text", options: [] });
    await createCustomField(ctx, { entity: "contact", label: "Account manager", type: "user", options: [] });
    ids = {};
    for (const [name, custom] of [
      ["Ann", { tier: s, seats: 10, vip: true, industry: "retail", account_manager: ws.users.rep }],
      ["Bob", { tier: g, seats: 2, vip: false, industry: "Retail" }],
      ["Cid", { tier: br, seats: 100, account_manager: ws.users.owner }],
      ["Dee", {}],
    ] as const) {
      ids[name] = (await createContact(ctx, { firstName: name, custom })).id;
    }
  });
  const names = (page: { rows: { firstName: string }[] }) => page.rows.map((r) => r.firstName);

  it("filters by select (id or label), checkbox, number, text and user, combined with AND", async () => {
    expect(names(await list(owner, { "cf.tier": gold }))).toEqual(["Bob"]);
    expect(names(await list(owner, { "cf.tier": "silver" }))).toEqual(["Ann"]);
    expect(names(await list(owner, { "cf.vip": "true" }))).toEqual(["Ann"]);
    // unticked: false or never set
    expect(names(await list(owner, { "cf.vip": "false", sort: "name" }))).toEqual(["Bob", "Cid", "Dee"]);
    expect(names(await list(owner, { "cf.seats": "100" }))).toEqual(["Cid"]);
    expect(names(await list(owner, { "cf.industry": "Retail" }))).toEqual(["Bob"]); // exact value
    const rep = (await t.db.select().from(contacts).where(eq(contacts.id, ids.Ann!)))[0]!.custom.account_manager as string;
    expect(names(await list(owner, { "cf.account_manager": rep }))).toEqual(["Ann"]);
    expect(names(await list(owner, { "cf.vip": "false", "cf.tier": gold }))).toEqual(["Bob"]);
    expect((await list(owner, { "cf.tier": gold })).total).toBe(1);
  });

  it("ignores filters on unknown keys and values the field would refuse", async () => {
    expect((await list(owner, { "cf.beta_secret": "x" })).total).toBe(4);
    expect((await list(owner, { "cf.seats": "lots" })).total).toBe(4);
    expect((await list(owner, { "cf.tier": bGold })).total).toBe(4);
  });

  it("sorts numerically, by choice order and by user name, with empty values last either way", async () => {
    expect(names(await list(owner, { sort: "cf.seats" }))).toEqual(["Bob", "Ann", "Cid", "Dee"]);
    expect(names(await list(owner, { sort: "cf.seats", dir: "desc" }))).toEqual(["Cid", "Ann", "Bob", "Dee"]);
    const byTier = await list(owner, { sort: "cf.tier" });
    expect(names(byTier)).toEqual(["Bob", "Ann", "Cid", "Dee"]);
    expect(byTier).toMatchObject({ sort: "cf.tier", dir: "asc" });
    // fixture names: "owner <tag>" < "rep <tag>"
    expect(names(await list(owner, { sort: "cf.account_manager" }))).toEqual(["Cid", "Ann", "Bob", "Dee"]);
    expect(names(await list(owner, { sort: "cf.industry", dir: "desc" })).slice(-2)).toEqual(["Cid", "Dee"]);
  });

  it("falls back to the default sort for a key with no active field", async () => {
    const page = await list(owner, { sort: "cf.nope" });
    expect(page.sort).toBe("created");
    expect(page.total).toBe(4);
  });

  it("returns the custom values with each row", async () => {
    const page = await list(owner, { "cf.tier": gold });
    expect(page.rows[0]!.custom).toMatchObject({ tier: gold, seats: 2, vip: false });
  });
});
