/**
 * PostgreSQL restarted hard (pg_ctl stop -m immediate: every connection dropped mid-transaction, no shutdown
 * checkpoint) while 20 concurrent clients keep moving deals. Each request must either succeed or fail with a
 * connection error (no hang, no other error), the app must recover when the server is back, and afterwards every
 * deal's stage must equal its last history event, with no half-written move (history row without its domain
 * event or the reverse) — whatever was in flight was rolled back as a whole or committed as a whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { stages } from "@/db/schema";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import { createDeal, moveDeal } from "@/lib/deals/commands";
import { createDealSchema, moveDealSchema } from "@/lib/deals/schema";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { findPgBin, PG_MISSING, startThrowawayPg, type ThrowawayPg } from "./helpers/pg";
import { openPg } from "./helpers/db";
import { historyProblems } from "./helpers/history";
import { record } from "./helpers/figures";

const bin = findPgBin();
if (!bin) console.warn(`[chaos] pg-restart skipped: ${PG_MISSING}`);

const CLIENTS = 20;
const DEALS = 10;
const RUN_MS = 9_000;
const RESTART_AT_MS = 3_000;
const CALL_TIMEOUT_MS = 20_000;

/** Errors that mean "the database went away", which a request may answer with during a restart. */
function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code ?? "";
  const text = `${e.message ?? ""} ${e.cause?.message ?? ""}`;
  return (
    ["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "57P01", "57P02", "57P03", "08006", "08003", "08001"].includes(code) ||
    /ECONNREFUSED|ECONNRESET|connection|terminating|shutting down|starting up|recovery/i.test(text)
  );
}

describe.skipIf(!bin)("PostgreSQL restart under concurrent deal moves", () => {
  let pg: ThrowawayPg;
  let conn: { db: Db; close: () => Promise<void> };
  let ws: WorkspaceFixture;
  let stageIds: string[];
  let dealIds: string[];

  beforeAll(async () => {
    pg = await startThrowawayPg(bin!);
    conn = await openPg(pg.url, { max: CLIENTS + 5, migrate: true });
    ws = await createWorkspaceFixture(conn.db, "Restart");
    const list = await conn.db.select().from(stages).where(eq(stages.workspaceId, ws.workspaceId)).orderBy(stages.position);
    const pipelineId = list[0]!.pipelineId;
    stageIds = list.filter((s) => s.pipelineId === pipelineId).map((s) => s.id);
    const ctx = await ws.ctx("owner");
    dealIds = [];
    for (let i = 0; i < DEALS; i++) dealIds.push((await createDeal(ctx, createDealSchema.parse({ title: `Deal ${i}`, value: "10", pipelineId, stageId: stageIds[0] }) as never)).id);
  });
  afterAll(async () => {
    await conn?.close();
    await pg?.stop();
  });

  it("requests fail cleanly or succeed; afterwards every deal matches its history and nothing is half-written", async () => {
    const started = Date.now();
    let restartedAt = 0;
    const outcome = { ok: 0, changed: 0, connectionErrors: 0, okAfterRestart: 0, other: [] as string[] };
    const withTimeout = <T>(p: Promise<T>) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`request hung for ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS))]);

    const client = async (c: number) => {
      let i = 0;
      while (Date.now() - started < RUN_MS) {
        i++;
        try {
          // A request: authorize the member (reads the database), then move.
          const ctx = await withTimeout(ws.ctx(c % 3 === 0 ? "manager" : "owner"));
          const r = await withTimeout(moveDeal(ctx, moveDealSchema.parse({ dealId: dealIds[(c + i) % DEALS], toStageId: stageIds[(c * 7 + i) % stageIds.length] })));
          outcome.ok++;
          if (r.stageChanged) outcome.changed++;
          if (restartedAt && Date.now() > restartedAt) outcome.okAfterRestart++;
        } catch (error) {
          if (isConnectionError(error)) {
            outcome.connectionErrors++;
            await new Promise((r) => setTimeout(r, 50));
          } else outcome.other.push(String((error as Error)?.stack ?? error).slice(0, 400));
        }
      }
    };
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, RESTART_AT_MS));
      await pg.restart(1_000);
      restartedAt = Date.now();
    })();
    await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => client(c)), restart]);

    expect(restartedAt, "the restart happened").toBeGreaterThan(0);
    expect(outcome.other, "errors other than a lost connection").toEqual([]);
    expect(outcome.okAfterRestart, "the app recovered once the server was back").toBeGreaterThan(0);

    const problems = await historyProblems(conn.db, ws.workspaceId);
    expect(problems).toEqual([]);
    const [events] = rows<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from deal_events where workspace_id = ${ws.workspaceId} and type = 'stage_changed'`));
    // Every acknowledged move is there; a move whose commit was in flight when the server died may or may not be.
    expect(events!.n).toBeGreaterThanOrEqual(outcome.changed);
    expect(events!.n).toBeLessThanOrEqual(outcome.changed + outcome.connectionErrors);
    record("pgRestart", { clients: CLIENTS, runMs: RUN_MS, ok: outcome.ok, connectionErrors: outcome.connectionErrors, okAfterRestart: outcome.okAfterRestart, historyEvents: events!.n, acknowledgedMoves: outcome.changed });
    console.info(`[chaos] PostgreSQL restart: ${outcome.ok} moves ok (${outcome.okAfterRestart} after the restart), ${outcome.connectionErrors} refused by the lost connection, ${events!.n} stage events for ${outcome.changed} acknowledged moves`);
  });
});
