/**
 * An import killed halfway: the bench's import child (bench/children/import.ts: stage the XLSX, map, check,
 * run — the app's own import path) is started on PostgreSQL and SIGKILLed while the run job reports progress.
 * Nothing of it may remain (no company, contact, deal or history row), and running the import again imports
 * every row exactly once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import { findPgBin, PG_MISSING, startThrowawayPg, type ThrowawayPg } from "./helpers/pg";
import { openPg } from "./helpers/db";
import { runChildToEnd, startChild } from "./helpers/child";
import { record } from "./helpers/figures";

const bin = findPgBin();
if (!bin) console.warn(`[chaos] import-kill skipped: ${PG_MISSING}`);

const N = 6_000;
const IMPORT_CHILD = "bench/children/import.ts";

describe.skipIf(!bin)("an import killed halfway", () => {
  let pg: ThrowawayPg;
  let conn: { db: Db; close: () => Promise<void> };
  let tmp: string;

  beforeAll(async () => {
    pg = await startThrowawayPg(bin!);
    conn = await openPg(pg.url, { max: 4, migrate: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-chaos-import-"));
  });
  afterAll(async () => {
    await conn?.close();
    await pg?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function countsOf(workspaceId: string) {
    const [r] = rows<{ deals: number; contacts: number; companies: number; events: number }>(
      await conn.db.execute(sql`select
        (select count(*)::int from deals where workspace_id = ${workspaceId}) as deals,
        (select count(*)::int from contacts where workspace_id = ${workspaceId}) as contacts,
        (select count(*)::int from companies where workspace_id = ${workspaceId}) as companies,
        (select count(*)::int from deal_events where workspace_id = ${workspaceId}) as events`),
    );
    return r!;
  }

  it("leaves nothing behind, and running it again imports every row once", async () => {
    const file = path.join(tmp, "deals.xlsx");
    const target = JSON.stringify({ kind: "postgres", url: pg.url });
    await runChildToEnd(IMPORT_CHILD, ["make", file, String(N)]);
    const prepared = await runChildToEnd<{ userId: string; slug: string }>(IMPORT_CHILD, ["prepare", target]);
    const [ws] = rows<{ id: string }>(await conn.db.execute(sql`select id from workspaces where slug = ${prepared.slug}`));
    const workspaceId = ws!.id;

    const run = startChild(IMPORT_CHILD, ["import", file, target, JSON.stringify(prepared)]);
    let progressAtKill = 0;
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (run.child.exitCode !== null) throw new Error(`the import ended before it could be killed (${run.child.exitCode}):\n${run.stderr()}`);
      if (Date.now() > deadline) throw new Error("the import never reported progress");
      const [imp] = rows<{ status: string; processed_rows: number }>(await conn.db.execute(sql`select status::text as status, processed_rows from imports where workspace_id = ${workspaceId} order by created_at desc limit 1`));
      if (imp?.status === "importing" && imp.processed_rows > 0 && imp.processed_rows < N) {
        progressAtKill = imp.processed_rows;
        run.child.kill("SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await run.exited).signal).toBe("SIGKILL");
    // The server notices the dead client and rolls its transaction back.
    let after = await countsOf(workspaceId);
    for (let i = 0; i < 100 && (after.deals || after.contacts || after.companies || after.events); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await countsOf(workspaceId);
    }
    expect(after, `killed at ${progressAtKill} of ${N} rows`).toEqual({ deals: 0, contacts: 0, companies: 0, events: 0 });

    const again = await runChildToEnd<{ rows: number }>(IMPORT_CHILD, ["import", file, target, JSON.stringify(prepared)]);
    expect(again.rows).toBe(N);
    const final = await countsOf(workspaceId);
    // The generated file names 10,000 people at most (row i → person i % 10,000) and 2,000 companies.
    expect(final.deals).toBe(N);
    expect(final.contacts).toBe(Math.min(N, 10_000));
    expect(final.companies).toBe(Math.min(N, 2_000));
    const [dupes] = rows<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from (select title from deals where workspace_id = ${workspaceId} group by title having count(*) > 1) d`));
    expect(dupes!.n).toBe(0);
    record("importKill", { rows: N, killedAtRows: progressAtKill, leftAfterKill: after, reimported: final.deals });
    console.info(`[chaos] import killed at ${progressAtKill}/${N} rows: nothing left; re-run imported ${final.deals} deals, ${final.contacts} contacts, ${final.companies} companies once`);
  });
});
