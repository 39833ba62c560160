import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createCompany } from "@/lib/companies/commands";
import { createContact } from "@/lib/contacts/commands";
import { createDeal, markLost, markWon } from "@/lib/deals/commands";
import { listPipelines } from "@/lib/deals/queries";
import { createDealSchema } from "@/lib/deals/schema";
import { globalSearch } from "@/lib/search/queries";
import { updateWorkspace } from "@/lib/workspaces/commands";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;

async function deal(ctx: Ctx, title: string) {
  const pipeline = (await listPipelines(ctx))[0]!;
  const [stage] = await t.db.select().from(stages).where(eq(stages.pipelineId, pipeline.id)).limit(1);
  return createDeal(ctx, createDealSchema.parse({ title, pipelineId: pipeline.id, stageId: stage!.id }));
}

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  const globex = await createCompany(owner, { name: "Globex Corporation", domain: "globex.example" });
  await createCompany(owner, { name: "Mega Globex Holdings" });
  await createContact(owner, { firstName: "Hank", lastName: "Scorpio", email: "hank@globex.example", phone: "+1 555 0100", companyId: globex.id });
  await createContact(owner, { firstName: "王", lastName: "芳", email: "wang.fang@example.cn" });
  await deal(owner, "Globex — Annual licence");
  await deal(await a.ctx("rep"), "Rep's Globex pilot");
  await deal(await b.ctx("owner"), "Globex in Beta");
  await createCompany(await b.ctx("owner"), { name: "Globex Beta Branch" });
});
afterAll(() => t.close());

describe("global search", () => {
  it("finds deals, contacts and companies by name, email, phone and company, case-insensitively", async () => {
    const hits = await globalSearch(owner, "GLOBEX");
    expect(hits.filter((h) => h.kind === "deal").map((h) => h.title).sort()).toEqual(["Globex — Annual licence", "Rep's Globex pilot"]);
    expect(hits.filter((h) => h.kind === "contact").map((h) => h.title)).toEqual(["Hank Scorpio"]); // by email
    expect(hits.filter((h) => h.kind === "company").map((h) => h.title)).toEqual(["Globex Corporation", "Mega Globex Holdings"]); // prefix first
    expect((await globalSearch(owner, "555 0100")).map((h) => h.title)).toEqual(["Hank Scorpio"]);
    expect((await globalSearch(owner, "王")).length).toBe(0); // shorter than 2 characters
    expect((await globalSearch(owner, "王 芳")).map((h) => h.title)).toEqual(["王 芳"]);
  });

  it("marks won and lost deals, so two deals of one name can be told apart", async () => {
    const open = await deal(owner, "Initech renewal");
    await markWon(owner, (await deal(owner, "Initech renewal")).id);
    await markLost(owner, (await deal(owner, "Initech renewal")).id, "Price");
    const hits = await globalSearch(owner, "initech");
    expect(hits.map((h) => h.closed ?? "open").sort()).toEqual(["lost", "open", "won"]);
    expect(hits.find((h) => h.id === open.id)).not.toHaveProperty("closed");
  });

  it("ranks a name that starts with the text before one that merely contains it", async () => {
    const companies = (await globalSearch(owner, "glob")).filter((h) => h.kind === "company").map((h) => h.title);
    expect(companies[0]).toBe("Globex Corporation");
  });

  it("takes % and _ literally", async () => {
    expect(await globalSearch(owner, "%%")).toEqual([]);
    expect(await globalSearch(owner, "__")).toEqual([]);
  });

  it("never returns another workspace's records", async () => {
    const titles = (await globalSearch(owner, "globex")).map((h) => h.title);
    expect(titles).not.toContain("Globex in Beta");
    expect(titles).not.toContain("Globex Beta Branch");
    const beta = (await globalSearch(await b.ctx("rep"), "globex")).map((h) => h.title);
    expect(beta).toEqual(["Globex in Beta", "Globex Beta Branch"]);
  });

  it("a rep limited to own deals never finds others' deals", async () => {
    await updateWorkspace(owner, { name: "Alpha", timeZone: "UTC", currency: "USD", dealVisibility: "own" });
    const rep = await a.ctx("rep");
    expect((await globalSearch(rep, "globex")).filter((h) => h.kind === "deal").map((h) => h.title)).toEqual(["Rep's Globex pilot"]);
    const manager = await a.ctx("manager");
    expect((await globalSearch(manager, "globex")).filter((h) => h.kind === "deal")).toHaveLength(2);
  });
});
