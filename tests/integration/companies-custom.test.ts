import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { auditLog, companies } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createCompany, updateCompany } from "@/lib/companies/commands";
import { getCompany, listCompanies } from "@/lib/companies/queries";
import { companyListParamsSchema, createCompanySchema, updateCompanySchema } from "@/lib/companies/schema";
import { createCustomField } from "@/lib/custom-fields/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let bOwner: Ctx;
let enterprise: string;
let smb: string;
let bEnterprise: string;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  bOwner = await b.ctx("owner");
  const segment = await createCustomField(owner, { entity: "company", label: "Segment", type: "single_select", options: ["Enterprise", "SMB"] });
  [enterprise, smb] = segment.settings.options!.map((o) => o.id) as [string, string];
  await createCustomField(owner, { entity: "company", label: "Employees", type: "number", options: [] });
  await createCustomField(owner, { entity: "company", label: "ARR", type: "money", options: [], currency: "EUR" });
  await createCustomField(owner, { entity: "company", label: "Partner", type: "checkbox", options: [] });
  await createCustomField(owner, { entity: "company", label: "Website", type: "url", options: [] });
  await createCustomField(owner, { entity: "company", label: "Regions", type: "multi_select", options: ["EMEA", "APAC", "AMER"] });
  // a contact field is not a company field
  await createCustomField(owner, { entity: "contact", label: "Nickname", type: "text", options: [] });
  const bSegment = await createCustomField(bOwner, { entity: "company", label: "Segment", type: "single_select", options: ["Enterprise"] });
  bEnterprise = bSegment.settings.options![0]!.id;
  await createCustomField(bOwner, { entity: "company", label: "Beta only", type: "text", options: [] });
});
afterAll(() => t.close());

const create = (ctx: Ctx, input: Record<string, unknown>) => createCompany(ctx, createCompanySchema.parse(input) as Parameters<typeof createCompany>[1]);
const update = (ctx: Ctx, input: Record<string, unknown>) => updateCompany(ctx, updateCompanySchema.parse(input) as Parameters<typeof updateCompany>[1]);
const rowOf = async (id: string) => (await t.db.select().from(companies).where(eq(companies.id, id)))[0]!;
const list = (ctx: Ctx, query: Record<string, string>) => listCompanies(ctx, companyListParamsSchema.parse(query));
const names = (page: { rows: { name: string }[] }) => page.rows.map((r) => r.name);

describe("custom values on companies", () => {
  it("stores typed values (money in minor units of the field's currency, URLs normalised)", async () => {
    const c = await create(owner, {
      name: "Typed Co",
      "custom.segment": enterprise,
      "custom.employees": "250",
      "custom.arr": "1,500.50",
      "custom.partner": ["false", "true"],
      "custom.website": "typed.example",
      "custom.regions": ["EMEA", "apac"],
    });
    const regions = (await rowOf(c.id)).custom.regions as string[];
    expect(c.custom).toMatchObject({ segment: enterprise, employees: 250, arr: 150050, partner: true, website: "https://typed.example/" });
    expect(regions).toHaveLength(2);
    expect((await getCompany(owner, c.id)).custom).toEqual(c.custom);
  });

  it("refuses wrong types, other entities' and other workspaces' keys, and writes nothing", async () => {
    const before = (await t.db.select({ n: count() }).from(companies).where(eq(companies.workspaceId, a.workspaceId)))[0]!.n;
    await expect(create(owner, { name: "Bad", "custom.employees": "lots", "custom.arr": "12.345", "custom.website": "javascript:alert(1)", "custom.regions": ["Mars"] })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: {
        "custom.employees": ["errors.invalidNumber"],
        "custom.arr": ["errors.invalidAmount"],
        "custom.website": ["errors.invalidUrl"],
        "custom.regions": ["errors.invalidOption"],
      },
    });
    for (const key of ["beta_only", "nickname"]) {
      await expect(create(owner, { name: "Bad", [`custom.${key}`]: "x" })).rejects.toMatchObject({ fieldErrors: { [`custom.${key}`]: ["errors.unknownField"] } });
    }
    await expect(create(owner, { name: "Bad", "custom.segment": bEnterprise })).rejects.toMatchObject({ fieldErrors: { "custom.segment": ["errors.invalidOption"] } });
    expect((await t.db.select({ n: count() }).from(companies).where(eq(companies.workspaceId, a.workspaceId)))[0]!.n).toBe(before);
  });

  it("updates what was sent, clears empty values, leaves the rest, and writes no audit entry", async () => {
    const audits = async () => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.workspaceId, a.workspaceId)))[0]!.n;
    const before = await audits();
    const c = await create(owner, { name: "Edit Co", "custom.employees": "10", "custom.segment": smb });
    const edited = await update(owner, { companyId: c.id, name: "Edit Co", "custom.employees": "12", "custom.segment": "" });
    expect(edited.custom).toEqual({ employees: 12 });
    const plain = await updateCompany(owner, { companyId: c.id, name: "Edit Co 2" });
    expect(plain.custom).toEqual({ employees: 12 });
    expect(await audits()).toBe(before);
  });

  it("B cannot read or change A's company or its values; A is unchanged", async () => {
    const c = await create(owner, { name: "Private Co", "custom.segment": enterprise });
    await expect(getCompany(bOwner, c.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(update(bOwner, { companyId: c.id, name: "Hijack", "custom.segment": bEnterprise })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await rowOf(c.id)).toMatchObject({ name: "Private Co", custom: { segment: enterprise } });
    expect(names(await list(bOwner, { "cf.segment": bEnterprise }))).not.toContain("Private Co");
  });
});

describe("filtering and sorting the list by custom fields", () => {
  let ctx: Ctx;
  let gold: string;
  beforeAll(async () => {
    const ws = await createWorkspaceFixture(t.db, "Lists");
    ctx = await ws.ctx("owner");
    const tier = await createCustomField(ctx, { entity: "company", label: "Tier", type: "single_select", options: ["Gold", "Silver"] });
    gold = tier.settings.options![0]!.id;
    await createCustomField(ctx, { entity: "company", label: "ARR", type: "money", options: [], currency: "USD" });
    await createCustomField(ctx, { entity: "company", label: "Partner", type: "checkbox", options: [] });
    await createCustomField(ctx, { entity: "company", label: "Regions", type: "multi_select", options: ["EMEA", "APAC"] });
    for (const [name, custom] of [
      ["Alpha", { tier: "Silver", arr: "900", partner: true, regions: ["EMEA", "APAC"] }],
      ["Bravo", { tier: "Gold", arr: "15000", partner: false, regions: ["APAC"] }],
      ["Charlie", { arr: "80" }],
    ] as const) {
      await createCompany(ctx, { name, custom });
    }
  });

  it("filters by select, checkbox, money and a multi-select choice", async () => {
    expect(names(await list(ctx, { "cf.tier": gold }))).toEqual(["Bravo"]);
    expect(names(await list(ctx, { "cf.partner": "true" }))).toEqual(["Alpha"]);
    expect(names(await list(ctx, { "cf.partner": "false" }))).toEqual(["Bravo", "Charlie"]);
    expect(names(await list(ctx, { "cf.arr": "80.00" }))).toEqual(["Charlie"]);
    expect(names(await list(ctx, { "cf.regions": "APAC" }))).toEqual(["Alpha", "Bravo"]);
    expect(names(await list(ctx, { "cf.regions": "EMEA", "cf.partner": "true" }))).toEqual(["Alpha"]);
    expect((await list(ctx, { "cf.beta_only": "x" })).total).toBe(3);
  });

  it("sorts by amount and by choice order, empty values last", async () => {
    expect(names(await list(ctx, { sort: "cf.arr" }))).toEqual(["Charlie", "Alpha", "Bravo"]);
    expect(names(await list(ctx, { sort: "cf.arr", dir: "desc" }))).toEqual(["Bravo", "Alpha", "Charlie"]);
    expect(names(await list(ctx, { sort: "cf.tier" }))).toEqual(["Bravo", "Alpha", "Charlie"]);
    expect(names(await list(ctx, { sort: "cf.tier", dir: "desc" }))).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect((await list(ctx, { sort: "cf.unknown" })).sort).toBe("name");
  });

  it("parses the URL: cf.<key> filters, custom sort and the chosen columns", () => {
    expect(companyListParamsSchema.parse({ "cf.tier": "x", "cf.Bad Key": "y", "cf.empty": "", sort: "cf.tier", cols: "tier,arr,tier,DROP TABLE" })).toMatchObject({
      cf: { tier: "x" },
      sort: "cf.tier",
      cols: ["tier", "arr"],
    });
    expect(companyListParamsSchema.parse({ sort: "cf.", cols: "" })).toMatchObject({ sort: undefined, cols: undefined });
  });
});
