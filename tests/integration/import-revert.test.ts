import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { companies, contacts, deals, pipelines, stages, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createCompany } from "@/lib/companies/commands";
import { createContact, updateContact } from "@/lib/contacts/commands";
import { createDeal } from "@/lib/deals/commands";
import { discardImport, saveMapping, stageUpload, startImport } from "@/lib/imports/commands";
import { writeErrorReport } from "@/lib/imports/error-report";
import { getImport, listImports } from "@/lib/imports/queries";
import { revertImport } from "@/lib/imports/revert";
import { collect } from "@/lib/spreadsheets/write";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { csv, importCount, importFile, translator, workspaceCounts } from "../fixtures/spreadsheets/flow";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let ownerA: Ctx;
let ownerB: Ctx;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  ownerA = await a.ctx("owner");
  ownerB = await b.ctx("owner");
});
afterAll(() => t?.close());

describe("contacts and companies", () => {
  it("updates the contact with the same email when asked (and refuses it otherwise), then a revert restores it", async () => {
    const existing = await createContact(ownerA, { firstName: "Ann", lastName: "Old", email: "ann@acme.test", phone: "111", lifecycle: "lead" });
    const file = csv([
      ["First name", "Last name", "Email", "Phone", "Company", "Lifecycle stage"],
      ["Ann", "New", "ANN@acme.test", "", "Acme Test", "Qualified"],
      ["Bob", "Brown", "bob@acme.test", "222", "Acme Test", ""],
    ]);
    const refused = await importFile(ownerA, "contacts", file, { previewOnly: true });
    expect(refused.preview.refused).toEqual([expect.objectContaining({ rowNumber: 2, errors: [expect.objectContaining({ key: "imports.rowErrors.contactExists", params: { email: "ann@acme.test" } })] })]);
    await discardImport(ownerA, refused.id);

    const { id, result } = await importFile(ownerA, "contacts", file, { updateExisting: true });
    expect(result).toMatchObject({ status: "completed", summary: { contacts: { created: 1, updated: 1 }, companies: { created: 1 } } });
    const [ann] = await t.db.select().from(contacts).where(eq(contacts.id, existing.id));
    // Only the columns the sheet filled are changed (an empty phone keeps the old one).
    expect(ann).toMatchObject({ firstName: "Ann", lastName: "New", phone: "111", lifecycle: "qualified" });
    expect(ann!.companyId).not.toBeNull();

    // Someone edits the phone after the import: the revert keeps that edit, restores the rest.
    await updateContact(ownerA, { contactId: existing.id, firstName: "Ann", lastName: "New", email: "ann@acme.test", phone: "999", lifecycle: "qualified", companyId: ann!.companyId });
    const reverted = await revertImport(at(ownerA, "2026-03-20T00:00:00Z"), id);
    expect(reverted).toMatchObject({ deleted: { contacts: 1, companies: 1, deals: 0 }, restored: { contacts: 1 } });
    const [back] = await t.db.select().from(contacts).where(eq(contacts.id, existing.id));
    expect(back).toMatchObject({ lastName: "Old", phone: "999", lifecycle: "lead", companyId: null });
    expect(await t.db.select().from(contacts).where(and(eq(contacts.workspaceId, a.workspaceId), eq(contacts.email, "bob@acme.test")))).toEqual([]);
    expect((await getImport(ownerA, id)).status).toBe("reverted");
    await expect(revertImport(ownerA, id)).rejects.toMatchObject({ code: "CONFLICT", message: "errors.importBusy" });
  });

  it("refuses an email twice in one file and updates companies matched by name", async () => {
    await createCompany(ownerA, { name: "Northwind", domain: "old.test" });
    const { result } = await importFile(
      ownerA,
      "companies",
      csv([
        ["Name", "Website", "Phone"],
        ["northwind", "https://www.northwind.test/", "555"],
        ["Brand New", "", ""],
        ["Brand new", "", ""],
      ]),
      { updateExisting: true, skipInvalid: true },
    );
    expect(result).toMatchObject({ summary: { companies: { created: 1, updated: 1 } }, errorRows: 1 });
    expect(result.refused[0]).toMatchObject({ rowNumber: 4, errors: [expect.objectContaining({ key: "imports.rowErrors.duplicateInFile", params: { row: 3 } })] });
    const [nw] = await t.db.select().from(companies).where(and(eq(companies.workspaceId, a.workspaceId), eq(companies.name, "Northwind")));
    expect(nw).toMatchObject({ domain: "northwind.test", phone: "555" });

    const dup = await importFile(
      ownerA,
      "contacts",
      csv([
        ["Full name", "Email"],
        ["Cy One", "cy@dup.test"],
        ["Cy Two", "CY@dup.test"],
      ]),
      { previewOnly: true },
    );
    expect(dup.preview.refused.map((r) => [r.rowNumber, r.errors[0]!.key])).toEqual([[3, "imports.rowErrors.duplicateInFile"]]);
  });
});

describe("reverting a deals import", () => {
  it("removes exactly what it created, keeps stages now in use, restores promoted contacts", async () => {
    const lead = await createContact(ownerA, { firstName: "Lea", lastName: "Lead", email: "lea@acme.test" });
    const before = await workspaceCounts(ownerA);
    const { id } = await importFile(
      ownerA,
      "deals",
      csv([
        ["Title", "Pipeline", "Stage", "Status", "Contact name", "Contact email", "Company", "Won/lost date"],
        ["Won with Lea", "Sales pipeline", "Demo", "Won", "Lea Lead", "lea@acme.test", "", "2026-01-05"],
        ["New pipeline deal", "Imported pipe", "Step 1", "Open", "Zed New", "zed@new.test", "Zed Co", ""],
        ["Second stage", "Imported pipe", "Step 2", "Open", "", "", "", ""],
        ["Extra stage", "Sales pipeline", "Imported stage", "Open", "", "", "", ""],
      ]),
    );
    expect((await t.db.select().from(contacts).where(eq(contacts.id, lead.id)))[0]!.lifecycle).toBe("customer");
    // After the import, someone puts a deal of their own into the imported stage of the existing pipeline.
    const [importedStage] = await t.db.select().from(stages).where(and(eq(stages.workspaceId, a.workspaceId), eq(stages.name, "Imported stage")));
    const own = await createDeal(ownerA, { title: "Mine", pipelineId: importedStage!.pipelineId, stageId: importedStage!.id, value: "1" } as never);

    const result = await revertImport(at(ownerA, "2026-04-01T00:00:00Z"), id);
    expect(result).toMatchObject({ deleted: { deals: 4, contacts: 1, companies: 1, pipelines: 1, stages: 2 }, restored: { contacts: 1 }, keptInUse: 1 });
    const after = await workspaceCounts(ownerA);
    expect(after).toMatchObject({ deals: before.deals + 1, contacts: before.contacts, companies: before.companies, pipelines: before.pipelines, stages: before.stages + 1 });
    expect((await t.db.select().from(contacts).where(eq(contacts.id, lead.id)))[0]!.lifecycle).toBe("lead");
    expect(await t.db.select().from(deals).where(eq(deals.id, own.id))).toHaveLength(1);
    expect(await t.db.select().from(pipelines).where(and(eq(pipelines.workspaceId, a.workspaceId), eq(pipelines.name, "Imported pipe")))).toEqual([]);
  });

  it("cannot be reverted after 30 days", async () => {
    const { id } = await importFile(ownerA, "deals", csv([["Title"], ["Old import"]]));
    await expect(revertImport(at(ownerA, "2026-04-10T09:00:01Z"), id)).rejects.toMatchObject({ code: "CONFLICT", message: "errors.importRevertExpired" });
    const list = await listImports(at(ownerA, "2026-04-10T09:00:01Z"));
    expect(list.find((i) => i.id === id)).toMatchObject({ status: "completed", revertible: false });
    expect((await listImports(ownerA)).find((i) => i.id === id)).toMatchObject({ revertible: true, createdByName: expect.any(String) });
  });
});

describe("two workspaces", () => {
  it("never touches another workspace: B cannot see, map, start, revert or discard A's import", async () => {
    const { id } = await importFile(ownerA, "deals", csv([["Title"], ["A's deal"]]), { previewOnly: true });
    const aBefore = await workspaceCounts(ownerA);
    await expect(getImport(ownerB, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saveMapping(ownerB, { importId: id, mapping: ["title"], createMissing: true, updateExisting: false, dateFormat: "ymd" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(startImport(ownerB, { importId: id, skipInvalid: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revertImport(ownerB, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(discardImport(ownerB, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listImports(ownerB)).toEqual([]);
    expect((await getImport(ownerA, id)).status).toBe("ready");
    expect(await workspaceCounts(ownerA)).toEqual(aBefore);
  });

  it("an import in B links only B's records, even when A has the same names and emails", async () => {
    await createCompany(ownerA, { name: "Shared Name Inc" });
    await createContact(ownerA, { firstName: "Sam", email: "sam@shared.test" });
    const aBefore = await workspaceCounts(ownerA);
    const { result } = await importFile(
      ownerB,
      "deals",
      csv([
        ["Title", "Company", "Contact name", "Contact email", "Owner email"],
        ["B's deal", "Shared Name Inc", "Sam", "sam@shared.test", ""],
      ]),
    );
    expect(result.summary).toMatchObject({ deals: { created: 1 }, companies: { created: 1 }, contacts: { created: 1 } });
    const [deal] = await t.db.select().from(deals).where(eq(deals.workspaceId, b.workspaceId));
    const linked = await t.db.select({ ws: companies.workspaceId }).from(companies).where(eq(companies.id, deal!.companyId!));
    expect(linked[0]!.ws).toBe(b.workspaceId);
    expect(await workspaceCounts(ownerA)).toEqual(aBefore);
  });

  it("refuses an owner email that belongs to another workspace's member", async () => {
    const [aRep] = await t.db.select({ email: users.email }).from(users).where(inArray(users.id, [a.users.rep]));
    const { preview } = await importFile(ownerB, "deals", csv([["Title", "Owner email"], ["x", aRep!.email]]), { previewOnly: true });
    expect(preview.refused[0]!.errors[0]).toMatchObject({ key: "imports.rowErrors.ownerNotMember" });
  });
});

describe("roles", () => {
  it("lets managers import and refuses reps", async () => {
    const bytes = new TextEncoder().encode(csv([["Title"], ["x"]]));
    const before = await importCount(ownerA);
    await expect(stageUpload(await a.ctx("rep"), { kind: "deals", fileName: "x.csv", bytes })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(revertImport(await a.ctx("rep"), "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await importCount(ownerA)).toBe(before);
    await expect(stageUpload(await a.ctx("manager"), { kind: "deals", fileName: "x.csv", bytes })).resolves.toMatchObject({ id: expect.any(String) });
  });
});

describe("mapping memory and the error report", () => {
  it("remembers a confirmed mapping for the workspace's next file (and only that workspace's)", async () => {
    const file = csv([["Kundenname", "Betrag"], ["Hans", "5"]]);
    const first = await importFile(ownerA, "deals", file, { mapping: ["title", "value"], previewOnly: true });
    expect(first.staged.mapping).toEqual([null, null]);
    const { id } = await stageUpload(ownerA, { kind: "deals", fileName: "again.csv", bytes: new TextEncoder().encode(file) });
    expect((await getImport(ownerA, id)).mapping).toEqual(["title", "value"]);
    const { id: other } = await stageUpload(ownerB, { kind: "deals", fileName: "b.csv", bytes: new TextEncoder().encode(file) });
    expect((await getImport(ownerB, other)).mapping).toEqual([null, null]);
  });

  it("refuses a mapping without the required column or with a field twice", async () => {
    const { id } = await stageUpload(ownerA, { kind: "deals", fileName: "m.csv", bytes: new TextEncoder().encode(csv([["A", "B"], ["1", "2"]])) });
    await expect(saveMapping(ownerA, { importId: id, mapping: ["value", null], createMissing: true, updateExisting: false, dateFormat: "ymd" })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { _form: ["imports.mapping.requiredMissing"] },
    });
    await expect(saveMapping(ownerA, { importId: id, mapping: ["title", "title"], createMissing: true, updateExisting: false, dateFormat: "ymd" })).rejects.toMatchObject({
      fieldErrors: { col1: ["imports.mapping.fieldTwice"] },
    });
  });

  it("writes every refused row with its reasons in plain words (CSV with BOM, in the reader's language)", async () => {
    const { id } = await importFile(
      ownerA,
      "deals",
      csv([
        ["Title", "Value", "Stage"],
        ["", "-3", "Demo"],
        ["ok", "1", "Nope"],
        ["=HYPERLINK(\"http://x\")", "1", "Demo"],
      ]),
      { createMissing: false, previewOnly: true },
    );
    const en = (await collect(async (out) => void (await writeErrorReport(ownerA, id, await translator("en"), out)))).toString("utf8");
    expect(en.startsWith("\uFEFFRow,Problems,Title,Value,Stage\r\n")).toBe(true);
    // The cells come back as uploaded, with formula-looking text neutralised ("-3" → "'-3").
    expect(en).toContain("2,Title: This field is required.; Value: must not be negative,,'-3,Demo");
    expect(en).toContain("3,Stage: the pipeline “Sales pipeline” has no stage “Nope”");
    expect(en).not.toContain("=HYPERLINK"); // only refused rows are listed
    const zh = (await collect(async (out) => void (await writeErrorReport(ownerA, id, await translator("zh-CN"), out)))).toString("utf8");
    expect(zh).toContain("金额: 不能为负数");
    await expect(collect(async (out) => void (await writeErrorReport(ownerB, id, await translator("en"), out)))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
