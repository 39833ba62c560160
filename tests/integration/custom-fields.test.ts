import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditLog, customFields, dealEvents, deals, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { changeCustomFieldType, createCustomField, moveCustomField, setCustomFieldArchived, updateCustomField } from "@/lib/custom-fields/commands";
import { listCustomFields } from "@/lib/custom-fields/queries";
import { createDeal, moveDeal, updateDeal } from "@/lib/deals/commands";
import { listPipelines } from "@/lib/deals/queries";
import { createDealSchema, moveDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { setPipelineCardFields, setStageRequirements } from "@/lib/pipelines/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
});
afterAll(() => t.close());

const newDeal = (ctx: Ctx, extra: Record<string, unknown> = {}) => createDeal(ctx, createDealSchema.parse({ title: "CF deal", pipelineId, stageId: stageIds[0], ...extra }));

describe("defining fields", () => {
  it("creates fields with stable keys, refuses duplicate labels and selects without choices", async () => {
    const budget = await createCustomField(owner, { entity: "deal", label: "Budget owner", type: "user", options: [] });
    expect(budget.key).toBe("budget_owner");
    await expect(createCustomField(owner, { entity: "deal", label: "budget OWNER", type: "text", options: [] })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createCustomField(owner, { entity: "deal", label: "Size", type: "single_select", options: [] })).rejects.toMatchObject({ code: "VALIDATION" });
    const chinese = await createCustomField(owner, { entity: "deal", label: "行业", type: "text", options: [] });
    expect(chinese.key).toBe("field");
    const money = await createCustomField(owner, { entity: "deal", label: "Setup fee", type: "money", options: [] });
    expect(money.settings).toEqual({ currency: "USD" });
    // the same label is fine for another entity
    await createCustomField(owner, { entity: "contact", label: "Budget owner", type: "text", options: [] });
  });

  it("renaming a select keeps option ids for kept labels, so stored values survive", async () => {
    const size = await createCustomField(owner, { entity: "deal", label: "Size", type: "single_select", options: ["Small", "Large"] });
    const large = size.settings.options!.find((o) => o.label === "Large")!.id;
    await updateCustomField(owner, { fieldId: size.id, label: "Company size", options: ["Large", "Medium"] });
    const [row] = await t.db.select().from(customFields).where(eq(customFields.id, size.id));
    expect(row!.label).toBe("Company size");
    expect(row!.settings.options!.find((o) => o.label === "Large")!.id).toBe(large);
    expect(row!.settings.options!.map((o) => o.label)).toEqual(["Large", "Medium"]);
  });

  it("reorders, archives and restores without dropping values", async () => {
    const note = await createCustomField(owner, { entity: "deal", label: "Note", type: "text", options: [] });
    const deal = await newDeal(owner, { custom: { note: "keep me" } });
    await moveCustomField(owner, { fieldId: note.id, direction: "up" });
    await setCustomFieldArchived(owner, note.id, true);
    expect((await listCustomFields(owner, "deal")).map((f) => f.key)).not.toContain("note");
    await expect(updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, "custom.note": "x" }))).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { "custom.note": ["errors.unknownField"] } });
    await setCustomFieldArchived(owner, note.id, false);
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row!.custom).toMatchObject({ note: "keep me" });
  });
});

describe("values on deals", () => {
  it("validates by type on create and update, records each change in the history", async () => {
    await createCustomField(owner, { entity: "deal", label: "Seats", type: "number", options: [] });
    await expect(newDeal(owner, { "custom.seats": "many" })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { "custom.seats": ["errors.invalidNumber"] } });
    const deal = await newDeal(owner, { "custom.seats": "12", "custom.setup_fee": "99.50" });
    expect(deal.custom).toEqual({ seats: 12, setup_fee: 9950 });
    await updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, "custom.seats": "15" }));
    await updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, "custom.seats": "15" })); // unchanged: no event
    const events = await t.db.select().from(dealEvents).where(and(eq(dealEvents.dealId, deal.id), eq(dealEvents.type, "field_changed")));
    expect(events.map((e) => e.data)).toEqual([{ field: "custom:seats", from: 12, to: 15 }]);
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row!.custom).toEqual({ seats: 15, setup_fee: 9950 });
  });

  it("a user field must name a member of this workspace", async () => {
    await expect(newDeal(owner, { custom: { budget_owner: b.users.owner } })).rejects.toMatchObject({ fieldErrors: { "custom.budget_owner": ["errors.ownerNotMember"] } });
    const deal = await newDeal(owner, { custom: { budget_owner: a.users.rep } });
    expect(deal.custom).toEqual({ budget_owner: a.users.rep });
  });

  it("another workspace cannot use or change A's fields", async () => {
    const bCtx = await b.ctx("owner");
    const bPipeline = (await listPipelines(bCtx))[0]!;
    const [bStage] = await t.db.select().from(stages).where(eq(stages.pipelineId, bPipeline.id)).limit(1);
    await expect(createDeal(bCtx, createDealSchema.parse({ title: "x", pipelineId: bPipeline.id, stageId: bStage!.id, custom: { seats: 1 } }))).rejects.toMatchObject({ fieldErrors: { "custom.seats": ["errors.unknownField"] } });
    const [seats] = await t.db.select().from(customFields).where(and(eq(customFields.workspaceId, a.workspaceId), eq(customFields.key, "seats")));
    await expect(updateCustomField(bCtx, { fieldId: seats!.id, label: "hacked", options: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setCustomFieldArchived(bCtx, seats!.id, true)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(changeCustomFieldType(bCtx, { fieldId: seats!.id, type: "text" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [after] = await t.db.select().from(customFields).where(eq(customFields.id, seats!.id));
    expect(after).toMatchObject({ label: "Seats", archivedAt: null, type: "number" });
  });

  it("only admins define fields", async () => {
    await expect(createCustomField(await a.ctx("manager"), { entity: "deal", label: "Nope", type: "text", options: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("changing a field's type", () => {
  it("converts when every value fits and refuses with the reason otherwise", async () => {
    const contactEmail = await createCustomField(owner, { entity: "deal", label: "Billing email", type: "text", options: [] });
    const d1 = await newDeal(owner, { custom: { billing_email: "ops@example.com" } });
    await changeCustomFieldType(owner, { fieldId: contactEmail.id, type: "email" }); // every value is an email: safe
    const d2 = await newDeal(owner, { custom: { billing_email: "x@y.io" } });
    await changeCustomFieldType(owner, { fieldId: contactEmail.id, type: "long_text" });
    const seats = (await listCustomFields(owner, "deal")).find((f) => f.key === "seats")!;
    await expect(changeCustomFieldType(owner, { fieldId: seats.id, type: "date" })).rejects.toMatchObject({ code: "VALIDATION", message: "errors.fieldTypeChangeUnsafe" });
    const label = await createCustomField(owner, { entity: "deal", label: "Label", type: "text", options: [] });
    await newDeal(owner, { custom: { label: "not an email" } });
    await expect(changeCustomFieldType(owner, { fieldId: label.id, type: "email" })).rejects.toMatchObject({ message: "errors.fieldTypeValuesDontFit" });
    const [row] = await t.db.select().from(customFields).where(eq(customFields.id, label.id));
    expect(row!.type).toBe("text");
    for (const d of [d1, d2]) expect((await t.db.select().from(deals).where(eq(deals.id, d.id)))[0]!.custom).toHaveProperty("billing_email");
  });
});

describe("stage requirements", () => {
  it("refuses entry naming the missing fields, and moves once they are filled on the way", async () => {
    await setStageRequirements(owner, { stageId: stageIds[2]!, fields: ["expectedCloseDate", "custom:seats"] });
    const deal = await newDeal(owner);
    await expect(moveDeal(owner, moveDealSchema.parse({ dealId: deal.id, toStageId: stageIds[2] }))).rejects.toMatchObject({
      code: "VALIDATION",
      message: "errors.stageRequirements",
      fieldErrors: { expectedCloseDate: ["errors.requiredForStage"], "custom.seats": ["errors.requiredForStage"] },
    });
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.stageId).toBe(stageIds[0]);
    await expect(moveDeal(owner, moveDealSchema.parse({ dealId: deal.id, toStageId: stageIds[2], fill: { expectedCloseDate: "2026-05-01", "custom.seats": "x" } }))).rejects.toMatchObject({ fieldErrors: { "custom.seats": ["errors.invalidNumber"] } });
    await moveDeal(owner, moveDealSchema.parse({ dealId: deal.id, toStageId: stageIds[2], fill: { expectedCloseDate: "2026-05-01", "custom.seats": "8" } }));
    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ stageId: stageIds[2], expectedCloseDate: "2026-05-01", custom: { seats: 8 } });
    // creating straight into the stage needs them too
    await expect(newDeal(owner, { stageId: stageIds[2] })).rejects.toMatchObject({ message: "errors.stageRequirements" });
  });

  it("accepts only known fields, and reps cannot set requirements", async () => {
    await expect(setStageRequirements(owner, { stageId: stageIds[1]!, fields: ["custom:nope"] })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(setStageRequirements(await a.ctx("rep"), { stageId: stageIds[1]!, fields: ["value"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setStageRequirements(await b.ctx("owner"), { stageId: stageIds[1]!, fields: ["value"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a change of requirements or of the cards' fields is in the audit log, from what to what; a refused one is not", async () => {
    const entries = async (action: string) =>
      (await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.action, action)))).map((e) => ({ targetId: e.targetId, details: e.details, actorId: e.actorId }));
    const before = (await entries("stage.requirements_changed")).length;
    await setStageRequirements(owner, { stageId: stageIds[1]!, fields: ["value", "value"] });
    await setStageRequirements(owner, { stageId: stageIds[1]!, fields: [] });
    const stage = (await entries("stage.requirements_changed")).slice(before);
    expect(stage).toEqual([
      { targetId: stageIds[1], actorId: a.users.owner, details: { name: expect.any(String), from: [], to: ["value"] } },
      { targetId: stageIds[1], actorId: a.users.owner, details: { name: expect.any(String), from: ["value"], to: [] } },
    ]);
    const cardsBefore = (await entries("pipeline.card_fields_changed")).length;
    await expect(setPipelineCardFields(owner, { pipelineId, keys: ["nope"] })).rejects.toMatchObject({ code: "VALIDATION" });
    await setPipelineCardFields(owner, { pipelineId, keys: ["seats"] });
    expect((await entries("pipeline.card_fields_changed")).slice(cardsBefore)).toEqual([{ targetId: pipelineId, actorId: a.users.owner, details: { name: expect.any(String), from: expect.any(Array), to: ["seats"] } }]);
  });

  it("a pipeline shows at most four custom fields on its cards", async () => {
    await expect(setPipelineCardFields(owner, { pipelineId, keys: ["seats", "setup_fee", "budget_owner", "company_size", "note"] })).rejects.toMatchObject({ code: "VALIDATION" });
    await setPipelineCardFields(owner, { pipelineId, keys: ["seats", "setup_fee"] });
    await expect(setPipelineCardFields(await b.ctx("owner"), { pipelineId, keys: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("filtering and sorting deals by custom fields", () => {
  it("filters by equality, containment and text, and sorts numerically with empty values last", async () => {
    const { customFiltersFrom } = await import("@/lib/custom-fields/filters");
    const { listDeals } = await import("@/lib/deals/queries");
    const tier = await createCustomField(owner, { entity: "deal", label: "Tier", type: "single_select", options: ["Gold", "Silver"] });
    const region = await createCustomField(owner, { entity: "deal", label: "Region", type: "text", options: [] });
    const gold = tier.settings.options!.find((o) => o.label === "Gold")!.id;
    await newDeal(owner, { title: "F1", custom: { tier: "Gold", region: "North America", seats: 30 } });
    await newDeal(owner, { title: "F2", custom: { tier: "Silver", region: "Europe", seats: 5 } });
    await newDeal(owner, { title: "F3", custom: { tier: "Gold", seats: 100 } });
    const fields = (await listCustomFields(owner, "deal")).map((f) => ({ key: f.key, label: f.label, type: f.type, settings: f.settings }));
    const byTier = customFiltersFrom({ "cf.tier": gold }, fields);
    expect(byTier).toEqual([{ key: "tier", type: "single_select", value: gold }]);
    const titles = async (params: Record<string, string>, sortKey?: string, dir: "asc" | "desc" = "asc") =>
      (await listDeals(owner, { custom: customFiltersFrom(params, fields), q: "F" }, { by: "title", dir, customField: sortKey ? fields.find((f) => f.key === sortKey) : undefined })).rows.map((r) => r.title).filter((x) => /^F\d$/.test(x));
    expect((await titles({ "cf.tier": "gold" })).sort()).toEqual(["F1", "F3"]); // by label, any case
    expect(await titles({ "cf.region": "america" })).toEqual(["F1"]);
    expect((await titles({ "cf.tier": "nonsense" })).sort()).toEqual(["F1", "F2", "F3"]); // a stale filter is ignored
    expect(await titles({}, "seats", "desc")).toEqual(["F3", "F1", "F2"]);
    expect(await titles({}, "region", "asc")).toEqual(["F2", "F1", "F3"]); // no region: last
    void region;
  });
});
