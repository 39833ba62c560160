import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { companies, contacts, dealEvents, deals, memberships, pipelines, stages, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import { seedDemoWorkspace } from "@/db/seed/demo-workspace";
import { authorizeMember } from "@/lib/auth/membership";
import type { Ctx } from "@/lib/context";
import { DEMO_SLUG } from "@/lib/demo";
import { writeListExport } from "@/lib/exports";
import { createWorkspaceForUser } from "@/lib/workspaces/commands";
import { collect } from "@/lib/spreadsheets/write";
import { createTestDb, type TestDb } from "../helpers/db";
import { NOW } from "../helpers/fixtures";
import { importFile, translator } from "../fixtures/spreadsheets/flow";

/**
 * Export then import into an empty workspace gives the same deals: titles, values, currencies, pipelines, stages,
 * statuses, owners, parties, and the history dates reports are built from (created, every stage entered,
 * won/lost) — to the second, in the workspace's time zone. Run on the demo workspace's nine months of history.
 */

let t: TestDb;
let source: Ctx;
let ownerId: string;
let memberIds: string[];
const TZ = "Asia/Shanghai";

const sec = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

async function snapshot(db: Db, workspaceId: string) {
  const rows = await db
    .select({
      id: deals.id,
      title: deals.title,
      value: deals.value,
      currency: deals.currency,
      status: deals.status,
      lostReason: deals.lostReason,
      expectedCloseDate: deals.expectedCloseDate,
      source: deals.source,
      createdAt: deals.createdAt,
      closedAt: deals.closedAt,
      stageEnteredAt: deals.stageEnteredAt,
      pipeline: pipelines.name,
      stage: stages.name,
      ownerEmail: users.email,
      contactEmail: contacts.email,
      contactFirst: contacts.firstName,
      company: companies.name,
    })
    .from(deals)
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .where(and(eq(deals.workspaceId, workspaceId)));
  const events = await db
    .select({ dealId: dealEvents.dealId, type: dealEvents.type, stage: stages.name, at: dealEvents.occurredAt })
    .from(dealEvents)
    .leftJoin(stages, eq(stages.id, dealEvents.toStageId))
    .where(and(eq(dealEvents.workspaceId, workspaceId), inArray(dealEvents.type, ["created", "stage_changed", "won", "lost"])))
    .orderBy(asc(dealEvents.occurredAt), asc(dealEvents.id));
  return rows
    .map(({ id, createdAt, closedAt, stageEnteredAt, ...d }) => ({
      ...d,
      createdAt: sec(createdAt),
      closedAt: sec(closedAt),
      stageEnteredAt: sec(stageEnteredAt),
      history: events.filter((e) => e.dealId === id).map((e) => `${e.type}:${e.stage}@${sec(e.at)}`),
    }))
    .sort((x, y) => (x.createdAt! - y.createdAt! || x.title.localeCompare(y.title) || x.value - y.value));
}

async function emptyWorkspace(name: string): Promise<Ctx> {
  const ws = await createWorkspaceForUser(t.db, ownerId, name, NOW);
  await t.db.update(workspaces).set({ timeZone: TZ }).where(eq(workspaces.id, ws.id));
  await t.db.insert(memberships).values(memberIds.map((userId) => ({ workspaceId: ws.id, userId, role: "rep" as const })));
  return authorizeMember(t.db, ownerId, ws.slug, "workspace.read", NOW);
}

beforeAll(async () => {
  t = await createTestDb();
  vi.spyOn(console, "info").mockImplementation(() => {});
  await seedDemoWorkspace(t.db, NOW);
  const [demo] = await t.db.select().from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
  await t.db.update(workspaces).set({ timeZone: TZ }).where(eq(workspaces.id, demo!.id));
  const members = await t.db.select().from(memberships).where(eq(memberships.workspaceId, demo!.id));
  ownerId = members.find((m) => m.role === "owner")!.userId;
  memberIds = members.filter((m) => m.role !== "owner").map((m) => m.userId);
  source = await authorizeMember(t.db, ownerId, DEMO_SLUG, "workspace.read", NOW);
}, 120_000);
afterAll(() => t?.close());

describe.each(["xlsx", "csv"] as const)("round trip through %s", (format) => {
  it("gives the same deals, values and history dates in an empty workspace", async () => {
    const tr = await translator(format === "csv" ? "zh-CN" : "en"); // headers in either language map back
    const file = await collect((out) => writeListExport(source, "deals", format, { status: "all" }, tr, out));
    const target = await emptyWorkspace(`Round trip ${format}`);
    const { preview, result } = await importFile(target, "deals", file, { fileName: `deals.${format}` });
    expect(preview.refused).toEqual([]);
    expect(preview.mapping.filter(Boolean)).toHaveLength(18); // every column but the id maps itself
    expect(result.status).toBe("completed");

    const before = await snapshot(t.db, source.workspaceId);
    const after = await snapshot(t.db, target.workspaceId);
    expect(before.length).toBe(150);
    expect(after).toEqual(before);
    // The target's own default pipeline is untouched; the demo's two pipelines were recreated with their stages.
    const created = await t.db.select({ name: pipelines.name }).from(pipelines).where(and(eq(pipelines.workspaceId, target.workspaceId), ne(pipelines.name, "Sales pipeline")));
    expect(created.map((p) => p.name).sort()).toEqual(["New business", "Partnerships"]);
  }, 120_000);
});
