/**
 * Concurrency on PostgreSQL (a throw-away server of its own): 50 moves of the same deal at once, and 40
 * concurrent edits of the same fields (title, value) mixed with moves. Every call must succeed (moves of one
 * deal serialize on its row lock), the deal must end where its last event says, and the history must be a
 * complete chain — one event per change, each leaving from where the previous one arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { stages } from "@/db/schema";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import { createDeal, moveDeal, moveDealQuick, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, moveDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { findPgBin, PG_MISSING, startThrowawayPg, type ThrowawayPg } from "./helpers/pg";
import { openPg } from "./helpers/db";
import { eventCount, historyProblems } from "./helpers/history";

const bin = findPgBin();
if (!bin) console.warn(`[chaos] deal-concurrency skipped: ${PG_MISSING}`);

describe.skipIf(!bin)("concurrent changes of one deal (PostgreSQL)", () => {
  let pg: ThrowawayPg;
  let conn: { db: Db; close: () => Promise<void> };
  let ws: WorkspaceFixture;
  let stageIds: string[];
  let pipelineId: string;

  beforeAll(async () => {
    pg = await startThrowawayPg(bin!);
    conn = await openPg(pg.url, { max: 60, migrate: true });
    ws = await createWorkspaceFixture(conn.db, "Concurrency");
    const list = await conn.db.select().from(stages).where(eq(stages.workspaceId, ws.workspaceId)).orderBy(stages.position);
    pipelineId = list[0]!.pipelineId;
    stageIds = list.filter((s) => s.pipelineId === pipelineId).map((s) => s.id);
  });
  afterAll(async () => {
    await conn?.close();
    await pg?.stop();
  });

  async function newDeal(title: string) {
    const ctx = await ws.ctx("owner");
    return createDeal(ctx, createDealSchema.parse({ title, value: "100", pipelineId, stageId: stageIds[0] }) as never);
  }

  it("50 concurrent moves of the same deal (the board's one-statement move and the full command, interleaved): all succeed, one event each, the deal is where the last event says", async () => {
    const deal = await newDeal("Contended");
    const ctxs = await Promise.all(Array.from({ length: 50 }, (_, i) => ws.ctx(i % 2 ? "owner" : "manager")));
    const results = await Promise.allSettled(
      ctxs.map((ctx, i) => (i % 3 ? moveDealQuick : moveDeal)(ctx, moveDealSchema.parse({ dealId: deal.id, toStageId: stageIds[(i % (stageIds.length - 1)) + 1] }))),
    );
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed.map((f) => { const r = (f as PromiseRejectedResult).reason as Error & { cause?: Error }; return `${String(r).slice(0, 80)} | ${String(r.cause)}`; })).toEqual([]);
    const changed = results.filter((r) => r.status === "fulfilled" && r.value.stageChanged).length;
    expect(changed).toBeGreaterThan(0);
    expect(await eventCount(conn.db, deal.id, "stage_changed")).toBe(changed);
    expect(await historyProblems(conn.db, ws.workspaceId)).toEqual([]);
    const [v] = rows<{ version: number }>(await conn.db.execute(sql`select version from deals where id = ${deal.id}`));
    expect(v!.version - deal.version).toBe(50); // every move bumped it once, none lost
  });

  it("40 concurrent edits of the same fields, mixed with moves: every change has its event and the chain ends at the deal", async () => {
    const deal = await newDeal("Edited");
    const ctxs = await Promise.all(Array.from({ length: 60 }, () => ws.ctx("owner")));
    const calls = ctxs.map((ctx, i) =>
      i % 3 === 2
        ? moveDeal(ctx, moveDealSchema.parse({ dealId: deal.id, toStageId: stageIds[i % stageIds.length] })).then((r) => ({ kind: "move" as const, changed: r.stageChanged }))
        : updateDeal(ctx, updateDealSchema.parse({ dealId: deal.id, ...(i % 2 ? { title: `Title ${i}` } : { value: String(1000 + i) }) }) as never).then(() => ({ kind: i % 2 ? ("title" as const) : ("value" as const), changed: true })),
    );
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const done = results.map((r) => (r as PromiseFulfilledResult<{ kind: string; changed: boolean }>).value);
    const [titles] = rows<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from deal_events where deal_id = ${deal.id} and type = 'field_changed' and data->>'field' = 'title'`));
    expect(titles!.n).toBe(done.filter((d) => d.kind === "title").length);
    expect(await eventCount(conn.db, deal.id, "value_changed")).toBe(done.filter((d) => d.kind === "value").length);
    expect(await eventCount(conn.db, deal.id, "stage_changed")).toBe(done.filter((d) => d.kind === "move" && d.changed).length);
    expect(await historyProblems(conn.db, ws.workspaceId)).toEqual([]);
    const [stage] = await conn.db.select().from(stages).where(and(eq(stages.workspaceId, ws.workspaceId), eq(stages.pipelineId, pipelineId))).limit(1);
    expect(stage).toBeDefined();
  });
});
