import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { eq } from "drizzle-orm";
import { workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createActivity } from "@/lib/activities/commands";
import { createCompany } from "@/lib/companies/commands";
import { createCustomField } from "@/lib/custom-fields/commands";
import { updateDeal } from "@/lib/deals/commands";
import { createContact } from "@/lib/contacts/commands";
import { createDeal, deleteDeal, markLost, markWon } from "@/lib/deals/commands";
import { listPipelineEntryStages } from "@/lib/deals/queries";
import { exportFileName, writeListExport } from "@/lib/exports";
import type { ExportEntity, ExportFormat } from "@/lib/exports/types";
import { writeWorkspaceExport } from "@/lib/exports/workspace";
import { stripNeutralisation } from "@/lib/spreadsheets/cells";
import { collect, CSV_BOM } from "@/lib/spreadsheets/write";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { translator } from "../fixtures/spreadsheets/flow";
import { unzip } from "../fixtures/spreadsheets/unzip";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;

async function csvOf(ctx: Ctx, entity: ExportEntity, params: Record<string, string> = {}) {
  const bytes = await collect((out) => translator("en").then((tr) => writeListExport(ctx, entity, "csv", params, tr, out)));
  const text = bytes.toString("utf8");
  expect(text.startsWith(CSV_BOM)).toBe(true);
  return Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data;
}

async function xlsxOf(ctx: Ctx, entity: ExportEntity, params: Record<string, string> = {}, format: ExportFormat = "xlsx") {
  const bytes = await collect((out) => translator("en").then((tr) => writeListExport(ctx, entity, format, params, tr, out)));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Exporters");
  b = await createWorkspaceFixture(t.db, "Others");
  // Show dates in the workspace's own zone: Shanghai, UTC+8.
  await t.db.update(workspaces).set({ timeZone: "Asia/Shanghai" }).where(eq(workspaces.id, a.workspaceId));
  owner = await a.ctx("owner");
  const [entry] = await listPipelineEntryStages(owner);
  const company = await createCompany(owner, { name: "=Contoso" });
  const contact = await createContact(owner, { firstName: "Emma", lastName: "Smith", email: "emma@contoso.test", phone: "+1 555 0100", companyId: company.id, source: "Event" });
  const deal = (ctx: Ctx, title: string, ownerId: string, extra: Record<string, unknown> = {}) =>
    createDeal(ctx, { title, value: "1500.25", currency: "EUR", pipelineId: entry!.pipelineId, stageId: entry!.firstStageId, ownerId, contactId: null, companyId: null, expectedCloseDate: null, source: null, notes: null, newContactName: null, newContactEmail: null, newCompanyName: null, ...extra } as never);
  await deal(at(owner, "2026-01-05T20:30:00Z"), "=HYPERLINK(\"http://evil.test\")", a.users.owner, { contactId: contact.id, companyId: company.id, notes: "+ call back" });
  const won = await deal(at(owner, "2026-01-06T00:00:00Z"), "Won deal", a.users.rep);
  await markWon(at(owner, "2026-02-01T08:00:00Z"), won.id);
  const lost = await deal(owner, "Lost deal", a.users.manager);
  await markLost(owner, lost.id, "Price");
  const gone = await deal(owner, "Deleted deal", a.users.owner);
  await deleteDeal(owner, gone.id);
  await createActivity(owner, { type: "call", subject: "Call Emma", notes: null, dueDate: "2026-03-11", dueTime: "10:00", durationMinutes: 30, assigneeId: a.users.rep, dealId: won.id, contactId: contact.id }, "Asia/Shanghai");

  const ownerB = await b.ctx("owner");
  const [entryB] = await listPipelineEntryStages(ownerB);
  await createDeal(ownerB, { title: "Secret of B", value: "1", pipelineId: entryB!.pipelineId, stageId: entryB!.firstStageId } as never);
  await createContact(ownerB, { firstName: "Bee", email: "bee@b.test" });
});
afterAll(() => t?.close());

describe("deal exports", () => {
  const title = (d: Record<string, string>) => stripNeutralisation(d.Title!);
  it("honour the list's filters, default to open deals, and never include deleted deals or other workspaces", async () => {
    expect((await csvOf(owner, "deals")).map(title).sort()).toEqual(['=HYPERLINK("http://evil.test")']);
    expect((await csvOf(owner, "deals", { status: "all" })).map(title).sort()).toEqual(['=HYPERLINK("http://evil.test")', "Lost deal", "Won deal"]);
    expect((await csvOf(owner, "deals", { status: "won" })).map(title)).toEqual(["Won deal"]);
    expect((await csvOf(owner, "deals", { status: "all", q: "lost" })).map(title)).toEqual(["Lost deal"]);
    expect((await csvOf(owner, "deals", { status: "all", owner: a.users.manager })).map(title)).toEqual(["Lost deal"]);
    expect(await csvOf(owner, "deals", { status: "all", pipelineId: "00000000-0000-4000-8000-000000000000" })).toEqual([]);
  });

  it("honour the deals list's custom-field filters (cf.<key>)", async () => {
    const field = await createCustomField(owner, { entity: "deal", label: "Tier", type: "text", options: [] });
    const [won] = await csvOf(owner, "deals", { status: "won" });
    await updateDeal(owner, { dealId: won!.ID!, custom: { [field.key]: "gold" } } as never);
    expect((await csvOf(owner, "deals", { status: "all", [`cf.${field.key}`]: "gold" })).map((d) => d.Title)).toEqual(["Won deal"]);
  });

  it("write the template's columns, values in currency units, dates in the workspace's zone, and neutralise formulas", async () => {
    const [row] = await csvOf(owner, "deals");
    // Papa reads the cells as written: the apostrophe is there.
    expect(row).toMatchObject({
      Title: `'=HYPERLINK("http://evil.test")`,
      Value: "1500.25",
      Currency: "EUR",
      Pipeline: "Sales pipeline",
      Stage: "Lead in",
      Status: "Open",
      "Contact name": "Emma Smith",
      "Contact email": "emma@contoso.test",
      "Contact phone": "'+1 555 0100",
      Company: "'=Contoso",
      "Created date": "2026-01-06 04:30:00",
      Notes: "'+ call back",
      "Stage history": "2026-01-06 04:30:00 Lead in",
    });
    const won = (await csvOf(owner, "deals", { status: "won" }))[0]!;
    expect(won).toMatchObject({ Status: "Won", "Won/lost date": "2026-02-01 16:00:00" });
  });

  it("as XLSX: numbers are numbers, dates are dates, text is inert text", async () => {
    const sheet = await xlsxOf(owner, "deals", { status: "all" });
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(["Title", "Value", "Currency"]);
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    const evil = rows.find((r) => String(r[1]).startsWith("=HYPERLINK"))!;
    expect(evil[2]).toBe(1500.25);
    expect(evil[14]).toEqual(new Date(Date.UTC(2026, 0, 6, 4, 30)));
    const cell = sheet.getCell(rows.indexOf(evil) + 2, 1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.numFmt).toBe("@");
  });

  it("give a rep limited to own deals only their deals", async () => {
    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, a.workspaceId));
    try {
      const rep = await a.ctx("rep");
      expect((await csvOf(rep, "deals", { status: "all" })).map((d) => d.Title)).toEqual(["Won deal"]);
      const manager = await a.ctx("manager");
      expect(await csvOf(manager, "deals", { status: "all" })).toHaveLength(3);
    } finally {
      await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, a.workspaceId));
    }
  });
});

describe("contact, company and activity exports", () => {
  it("contacts: the list's search and filters, only this workspace", async () => {
    const rows = await csvOf(owner, "contacts");
    expect(rows).toEqual([expect.objectContaining({ "First name": "Emma", "Last name": "Smith", Email: "emma@contoso.test", Company: "'=Contoso", Source: "Event", "Lifecycle stage": "Lead" })]);
    expect(await csvOf(owner, "contacts", { q: "nobody" })).toEqual([]);
    expect(await csvOf(owner, "contacts", { lifecycle: "customer" })).toEqual([]);
  });

  it("companies: with their contact and open deal counts", async () => {
    expect(await csvOf(owner, "companies")).toEqual([expect.objectContaining({ Name: "'=Contoso", Contacts: "1", "Open deals": "1" })]);
  });

  it("activities: what the member may see, due times in the workspace's zone", async () => {
    const [call] = await csvOf(owner, "activities");
    expect(call).toMatchObject({ Type: "Call", Subject: "Call Emma", "Due date": "2026-03-11", "Due time": "2026-03-11 10:00:00", "Duration (minutes)": "30", Deal: "Won deal", Contact: "Emma Smith" });
    const ownerB = await b.ctx("owner");
    expect(await csvOf(ownerB, "activities")).toEqual([]);
  });

  it("names files after the list and the workspace's date", () => {
    expect(exportFileName(at(owner, "2026-03-10T17:00:00Z"), "deals", "csv")).toBe("deals-2026-03-11.csv");
  });
});

describe("the full workspace export", () => {
  it("is admins only", async () => {
    for (const role of ["manager", "rep"] as const) {
      await expect(collect(async (out) => void (await writeWorkspaceExport(await a.ctx(role), out)))).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("holds every table of the workspace as CSV and JSON, no secrets and nothing of another workspace", async () => {
    const zip = unzip(await collect(async (out) => void (await writeWorkspaceExport(await a.ctx("admin"), out))));
    const names = [...zip.keys()];
    for (const table of ["deals", "deal_events", "contacts", "companies", "pipelines", "stages", "memberships", "audit_log", "activities", "workspaces", "users"]) {
      expect(names, table).toContain(`csv/${table}.csv`);
      expect(names, table).toContain(`json/${table}.json`);
    }
    expect(names).not.toContain("csv/import_rows.csv");
    const manifest = JSON.parse(zip.get("manifest.json")!.toString("utf8")) as { tables: { name: string; rows: number; columns: string[] }[] };
    const dealsJson = JSON.parse(zip.get("json/deals.json")!.toString("utf8")) as Record<string, unknown>[];
    expect(dealsJson).toHaveLength(4); // soft-deleted deals are data too (deleted_at says so)
    expect(manifest.tables.find((x) => x.name === "deals")!.rows).toBe(4);
    expect(dealsJson.every((d) => d.workspace_id === a.workspaceId)).toBe(true);
    const users = JSON.parse(zip.get("json/users.json")!.toString("utf8")) as Record<string, unknown>[];
    expect(users).toHaveLength(4);
    const everything = [...zip.values()].map((v) => v.toString("utf8")).join("\n");
    expect(everything).not.toContain("Secret of B");
    expect(everything).not.toContain("bee@b.test");
    expect(everything).not.toMatch(/password_hash|token_hash|\$argon2/);
    const csv = zip.get("csv/companies.csv")!.toString("utf8");
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv).toContain("'=Contoso");
    const events = JSON.parse(zip.get("json/deal_events.json")!.toString("utf8")) as { occurred_at: string }[];
    expect(events.length).toBeGreaterThanOrEqual(7);
    expect(events[0]!.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });
});
