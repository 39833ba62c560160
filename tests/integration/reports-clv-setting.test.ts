import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { auditLog, contacts, stages } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createDeal, markWon } from "@/lib/deals/commands";
import { createDealSchema } from "@/lib/deals/schema";
import { listPipelines } from "@/lib/deals/queries";
import { pipelineReview } from "@/lib/reports/review";
import { startReviewSections } from "@/lib/reports/review-loaders";
import { reviewSheets } from "@/lib/reports/export";
import { monthPeriod } from "@/lib/reports/period";
import { customerLifespanMonths, customerLifespanSchema, setCustomerLifespanMonths } from "@/lib/reports/settings";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/**
 * Customer lifetime value with the workspace's lifespan of one-time customers (Settings → General).
 * Fixture (UTC, USD), review of March 2026: customer X bought once (USD 1,000, Mar 10); customer Y twice,
 * exactly half a year apart (USD 2,000 on 2025-09-10 and USD 3,000 on 2026-03-10 — 181 days: 181/365.25 years).
 * Over the year before April 1: average purchase = 6,000 / 3 = 2,000; frequency = 3 deals / 2 customers = 1.5.
 * Lifespan = (Y's span + X's one-time lifespan) / 2.
 */
let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
const NOW_ISO = "2026-04-05T00:00:00Z";
const ySpan = 181 / 365.25;
const expected = (oneTimeYears: number) => 200_000 * 1.5 * ((ySpan + oneTimeYears) / 2);

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  const owner = await a.ctx("owner");
  const pipelineId = (await listPipelines(owner))[0]!.id;
  const [stage] = await t.db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(asc(stages.position));
  const [x, y] = await t.db.insert(contacts).values([{ workspaceId: a.workspaceId, firstName: "X" }, { workspaceId: a.workspaceId, firstName: "Y" }]).returning();
  const won = async (contactId: string, value: string, iso: string) => {
    const d = await createDeal(at(owner, "2025-08-01T00:00:00Z"), createDealSchema.parse({ title: `${value} ${iso}`, value, pipelineId, stageId: stage!.id, contactId }));
    await markWon(at(owner, iso), d.id);
  };
  await won(x!.id, "1000", "2026-03-10T00:00:00Z");
  await won(y!.id, "2000", "2025-09-10T00:00:00Z");
  await won(y!.id, "3000", "2026-03-10T00:00:00Z");
});
afterAll(() => t.close());

const owner = async (): Promise<Ctx> => at(await a.ctx("owner"), NOW_ISO);
const march = () => monthPeriod("2026-03", "UTC");

describe("the lifespan of one-time customers is a workspace setting", () => {
  it("defaults to 12 months", async () => {
    expect(await customerLifespanMonths(await owner())).toBe(12);
    const r = await pipelineReview(await owner(), { period: march() });
    expect(r.current.clv.lifespanYears).toBeCloseTo((ySpan + 1) / 2, 9);
    expect(r.current.customerLifetimeValue).toBeCloseTo(expected(1), 6);
  });

  it("is used identically by the page's sections, the review (export, API, monthly pack) and its sheets", async () => {
    await setCustomerLifespanMonths(await owner(), { customerLifespanMonths: 30 });
    const r = await pipelineReview(await owner(), { period: march() });
    expect(r.current.customerLifetimeValue).toBeCloseTo(expected(2.5), 6);
    const page = await (await startReviewSections(await owner(), { period: march() })).current;
    expect(page.customerLifetimeValue).toBe(r.current.customerLifetimeValue);
    // the export's summary row (major units, 2 decimals)
    const t0 = (key: string) => key;
    const summary = reviewSheets(r, t0)[0]!;
    const row = [...(summary.rows as Iterable<unknown[]>)].find((cells) => cells[0] === "kpi.customerLifetimeValue")!;
    expect(Number(row[1])).toBeCloseTo(expected(2.5) / 100, 2);
    // another workspace keeps its own (default) value
    expect(await customerLifespanMonths(await b.ctx("owner"))).toBe(12);
    // recorded in the audit log with the new value
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.workspaceId, a.workspaceId));
    expect(entries.filter((e) => e.action === "workspace.updated").map((e) => e.details)).toContainEqual({ customerLifespanMonths: 30 });
  });

  it("is validated: whole months from 1 to 600", () => {
    for (const ok of ["1", "12", "600", 24]) expect(customerLifespanSchema.safeParse({ customerLifespanMonths: ok }).success, String(ok)).toBe(true);
    for (const bad of ["0", "601", "1.5", "abc", "", -3]) expect(customerLifespanSchema.safeParse({ customerLifespanMonths: bad }).success, String(bad)).toBe(false);
    const error = customerLifespanSchema.safeParse({ customerLifespanMonths: "0" }).error!;
    expect(error.issues[0]!.message).toBe("errors.invalidLifespan");
  });

  it("may be changed by owners and admins only", async () => {
    await expect(setCustomerLifespanMonths(await a.ctx("manager"), { customerLifespanMonths: 6 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setCustomerLifespanMonths(await a.ctx("rep"), { customerLifespanMonths: 6 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await customerLifespanMonths(await owner())).toBe(30);
  });
});
