import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Papa from "papaparse";
import { eq, inArray } from "drizzle-orm";
import { contacts, deals, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createContact } from "@/lib/contacts/commands";
import { createCustomField } from "@/lib/custom-fields/commands";
import { writeListExport } from "@/lib/exports";
import { writeErrorReport } from "@/lib/imports/error-report";
import { revertImport } from "@/lib/imports/revert";
import { collect } from "@/lib/spreadsheets/write";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { csv, importFile, translator } from "../fixtures/spreadsheets/flow";

let t: TestDb;

async function withFields(name: string) {
  const ws = await createWorkspaceFixture(t.db, name);
  const owner = await ws.ctx("owner");
  const tier = await createCustomField(owner, { entity: "deal", label: "Tier", type: "single_select", options: ["Gold", "Silver"] });
  const seats = await createCustomField(owner, { entity: "deal", label: "Seats", type: "number", options: [] });
  const budget = await createCustomField(owner, { entity: "deal", label: "Budget", type: "money", options: [], currency: "EUR" });
  const kickoff = await createCustomField(owner, { entity: "deal", label: "Kickoff", type: "date", options: [] });
  const champion = await createCustomField(owner, { entity: "deal", label: "Champion", type: "user", options: [] });
  const partner = await createCustomField(owner, { entity: "deal", label: "Partner", type: "checkbox", options: [] });
  const regions = await createCustomField(owner, { entity: "deal", label: "Regions", type: "multi_select", options: ["EMEA", "APAC", "AMER"] });
  const nickname = await createCustomField(owner, { entity: "contact", label: "Nickname", type: "text", options: [] });
  const [rep] = await t.db.select({ email: users.email }).from(users).where(inArray(users.id, [ws.users.rep]));
  const [boss] = await t.db.select({ email: users.email }).from(users).where(inArray(users.id, [ws.users.owner]));
  return { ws, owner, repEmail: rep!.email, ownerEmail: boss!.email, f: { tier, seats, budget, kickoff, champion, partner, regions, nickname } };
}

let a: Awaited<ReturnType<typeof withFields>>;
let b: Awaited<ReturnType<typeof withFields>>;

beforeAll(async () => {
  t = await createTestDb();
  a = await withFields("Custom A");
  b = await withFields("Custom B");
});
afterAll(() => t?.close());

const optionLabel = (field: { settings: { options?: { id: string; label: string }[] } }, id: unknown) => field.settings.options?.find((o) => o.id === id)?.label;

describe("custom fields in spreadsheets", () => {
  it("recognises custom columns by label and stores their values with the forms' rules", async () => {
    const { preview, result } = await importFile(
      a.owner,
      "deals",
      csv([
        ["Title", "Tier", "Seats", "Budget", "Kickoff", "Champion", "Partner", "Regions"],
        ["Custom deal", "gold", "1,250", "€4,500.50", "14/03/2025", a.repEmail, "yes", "EMEA; apac"],
        ["Bad tier", "Platinum", "x", "", "2025-02-30", "stranger@example.com", "", ""],
      ]),
      { dateFormat: "dmy", skipInvalid: true },
    );
    expect(preview.mapping).toEqual(["title", ...["tier", "seats", "budget", "kickoff", "champion", "partner", "regions"].map((k) => `custom:${k}`)]);
    expect(result).toMatchObject({ status: "completed", errorRows: 1, summary: { deals: { created: 1 } } });
    const [deal] = await t.db.select().from(deals).where(eq(deals.title, "Custom deal"));
    expect(deal!.custom).toMatchObject({ seats: 1250, budget: 450050, kickoff: "2025-03-14", champion: a.ws.users.rep, partner: true });
    expect(optionLabel(a.f.tier, deal!.custom.tier)).toBe("Gold");
    expect((deal!.custom.regions as string[]).map((id) => optionLabel(a.f.regions, id))).toEqual(["EMEA", "APAC"]);
    expect(result.refused[0]!.errors.map((e) => `${e.field} ${e.key}`).sort()).toEqual([
      "custom:champion imports.rowErrors.ownerNotMember",
      "custom:kickoff imports.rowErrors.invalidDate",
      "custom:seats errors.invalidNumber",
      "custom:tier errors.invalidOption",
    ]);
    const report = (await collect(async (out) => void (await writeErrorReport(a.owner, result.id, await translator("en"), out)))).toString("utf8");
    expect(report).toContain("Tier: ");
    expect(report).toContain("Champion: stranger@example.com is not a member of this workspace");
  });

  it("exports custom columns the way the import reads them, so they round-trip into a workspace with the same fields", async () => {
    const file = await collect(async (out) => writeListExport(a.owner, "deals", "csv", { status: "all" }, await translator("en"), out));
    const [row] = Papa.parse<Record<string, string>>(file.toString("utf8").slice(1), { header: true, skipEmptyLines: true }).data;
    expect(row).toMatchObject({ Tier: "Gold", Seats: "1250", Budget: "4500.50", Kickoff: "2025-03-14", Champion: a.repEmail, Partner: "true", Regions: "EMEA; APAC" });

    // In B the owner and the champion must be B's members: the same sheet with A's people swapped for B's.
    const forB = file.toString("utf8").replaceAll(a.repEmail, b.repEmail).replaceAll(a.ownerEmail, b.ownerEmail);
    const { result } = await importFile(b.owner, "deals", forB);
    expect(result).toMatchObject({ status: "completed", errorRows: 0 });
    const [copy] = await t.db.select().from(deals).where(eq(deals.workspaceId, b.ws.workspaceId));
    expect(optionLabel(b.f.tier, copy!.custom.tier)).toBe("Gold");
    expect(copy!.custom).toMatchObject({ seats: 1250, budget: 450050, kickoff: "2025-03-14", champion: b.ws.users.rep, partner: true });
  });

  it("updates custom values of existing contacts (empty cells keep them) and a revert restores them", async () => {
    const ann = await createContact(a.owner, { firstName: "Ann", email: "ann@custom.test", custom: { nickname: "Annie" } } as never);
    const { id, result } = await importFile(
      a.owner,
      "contacts",
      csv([
        ["First name", "Email", "Nickname"],
        ["Ann", "ann@custom.test", "The Boss"],
        ["Bob", "bob@custom.test", ""],
      ]),
      { updateExisting: true },
    );
    expect(result.summary).toMatchObject({ contacts: { created: 1, updated: 1 } });
    const read = async () => (await t.db.select({ custom: contacts.custom }).from(contacts).where(eq(contacts.id, ann.id)))[0]!.custom;
    expect(await read()).toEqual({ nickname: "The Boss" });
    await revertImport(a.owner as Ctx, id);
    expect(await read()).toEqual({ nickname: "Annie" });
  });

  it("offers nothing of another workspace's custom fields", async () => {
    const solo: WorkspaceFixture = await createWorkspaceFixture(t.db, "No fields");
    const { preview } = await importFile(await solo.ctx("owner"), "deals", csv([["Title", "Tier"], ["x", "Gold"]]), { previewOnly: true });
    expect(preview.mapping).toEqual(["title", null]);
  });
});
