import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { auditLog, companies, contacts, dealEvents, deals, importRecords, memberships, pipelines, stages, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { executeImport, startImport, validateImport } from "@/lib/imports/commands";
import { getImport } from "@/lib/imports/queries";
import { writeXlsx, collect } from "@/lib/spreadsheets/write";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";
import { csv, importFile, stagedRowCount, workspaceCounts } from "../fixtures/spreadsheets/flow";

let t: TestDb;
let ws: WorkspaceFixture;
let owner: Ctx;
let emails: Record<string, string>;

const header = ["Title", "Value", "Currency", "Pipeline", "Stage", "Status", "Owner email", "Contact name", "Contact email", "Company", "Created date", "Won/lost date", "Lost reason", "Stage history"];

beforeAll(async () => {
  t = await createTestDb();
  ws = await createWorkspaceFixture(t.db, "Importers");
  owner = await ws.ctx("owner");
  const rows = await t.db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, Object.values(ws.users)));
  emails = Object.fromEntries(Object.entries(ws.users).map(([role, id]) => [role, rows.find((r) => r.id === id)!.email]));
});
afterAll(() => t?.close());

describe("importing deals", () => {
  it("creates deals, parties, stages and the history at the sheet's dates, in the workspace's time zone", async () => {
    const file =
      "\uFEFF" +
      csv(
        [
          header,
          ["Contoso licence", "12,000.50", "USD", "Sales pipeline", "Demo", "Open", emails.rep!, "Emma Smith", "emma@contoso.com", "Contoso", "2025-01-03 09:00", "", "", "2025-01-03 09:00 Lead in\n2025-01-10 10:00 Qualified\n2025-02-01 Demo"],
          ["Fabrikam pilot", "3000", "", "", "", "Won", "", "Emma Smith", "EMMA@contoso.com", "contoso", "2025-02-01", "2025-03-15 16:30", "", ""],
          ["Globex renewal", "800", "EUR", "Partnerships", "Talks", "Lost", emails.manager!, "Li Wei", "", "Globex", "2025-01-20", "2025-02-20", "Price", ""],
        ],
        ";",
      );
    const before = await workspaceCounts(owner);
    const { id, preview, result, outcome } = await importFile(owner, "deals", file, { fileName: "pipeline.csv" });
    expect(preview.status).toBe("ready");
    expect(preview.errorRows).toBe(0);
    expect(preview.summary).toMatchObject({ deals: { created: 3 }, contacts: { created: 2 }, companies: { created: 2 }, pipelines: { created: 1 }, stages: { created: 1 }, newPipelines: ["Partnerships"], newStages: ["Partnerships › Talks"] });
    expect(outcome).toBe("completed");
    expect(result).toMatchObject({ status: "completed", errorRows: 0, summary: preview.summary, revertible: true });

    const after = await workspaceCounts(owner);
    expect(after.deals - before.deals).toBe(3);
    expect(after.contacts - before.contacts).toBe(2);
    expect(after.companies - before.companies).toBe(2);
    expect(after.pipelines - before.pipelines).toBe(1);

    const rows = await t.db
      .select({ deal: deals, stage: stages.name, pipeline: pipelines.name, contactEmail: contacts.email, lifecycle: contacts.lifecycle, company: companies.name })
      .from(deals)
      .innerJoin(stages, eq(stages.id, deals.stageId))
      .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
      .leftJoin(contacts, eq(contacts.id, deals.contactId))
      .leftJoin(companies, eq(companies.id, deals.companyId))
      .where(eq(deals.workspaceId, ws.workspaceId))
      .orderBy(asc(deals.createdAt));
    const byTitle = Object.fromEntries(rows.map((r) => [r.deal.title, r]));
    const contoso = byTitle["Contoso licence"]!;
    expect(contoso).toMatchObject({ stage: "Demo", pipeline: "Sales pipeline", contactEmail: "emma@contoso.com", company: "Contoso" });
    expect(contoso.deal).toMatchObject({ value: 1_200_050, currency: "USD", status: "open", ownerId: ws.users.rep });
    expect(contoso.deal.createdAt.toISOString()).toBe("2025-01-03T09:00:00.000Z"); // workspace time zone: UTC
    expect(contoso.deal.stageEnteredAt.toISOString()).toBe("2025-02-01T00:00:00.000Z");
    // The second row found the contact by email (any case) and the company by name (any case).
    const fabrikam = byTitle["Fabrikam pilot"]!;
    expect(fabrikam.deal.contactId).toBe(contoso.deal.contactId);
    expect(fabrikam.deal.companyId).toBe(contoso.deal.companyId);
    expect(fabrikam.deal).toMatchObject({ status: "won", currency: "USD", value: 300_000, ownerId: ws.users.owner });
    expect(fabrikam.deal.closedAt!.toISOString()).toBe("2025-03-15T16:30:00.000Z");
    expect(fabrikam.lifecycle).toBe("customer"); // a won deal makes its contact a customer
    const globex = byTitle["Globex renewal"]!;
    expect(globex).toMatchObject({ pipeline: "Partnerships", stage: "Talks", company: "Globex" });
    expect(globex.deal).toMatchObject({ status: "lost", lostReason: "Price", currency: "EUR", ownerId: ws.users.manager });

    const history = await t.db
      .select({ dealId: dealEvents.dealId, type: dealEvents.type, at: dealEvents.occurredAt, from: dealEvents.fromStageId, to: dealEvents.toStageId, actor: dealEvents.actorId, data: dealEvents.data })
      .from(dealEvents)
      .where(eq(dealEvents.workspaceId, ws.workspaceId))
      .orderBy(asc(dealEvents.occurredAt), asc(dealEvents.id));
    const of = (dealId: string) => history.filter((h) => h.dealId === dealId).map((h) => `${h.type}@${h.at.toISOString()}`);
    expect(of(contoso.deal.id)).toEqual(["created@2025-01-03T09:00:00.000Z", "stage_changed@2025-01-10T10:00:00.000Z", "stage_changed@2025-02-01T00:00:00.000Z"]);
    expect(of(fabrikam.deal.id)).toEqual(["created@2025-02-01T00:00:00.000Z", "won@2025-03-15T16:30:00.000Z"]);
    expect(of(globex.deal.id)).toEqual(["created@2025-01-20T00:00:00.000Z", "lost@2025-02-20T00:00:00.000Z"]);
    const stageChanges = history.filter((h) => h.dealId === contoso.deal.id && h.type === "stage_changed");
    expect(stageChanges[1]!.to).toBe(contoso.deal.stageId);
    expect(stageChanges[0]!.to).toBe(stageChanges[1]!.from);
    expect(history.every((h) => h.actor === ws.users.owner && h.data.importId === id)).toBe(true);

    // Every created record is on file for a revert; staged rows that imported are gone; the audit log says so.
    const records = await t.db.select().from(importRecords).where(eq(importRecords.importId, id));
    expect(records.filter((r) => r.action === "created").map((r) => r.entity).sort()).toEqual(["company", "company", "contact", "contact", "deal", "deal", "deal", "pipeline", "stage"]);
    expect(await stagedRowCount(owner, id)).toBe(0);
    const [log] = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.workspaceId), eq(auditLog.action, "import.completed")));
    expect(log).toMatchObject({ actorId: ws.users.owner, targetId: id });
  });

  it("reads XLSX files with real date and number cells", async () => {
    const xlsx = await collect((out) =>
      writeXlsx(out, [
        {
          name: "Deals",
          columns: [
            { header: "Title", type: "text" },
            { header: "Value", type: "decimal" },
            { header: "Created date", type: "datetime" },
            { header: "Expected close date", type: "date" },
          ],
          rows: [
            ["=cmd|' /C calc'!A0", "99.90", new Date(Date.UTC(2025, 4, 6, 8, 15)), new Date(Date.UTC(2025, 6, 1))],
            ["Second", "5", null, null],
          ],
        },
      ]),
    );
    const { result } = await importFile(owner, "deals", xlsx, { fileName: "deals.xlsx" });
    expect(result).toMatchObject({ status: "completed", fileType: "xlsx", summary: { deals: { created: 2 } } });
    const [row] = await t.db.select().from(deals).where(and(eq(deals.workspaceId, ws.workspaceId), eq(deals.title, "=cmd|' /C calc'!A0")));
    expect(row).toMatchObject({ value: 9990, expectedCloseDate: "2025-07-01" });
    expect(row!.createdAt.toISOString()).toBe("2025-05-06T08:15:00.000Z");
  });

  it("refuses an unknown stage without 'create missing', writing nothing, and explains it", async () => {
    const before = await workspaceCounts(owner);
    const file = csv([
      ["Title", "Stage", "Value"],
      ["Good row", "Demo", "10"],
      ["Typo row", "Dmeo", "10"],
      ["Negative", "Demo", "-4"],
      ["Both wrong", "Dmeo", "-1"],
    ]);
    const { id, preview } = await importFile(owner, "deals", file, { createMissing: false, previewOnly: true });
    expect(preview).toMatchObject({ status: "ready", errorRows: 3 });
    expect(preview.refused.map((r) => [r.rowNumber, r.errors.map((e) => e.key)])).toEqual([
      [3, ["imports.rowErrors.stageNotFound"]],
      [4, ["imports.rowErrors.negativeValue"]],
      // every problem of a row at once, not one per upload
      [5, ["imports.rowErrors.negativeValue", "imports.rowErrors.stageNotFound"]],
    ]);
    expect(preview.refused[0]!.errors[0]!.params).toEqual({ stage: "Dmeo", pipeline: "Sales pipeline" });
    await expect(startImport(owner, { importId: id, skipInvalid: false })).rejects.toMatchObject({ code: "VALIDATION", message: "errors.importFixOrSkip" });
    expect(await workspaceCounts(owner)).toEqual(before);
  });

  it("refuses bad dates and values in plain words and writes nothing", async () => {
    const before = await workspaceCounts(owner);
    const { preview } = await importFile(
      owner,
      "deals",
      csv([
        ["Title", "Value", "Created date", "Status", "Won/lost date"],
        ["A", "abc", "2025-02-30", "won", "2025-01-01"],
        ["B", "1", "32/01/2025", "open", ""],
        ["C", "1", "2099-01-01", "", ""],
      ]),
      { previewOnly: true, dateFormat: "dmy" },
    );
    expect(preview.refused.map((r) => r.errors.map((e) => `${e.field}:${e.key}`))).toEqual([
      ["value:imports.rowErrors.notAnAmount", "createdAt:imports.rowErrors.invalidDate"],
      ["createdAt:imports.rowErrors.invalidDate"],
      ["createdAt:imports.rowErrors.futureDate"],
    ]);
    expect(await workspaceCounts(owner)).toEqual(before);
  });

  it("is all or nothing: a row refused at import time (data changed since the preview) writes nothing", async () => {
    const [extra] = await t.db.insert(users).values({ email: `leaving-${ws.slug}@example.com`, name: "Leaving" }).returning();
    await t.db.insert(memberships).values({ workspaceId: ws.workspaceId, userId: extra!.id, role: "rep" });
    const file = csv([["Title", "Owner email", "Company"], ...Array.from({ length: 30 }, (_, i) => [`Deal ${i}`, i === 25 ? extra!.email : "", `Brand new company ${i}`])]);
    const { id, preview } = await importFile(owner, "deals", file, { previewOnly: true });
    expect(preview.errorRows).toBe(0);
    await t.db.delete(memberships).where(and(eq(memberships.workspaceId, ws.workspaceId), eq(memberships.userId, extra!.id)));
    const before = await workspaceCounts(owner);
    await startImport(owner, { importId: id, skipInvalid: false });
    expect(await executeImport(t.db, id, NOW)).toBe("failed");
    expect(await workspaceCounts(owner)).toEqual(before);
    const failed = await getImport(owner, id);
    expect(failed).toMatchObject({ status: "failed", failure: "imports.failures.rowsRefused", errorRows: 1 });
    expect(failed.refused).toEqual([expect.objectContaining({ rowNumber: 27, errors: [expect.objectContaining({ key: "imports.rowErrors.ownerNotMember" })] })]);

    // Fixed (the member is back): check again and import.
    await t.db.insert(memberships).values({ workspaceId: ws.workspaceId, userId: extra!.id, role: "rep" });
    const again = await importFile(owner, "deals", file);
    expect(again.result).toMatchObject({ status: "completed", summary: { deals: { created: 30 }, companies: { created: 30 } } });
  });

  it("can leave refused rows out when asked, and lists them", async () => {
    const before = await workspaceCounts(owner);
    const { result } = await importFile(
      owner,
      "deals",
      csv([
        ["Title", "Stage", "Company"],
        ["Kept", "Demo", ""],
        ["Refused", "Nope", "Orphan Co"],
      ]),
      { createMissing: false, skipInvalid: true },
    );
    expect(result).toMatchObject({ status: "completed", errorRows: 1, summary: { deals: { created: 1 } } });
    expect(result.refused.map((r) => r.rowNumber)).toEqual([3]);
    const after = await workspaceCounts(owner);
    expect(after.deals - before.deals).toBe(1);
    expect(after.companies).toBe(before.companies); // createMissing off: no company was created for anyone
  });

  it("takes nothing back from a refused row: no stage or company is created for it", async () => {
    const before = await workspaceCounts(owner);
    const { result } = await importFile(
      owner,
      "deals",
      csv([
        ["Title", "Pipeline", "Stage", "Company", "Owner email"],
        ["Refused", "Ghost pipeline", "Ghost stage", "Ghost company", "nobody@example.com"],
        ["Kept", "", "", "", ""],
      ]),
      { skipInvalid: true },
    );
    expect(result.summary).toMatchObject({ deals: { created: 1 } });
    expect(result.summary.pipelines).toBeUndefined();
    expect(result.summary.companies).toBeUndefined();
    const after = await workspaceCounts(owner);
    expect([after.pipelines, after.stages, after.companies]).toEqual([before.pipelines, before.stages, before.companies]);
  });

  it("runs once even when started twice", async () => {
    const { id } = await importFile(owner, "deals", csv([["Title"], ["Once"]]), { previewOnly: true });
    await startImport(owner, { importId: id, skipInvalid: false });
    await expect(startImport(owner, { importId: id, skipInvalid: false })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await executeImport(t.db, id, NOW)).toBe("completed");
    expect(await executeImport(t.db, id, NOW)).toBe("skipped");
    expect(await t.db.select().from(deals).where(and(eq(deals.workspaceId, ws.workspaceId), eq(deals.title, "Once")))).toHaveLength(1);
    await validateImport(t.db, id, NOW); // a late preview job finds nothing to do
    expect((await getImport(owner, id)).status).toBe("completed");
  });
});
