import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { deals, pipelines, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createCustomField } from "@/lib/custom-fields/commands";
import { customFiltersFrom } from "@/lib/custom-fields/filters";
import { listCustomFields, toFieldDef } from "@/lib/custom-fields/queries";
import type { FieldDef } from "@/lib/custom-fields/values";
import { createDeal, deleteDeal, updateDeal } from "@/lib/deals/commands";
import { dealListStatements, listDeals, listDeletedDeals, listPipelineNames, listPipelines, type DealListSort } from "@/lib/deals/queries";
import { createDealSchema, updateDealSchema, type DealFilters } from "@/lib/deals/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/**
 * The deals list (the page at /w/<slug>/deals and a pipeline's table view): every custom field filter type, the
 * built-in filters that need another table, sorts, pages and counts, checked against the deals as created — and
 * the plans that keep it fast at 100,000 deals (issue #11, decision 51).
 */

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stageIds: string[];
let fields: FieldDef[];

type Made = { id: string; title: string; custom: Record<string, unknown>; company?: string; stage: number; updated: string };
const made: Made[] = [];

const option = (key: string, label: string) => fields.find((f) => f.key === key)!.settings.options!.find((o) => o.label === label)!.id;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  pipelineId = (await listPipelines(owner))[0]!.id;
  stageIds = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position))).map((s) => s.id);
  const define = (label: string, type: Parameters<typeof createCustomField>[1]["type"], options: string[] = []) => createCustomField(owner, { entity: "deal", label, type, options });
  await define("Region", "text");
  await define("Seats", "number");
  await define("Setup fee", "money");
  await define("Renewal", "date");
  await define("Tier", "single_select", ["Gold", "Silver", "Bronze"]);
  await define("Modules", "multi_select", ["CRM", "Mail", "Reports"]);
  await define("Priority", "checkbox");
  await define("Budget owner", "user");
  await define("Billing email", "email");
  fields = (await listCustomFields(owner, "deal")).map(toFieldDef);

  // Deals at distinct and equal update times (ties are ordered by id), in several stages, some with a company.
  const specs: { title: string; custom: Record<string, unknown>; company?: string; stage?: number; minute: number }[] = [
    { title: "L1", custom: { region: "North America", seats: 30, setup_fee: "1200", renewal: "2026-06-01", tier: "Gold", modules: ["CRM", "Mail"], priority: true, budget_owner: a.users.rep, billing_email: "ops@north.example" }, company: "Northwind", minute: 1 },
    { title: "L2", custom: { region: "Europe", seats: 5, setup_fee: "99.50", renewal: "2026-07-15", tier: "Silver", modules: ["Mail"], priority: false, budget_owner: a.users.manager }, stage: 1, minute: 2 },
    { title: "L3", custom: { tier: "Gold", seats: 100, modules: ["Reports"], priority: true }, company: "Contoso", stage: 2, minute: 2 },
    { title: "L4", custom: { region: "south america", seats: 30, renewal: "2026-06-01", budget_owner: a.users.rep }, minute: 2 },
    { title: "L5", custom: { tier: "Bronze", modules: ["CRM", "Reports"], billing_email: "finance@contoso.example" }, company: "Contoso", stage: 1, minute: 5 },
    { title: "L6", custom: {}, minute: 3 },
    { title: "L7", custom: { tier: "Gold", priority: false, seats: 5 }, stage: 3, minute: 4 },
  ];
  for (const s of specs) {
    const iso = `2026-03-10T10:${String(s.minute).padStart(2, "0")}:00Z`;
    const deal = await createDeal(at(owner, iso), createDealSchema.parse({ title: s.title, pipelineId, stageId: stageIds[s.stage ?? 0], newCompanyName: s.company, custom: s.custom }));
    made.push({ id: deal.id, title: s.title, custom: s.custom, company: s.company, stage: s.stage ?? 0, updated: iso });
  }
  // Another workspace with the same values: never listed in A.
  const other = await createWorkspaceFixture(t.db, "Gamma");
  void other;
  const bOwner = await b.ctx("owner");
  await createCustomField(bOwner, { entity: "deal", label: "Tier", type: "single_select", options: ["Gold"] });
  const bPipeline = (await listPipelines(bOwner))[0]!.id;
  const [bStage] = await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, bPipeline)).orderBy(asc(stages.position)).limit(1);
  await createDeal(bOwner, createDealSchema.parse({ title: "L-other", pipelineId: bPipeline, stageId: bStage!.id, custom: { tier: "Gold" } }));
});
afterAll(() => t.close());

/**
 * Titles listed in A for URL-style params (cf.<key>=…), as the page reads them, with the total checked both ways:
 * from a page that is not full (no count needed) and counted (pages of one deal).
 */
async function listed(params: Record<string, string>, extra: Partial<DealFilters> = {}, sort?: DealListSort) {
  const filters = { status: "all" as const, ...extra, custom: customFiltersFrom(params, fields) };
  const result = await listDeals(owner, filters, sort);
  expect(result.total).toBe(result.rows.length);
  const first = await listDeals(owner, filters, sort, 1, 1);
  expect(first.total).toBe(result.rows.length);
  expect(first.rows.map((r) => r.title)).toEqual(result.rows.slice(0, 1).map((r) => r.title));
  return result.rows.map((r) => r.title);
}
const sorted = (titles: string[]) => [...titles].sort();

describe("custom field filters on the deals list", () => {
  it("filters every type of field, and counts what it lists", async () => {
    expect(sorted(await listed({ "cf.region": "AMERICA" }))).toEqual(["L1", "L4"]); // text: anywhere, any case
    expect(sorted(await listed({ "cf.seats": "30" }))).toEqual(["L1", "L4"]); // number: equal
    expect(sorted(await listed({ "cf.setup_fee": "99.5" }))).toEqual(["L2"]); // money: in minor units
    expect(sorted(await listed({ "cf.renewal": "2026-06-01" }))).toEqual(["L1", "L4"]); // date
    expect(sorted(await listed({ "cf.tier": option("tier", "Gold") }))).toEqual(["L1", "L3", "L7"]); // single select (not B's Gold)
    expect(sorted(await listed({ "cf.tier": "silver" }))).toEqual(["L2"]); // by label, any case
    expect(sorted(await listed({ "cf.modules": option("modules", "Reports") }))).toEqual(["L3", "L5"]); // multi select: among others
    expect(sorted(await listed({ "cf.priority": "true" }))).toEqual(["L1", "L3"]); // checkbox ticked
    expect(sorted(await listed({ "cf.priority": "false" }))).toEqual(["L2", "L7"]); // unticked, not unset
    expect(sorted(await listed({ "cf.budget_owner": a.users.rep }))).toEqual(["L1", "L4"]); // user
    expect(sorted(await listed({ "cf.billing_email": "CONTOSO" }))).toEqual(["L5"]); // email: textual
    // several at once, and with built-in filters
    expect(sorted(await listed({ "cf.tier": "gold", "cf.priority": "true" }))).toEqual(["L1", "L3"]);
    expect(sorted(await listed({ "cf.seats": "30" }, { stage: stageIds[0] }))).toEqual(["L1", "L4"]);
    expect(await listed({ "cf.tier": "gold" }, { status: "won" })).toEqual([]);
    // a value that does not parse is ignored (a stale link shows everything)
    expect(sorted(await listed({ "cf.seats": "many" }))).toEqual(["L1", "L2", "L3", "L4", "L5", "L6", "L7"]);
  });

  it("joins the tables a filter or a sort needs: search over company names, stuck deals, stage and owner order", async () => {
    expect(sorted(await listed({ "cf.tier": "gold" }, { q: "contoso" }))).toEqual(["L3"]);
    expect(sorted(await listed({}, { q: "northw" }))).toEqual(["L1"]);
    // stuck: stages' rotting days (none set by default: nothing is stuck)
    expect(await listed({}, { stuck: true })).toEqual([]);
    await t.db.update(stages).set({ rottingDays: 1 }).where(eq(stages.id, stageIds[1]!));
    const later = { ...owner, now: new Date("2026-03-20T00:00:00Z") };
    const stuck = await listDeals(later, { status: "all", stuck: true });
    expect(stuck.total).toBe(2);
    expect(sorted(stuck.rows.map((r) => r.title))).toEqual(["L2", "L5"]);
    await t.db.update(stages).set({ rottingDays: null }).where(eq(stages.id, stageIds[1]!));
    const byStage = await listed({ "cf.tier": "gold" }, {}, { by: "stage", dir: "desc" });
    expect(byStage).toEqual(["L7", "L3", "L1"]);
    const byOwner = await listed({}, { q: "L" }, { by: "owner", dir: "asc" });
    expect(byOwner).toHaveLength(7);
  });

  it("pages in the default order (last updated first, ties by id) without repeating or skipping a deal", async () => {
    const expected = [...made].sort((x, y) => (x.updated === y.updated ? (x.id < y.id ? 1 : -1) : x.updated < y.updated ? 1 : -1)).map((d) => d.title);
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await listDeals(owner, { status: "all" }, undefined, page, 3);
      expect(result.total).toBe(7);
      pages.push(...result.rows.map((r) => r.title));
    }
    expect(pages).toEqual(expected);
    const past = await listDeals(owner, { status: "all" }, undefined, 4, 3); // past the last page: counted
    expect(past).toEqual({ total: 7, rows: [] });
    // ascending is the exact reverse
    const up = await listDeals(owner, { status: "all" }, { by: "updated", dir: "asc" });
    expect(up.rows.map((r) => r.title)).toEqual([...expected].reverse());
    // an edit moves a deal to the top
    await updateDeal(at(owner, "2026-03-10T11:00:00Z"), updateDealSchema.parse({ dealId: made.find((d) => d.title === "L6")!.id, value: 10 }));
    expect((await listDeals(owner, { status: "all" }, undefined, 1, 1)).rows[0]!.title).toBe("L6");
  });

  it("lists pipelines by name, archived too, and the recently deleted deals", async () => {
    expect((await listPipelineNames(owner)).map((p) => p.id)).toEqual((await listPipelines(owner, { includeArchived: true })).map((p) => p.id));
    // the board's switcher: active pipelines only
    await owner.db.update(pipelines).set({ archivedAt: new Date("2026-03-11T08:00:00Z") }).where(eq(pipelines.id, pipelineId));
    expect((await listPipelineNames(owner, { activeOnly: true })).map((p) => p.id)).toEqual((await listPipelines(owner)).map((p) => p.id));
    expect((await listPipelineNames(owner, { activeOnly: true })).map((p) => p.id)).not.toContain(pipelineId);
    expect((await listPipelineNames(owner)).map((p) => p.id)).toContain(pipelineId);
    await owner.db.update(pipelines).set({ archivedAt: null }).where(eq(pipelines.id, pipelineId));
    const gone = made.find((d) => d.title === "L7")!;
    await deleteDeal(at(owner, "2026-03-11T09:00:00Z"), gone.id);
    expect((await listDeletedDeals(at(owner, "2026-03-12T09:00:00Z"))).map((d) => d.id)).toEqual([gone.id]);
    expect(await listDeletedDeals(at(owner, "2026-05-12T09:00:00Z"))).toEqual([]); // past the restore window
    expect(sorted(await listed({ "cf.tier": "gold" }))).toEqual(["L1", "L3"]); // deleted: not listed, not counted
  });

  it("lists nothing of another workspace", async () => {
    const bOwner = await b.ctx("owner");
    const bFields = (await listCustomFields(bOwner, "deal")).map(toFieldDef);
    const result = await listDeals(bOwner, { status: "all", custom: customFiltersFrom({ "cf.tier": "gold" }, bFields) });
    expect(result.rows.map((r) => r.title)).toEqual(["L-other"]);
    expect(result.total).toBe(1);
  });
});

/** EXPLAIN of a drizzle statement on either driver (PGlite or postgres.js). */
async function plan(query: { toSQL: () => { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const client = (t.db as unknown as { $client: { query?: (s: string, p: unknown[]) => Promise<{ rows: Record<string, string>[] }>; unsafe?: (s: string, p: unknown[]) => Promise<Record<string, string>[]> } }).$client;
  const rows = client.query ? (await client.query(`explain ${text}`, params)).rows : await client.unsafe!(`explain ${text}`, params);
  return rows.map((r) => Object.values(r)[0]).join("\n");
}

describe("the deals list's plans at scale", () => {
  it("reads a page in index order without sorting or joining, counts from deals alone, finds deleted deals by index", async () => {
    // 20,000 deals in a second pipeline of workspace A: a quarter of them Gold
    const gold = option("tier", "Gold");
    await t.db.execute(sql`insert into deals (workspace_id, pipeline_id, stage_id, title, status, custom, updated_at)
      select ${a.workspaceId}::uuid, ${pipelineId}::uuid, (${`{${stageIds.join(",")}}`}::uuid[])[1 + i % ${stageIds.length}], 'Bulk ' || i,
        (array['open','open','open','won','lost'])[1 + i % 5]::deal_status,
        jsonb_build_object('tier', (array[${gold}, 'x', 'y', 'z'])[1 + i % 4]), timestamptz '2026-01-01' + make_interval(mins => i)
      from generate_series(1, 20000) as i`);
    await t.db.execute(sql`analyze deals`);
    const filters = { status: "open" as const, custom: customFiltersFrom({ "cf.tier": gold }, fields) };
    const { pageIds, count } = dealListStatements(owner, filters, { by: "updated", dir: "desc" }, 1, 50);
    const page = await plan(pageIds);
    expect(page).toContain("deals_ws_updated_idx");
    expect(page).not.toMatch(/Sort|stages/);
    expect(await plan(dealListStatements(owner, filters, { by: "updated", dir: "asc" }, 1, 50).pageIds)).toMatch(/Index Scan Backward using deals_ws_updated_idx/);
    expect(await plan(count)).not.toMatch(/stages|users|contacts|companies/);
    const result = await listDeals(owner, filters);
    expect(result.total).toBe(20000 * (3 / 5) / 4 + 2); // bulk open Gold deals + L1, L3 (L7 was deleted)
    expect(result.rows).toHaveLength(50);
    const deleted = await plan(t.db.select({ id: deals.id }).from(deals).where(sql`${deals.workspaceId} = ${a.workspaceId} and ${deals.deletedAt} > now() - interval '30 days'`).orderBy(sql`${deals.deletedAt} desc`).limit(100));
    expect(deleted).toContain("deals_ws_deleted_idx");
  });
});
