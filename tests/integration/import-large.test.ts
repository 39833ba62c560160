import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, sql } from "drizzle-orm";
import { companies, contacts, dealEvents, deals, importRows, imports, jobs } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { saveMapping, stageUpload, startImport } from "@/lib/imports/commands";
import { importJobHandlers } from "@/lib/imports/jobs";
import { getImport } from "@/lib/imports/queries";
import { runDueJobs } from "@/lib/jobs/runner";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, NOW } from "../helpers/fixtures";
import { csv } from "../fixtures/spreadsheets/flow";

/**
 * 50,000 deals in one file: stored in batches at upload, checked and imported by the job engine (the
 * import-validate and import-run handlers), in one transaction. Asserts correctness, not time; prints the
 * duration and the memory it took (peak RSS of the test process, which includes the embedded database).
 */

const ROWS = 50_000;
const stagesOf = ["Lead in", "Qualified", "Demo", "Proposal", "Negotiation"];
let t: TestDb;
let ctx: Ctx;

function bigFile(): string {
  const rows: (string | number)[][] = [["Title", "Value", "Stage", "Status", "Contact name", "Contact email", "Company", "Created date", "Won/lost date", "Lost reason", "Stage history"]];
  for (let i = 0; i < ROWS; i++) {
    const created = new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const status = i % 10 === 0 ? "Won" : i % 10 === 1 ? "Lost" : "Open";
    const stage = stagesOf[i % 5]!;
    const history = i % 5 === 3 ? `${day(created)} Lead in\n${day(new Date(created.getTime() + 3 * 86_400_000))} ${stage}` : "";
    rows.push([
      `Deal ${i}`,
      `${(i % 1000) * 10}.50`,
      stage,
      status,
      `Person ${i % 10_000}`,
      `person${i % 10_000}@example.test`,
      `Company ${i % 2_000}`,
      day(created),
      status === "Open" ? "" : day(new Date(created.getTime() + 10 * 86_400_000)),
      status === "Lost" ? "Price" : "",
      history,
    ]);
  }
  return csv(rows);
}

beforeAll(async () => {
  t = await createTestDb();
  ctx = await (await createWorkspaceFixture(t.db, "Big")).ctx("owner");
});
afterAll(() => t?.close());

describe("a 50,000-row import", () => {
  it("finishes in the background with every deal and its history, in bounded memory", async () => {
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    // PGlite runs on this thread, so a timer samples rarely during queries; every lap samples too, and the
    // process's max RSS (getrusage) catches the true peak.
    const sampler = setInterval(sample, 50);
    const started = performance.now();
    const lap = (label: string) => (sample(), console.info(`[import 50k] ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MB, process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`));
    lap("before");
    try {
      const bytes = new TextEncoder().encode(bigFile());
      const { id } = await stageUpload(ctx, { kind: "deals", fileName: "big.csv", bytes });
      lap(`staged ${(bytes.byteLength / 2 ** 20).toFixed(1)} MB`);
      const staged = await getImport(ctx, id);
      expect(staged.rowCount).toBe(ROWS);
      expect((await saveMapping(ctx, { importId: id, mapping: staged.mapping, createMissing: true, updateExisting: false, dateFormat: "ymd" })).background).toBe(true);
      const validation = await runDueJobs(t.db, NOW, importJobHandlers, { kinds: ["import-validate"] });
      expect(validation).toMatchObject({ done: 1, dead: 0 });
      lap("checked");
      const preview = await getImport(ctx, id);
      expect(preview).toMatchObject({ status: "ready", errorRows: 0, processedRows: ROWS, summary: { deals: { created: ROWS }, contacts: { created: 10_000 }, companies: { created: 2_000 } } });

      expect((await startImport(ctx, { importId: id, skipInvalid: false })).background).toBe(true);
      // On PostgreSQL the run reports its progress outside its transaction: another connection sees it move.
      // (PGlite has one connection: there the progress shows when the run ends, as the README says.)
      const seen: number[] = [];
      const watcher = process.env.DATABASE_URL
        ? setInterval(() => {
            void t.db
              .select({ n: imports.processedRows })
              .from(imports)
              .where(eq(imports.id, id))
              .then(([r]) => r && seen.push(r.n));
          }, 200)
        : undefined;
      const run = await runDueJobs(t.db, NOW, importJobHandlers, { kinds: ["import-run"] }).finally(() => clearInterval(watcher));
      if (process.env.DATABASE_URL) expect(seen.some((n) => n > 0 && n < ROWS)).toBe(true);
      expect(run).toMatchObject({ done: 1, dead: 0 });
      lap("imported");
      const done = await getImport(ctx, id);
      expect(done).toMatchObject({ status: "completed", processedRows: ROWS, summary: { deals: { created: ROWS } } });

      const n = async (table: typeof deals | typeof contacts | typeof companies) => (await t.db.select({ n: count() }).from(table).where(eq(table.workspaceId, ctx.workspaceId)))[0]!.n;
      expect(await n(deals)).toBe(ROWS);
      expect(await n(contacts)).toBe(10_000);
      expect(await n(companies)).toBe(2_000);
      const events = await t.db
        .select({ type: dealEvents.type, n: count() })
        .from(dealEvents)
        .where(eq(dealEvents.workspaceId, ctx.workspaceId))
        .groupBy(dealEvents.type);
      const byType = Object.fromEntries(events.map((e) => [e.type, e.n]));
      // Rows with a history whose stage is not "Lead in" moved once; 1 in 5 rows has a history, and i % 5 === 3 is "Proposal".
      expect(byType).toEqual({ created: ROWS, won: ROWS / 10, lost: ROWS / 10, stage_changed: ROWS / 5 });
      const [won] = await t.db
        .select({ total: sql<string>`sum(${deals.value})::text`, n: count() })
        .from(deals)
        .where(and(eq(deals.workspaceId, ctx.workspaceId), eq(deals.status, "won")));
      expect(won!.n).toBe(ROWS / 10);
      const i = 49_993; // open, in "Proposal", with a stage history
      const [deal] = await t.db.select().from(deals).where(and(eq(deals.workspaceId, ctx.workspaceId), eq(deals.title, `Deal ${i}`)));
      const created = Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000;
      expect(deal).toMatchObject({ value: 993_050, status: "open", currency: "USD" });
      expect(deal!.createdAt.getTime()).toBe(created);
      expect(deal!.stageEnteredAt.getTime()).toBe(created + 3 * 86_400_000);
      // Staged rows are dropped once imported; the queue is done.
      expect((await t.db.select({ n: count() }).from(importRows).where(eq(importRows.importId, id)))[0]!.n).toBe(0);
      expect((await t.db.select({ n: count() }).from(jobs).where(sql`${jobs.doneAt} is null`))[0]!.n).toBe(0);
    } finally {
      clearInterval(sampler);
      sample();
      lap("done");
    }
    // The JS heap holds batches and name → id maps, never the file's rows all at once.
    expect(peakHeap).toBeLessThan(1024 * 2 ** 20);
  }, 900_000);
});
