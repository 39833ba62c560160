import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { contacts, deals, workspaceOptions } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, markLost } from "@/lib/deals/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { getDealFormOptions } from "@/lib/deals/queries";
import { defaultDealSources, defaultLostReasons } from "@/lib/pipelines/defaults";
import { addOption, listWorkspaceOptions, moveOption, removeOption, renameOption } from "@/lib/pipelines/options";
import { listPipelineSummaries, listStagesWithDealCounts } from "@/lib/pipelines/queries";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
});
afterAll(() => t.close());

const labels = async (ctx: Ctx, kind: "deal_source" | "lost_reason") => (await listWorkspaceOptions(ctx))[kind].map((o) => o.label);
const idOf = async (ctx: Ctx, kind: "deal_source" | "lost_reason", label: string) =>
  (await listWorkspaceOptions(ctx))[kind].find((o) => o.label === label)!.id;

/** A fresh workspace, so order assertions do not depend on the other tests. */
async function freshManager(): Promise<Ctx> {
  return (await createWorkspaceFixture(t.db, "Lists")).ctx("manager");
}

describe("listing", () => {
  it("starts a workspace with the default sources and lost reasons, in order", async () => {
    const ctx = await freshManager();
    expect(await labels(ctx, "deal_source")).toEqual(defaultDealSources);
    expect(await labels(ctx, "lost_reason")).toEqual(defaultLostReasons);
  });
});

describe("adding", () => {
  it("appends a trimmed label at the end of its own list, which deal forms then offer", async () => {
    const ctx = await freshManager();
    const added = await addOption(ctx, { kind: "deal_source", label: "  Trade show " });
    expect(added).toMatchObject({ kind: "deal_source", label: "Trade show" });
    expect(await labels(ctx, "deal_source")).toEqual([...defaultDealSources, "Trade show"]);
    expect(await labels(ctx, "lost_reason")).toEqual(defaultLostReasons);
    expect((await getDealFormOptions(ctx)).sources.at(-1)).toBe("Trade show");
  });

  it("refuses a label already in the list, ignoring case, with a field error (CONFLICT)", async () => {
    const ctx = await freshManager();
    await expect(addOption(ctx, { kind: "lost_reason", label: "PRICE" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "errors.optionTaken",
      fieldErrors: { label: ["errors.optionTaken"] },
    });
    // The same label in the other list is fine.
    await addOption(ctx, { kind: "deal_source", label: "Price" });
    expect(await labels(ctx, "lost_reason")).toEqual(defaultLostReasons);
  });

  it("refuses an empty or too long label (VALIDATION)", async () => {
    await expect(addOption(owner, { kind: "deal_source", label: "   " })).rejects.toMatchObject({ name: "ZodError" });
    await expect(addOption(owner, { kind: "deal_source", label: "x".repeat(81) })).rejects.toMatchObject({ name: "ZodError" });
    await expect(addOption(owner, { kind: "nope" as "deal_source", label: "X" })).rejects.toMatchObject({ name: "ZodError" });
  });
});

describe("renaming", () => {
  it("renames a label but leaves the deals and contacts that carry the old one as they are", async () => {
    const ctx = await freshManager();
    const pipelineId = (await listPipelineSummaries(ctx))[0]!.id;
    const stageId = (await listStagesWithDealCounts(ctx, pipelineId))[0]!.id;
    const deal = await createDeal(ctx, createDealSchema.parse({ title: "From a referral", pipelineId, stageId, source: "Referral" }));
    await renameOption(ctx, { optionId: await idOf(ctx, "deal_source", "Referral"), label: "Customer referral" });
    expect((await labels(ctx, "deal_source"))[0]).toBe("Customer referral");
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.source).toBe("Referral");
  });

  it("allows changing only the case of a label, and refuses another label's name", async () => {
    const ctx = await freshManager();
    const id = await idOf(ctx, "lost_reason", "Timing");
    await renameOption(ctx, { optionId: id, label: "TIMING" });
    expect(await labels(ctx, "lost_reason")).toContain("TIMING");
    await expect(renameOption(ctx, { optionId: id, label: "no budget" })).rejects.toMatchObject({ code: "CONFLICT", fieldErrors: { label: ["errors.optionTaken"] } });
    expect(await labels(ctx, "lost_reason")).toContain("TIMING");
  });
});

describe("reordering", () => {
  it("puts an option between its new neighbours, at the top or at the end", async () => {
    const ctx = await freshManager();
    const [referral, cold, inbound, event, partner, website] = defaultDealSources;
    const id = (label: string) => idOf(ctx, "deal_source", label);
    await moveOption(ctx, { optionId: await id(website!), beforeId: await id(referral!), afterId: await id(cold!) });
    expect(await labels(ctx, "deal_source")).toEqual([referral, website, cold, inbound, event, partner]);
    await moveOption(ctx, { optionId: await id(event!), beforeId: null, afterId: await id(referral!) });
    expect(await labels(ctx, "deal_source")).toEqual([event, referral, website, cold, inbound, partner]);
    await moveOption(ctx, { optionId: await id(event!), beforeId: await id(partner!), afterId: null });
    expect(await labels(ctx, "deal_source")).toEqual([referral, website, cold, inbound, partner, event]);
    const positions = await t.db
      .select({ p: workspaceOptions.position })
      .from(workspaceOptions)
      .where(and(eq(workspaceOptions.workspaceId, ctx.workspaceId), eq(workspaceOptions.kind, "deal_source")))
      .orderBy(asc(workspaceOptions.position));
    expect(positions.map((r) => r.p)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("refuses a neighbour from the other list (NOT_FOUND)", async () => {
    const ctx = await freshManager();
    await expect(
      moveOption(ctx, { optionId: await idOf(ctx, "deal_source", "Event"), beforeId: await idOf(ctx, "lost_reason", "Price") }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await labels(ctx, "deal_source")).toEqual(defaultDealSources);
  });
});

describe("removing", () => {
  it("removes a label from the list without touching deals or contacts that carry it", async () => {
    const ctx = await freshManager();
    const pipelineId = (await listPipelineSummaries(ctx))[0]!.id;
    const stageId = (await listStagesWithDealCounts(ctx, pipelineId))[0]!.id;
    const deal = await createDeal(ctx, createDealSchema.parse({ title: "Lost on price", pipelineId, stageId, source: "Event" }));
    await markLost(ctx, deal.id, "Price");
    const [contact] = await t.db.insert(contacts).values({ workspaceId: ctx.workspaceId, firstName: "Eve", source: "Event" }).returning();

    await removeOption(ctx, { optionId: await idOf(ctx, "lost_reason", "Price") });
    await removeOption(ctx, { optionId: await idOf(ctx, "deal_source", "Event") });
    expect(await labels(ctx, "lost_reason")).toEqual(defaultLostReasons.filter((l) => l !== "Price"));
    expect(await labels(ctx, "deal_source")).toEqual(defaultDealSources.filter((l) => l !== "Event"));

    const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(row).toMatchObject({ lostReason: "Price", source: "Event", status: "lost" });
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contact!.id)))[0]!.source).toBe("Event");
    // The label can be added again later.
    await addOption(ctx, { kind: "lost_reason", label: "Price" });
  });
});

describe("authorization", () => {
  it("refuses a rep (FORBIDDEN) and changes nothing", async () => {
    const rep = await a.ctx("rep");
    const before = await listWorkspaceOptions(owner);
    const id = before.deal_source[0]!.id;
    for (const attempt of [
      () => addOption(rep, { kind: "deal_source", label: "Rep source" }),
      () => renameOption(rep, { optionId: id, label: "Renamed by rep" }),
      () => moveOption(rep, { optionId: id, beforeId: before.deal_source.at(-1)!.id }),
      () => removeOption(rep, { optionId: id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await listWorkspaceOptions(owner)).toEqual(before);
  });

  it("gives workspace B NOT_FOUND for A's option ids, and leaves A's lists unchanged", async () => {
    const bCtx = await b.ctx("owner");
    const before = await listWorkspaceOptions(owner);
    const aSource = before.deal_source[0]!.id;
    const bSource = (await listWorkspaceOptions(bCtx)).deal_source[0]!.id;
    for (const attempt of [
      () => renameOption(bCtx, { optionId: aSource, label: "Taken over" }),
      () => moveOption(bCtx, { optionId: aSource, beforeId: null, afterId: null }),
      () => moveOption(bCtx, { optionId: bSource, beforeId: aSource }),
      () => removeOption(bCtx, { optionId: aSource }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await listWorkspaceOptions(owner)).toEqual(before);
    // B's lists never show A's labels, and A's labels do not block B's.
    await addOption(owner, { kind: "deal_source", label: "Only in A" });
    expect(await labels(bCtx, "deal_source")).not.toContain("Only in A");
    await addOption(bCtx, { kind: "deal_source", label: "Only in A" });
  });
});
