/**
 * SIGKILL of the web server itself (`next start` of the production build) in the middle of traffic that writes:
 * clients move deals (the board's server action over HTTP, as the browser posts it) and create deals through the
 * REST API while the in-process tick runs the jobs those moves enqueue. The server is then started again on the
 * same data — the embedded PGlite directory on disk (its recovery after a kill), and, when PostgreSQL binaries
 * exist, a throw-away PostgreSQL — and must:
 * - come back and answer (sign-in page, the board, the API);
 * - hold no half-written change: every deal's stage is the one its history ends in, each move's history row
 *   has its domain event (tests/chaos/helpers/history.ts);
 * - hold every acknowledged write (a move answered ok is the deal's stage unless a later unanswered move of
 *   that deal may have landed; a 201 create is there once) and nothing that was answered with an error;
 * - run the queued jobs: every job that was due and not held by the dead server is done after the restart,
 *   and those the dead server held are released by their lease (DEFAULT_LEASE_MS after its last renewal; the
 *   full run waits for them to be done).
 * CHAOS_DIST_DIR picks the build (default .next-chaos, built when missing; CI passes .next). CHAOS_QUICK=1: PGlite
 * and PostgreSQL about a minute each.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";
import { BENCH_EMAIL, BENCH_PASSWORD, generateDataset, type Dataset } from "@/bench/generate";
import { actionResult, AppClient, readActionIds } from "@/bench/lib/app";
import { openBenchDb } from "@/bench/lib/db";
import { signIn, startServer, type Server } from "@/bench/lib/server";
import { DEFAULT_LEASE_MS } from "@/lib/jobs/claim";
import { hashApiToken, newApiToken, tokenPrefix } from "@/lib/api-keys/token";
import { ensureBuild } from "./helpers/build";
import { findPgBin, PG_MISSING, startThrowawayPg, type ThrowawayPg } from "./helpers/pg";
import { record } from "./helpers/figures";

const root = path.resolve(import.meta.dirname, "../..");
const QUICK = process.env.CHAOS_QUICK === "1";
const DIST = process.env.CHAOS_DIST_DIR ?? ".next-chaos";
/** Traffic before the kill, at least (the kill lands while requests are in flight). */
const KILL_AFTER_MS = QUICK ? 6_000 : 20_000;
const MOVERS = 4;
const CREATORS = 2;
const DEAL_ACTIONS = "app/w/[workspace]/deals/_actions/deal-actions.ts";

type Target = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };
type Outcome = "ok" | "error" | "unknown";
type Move = { dealId: string; toStageId: string; outcome: Outcome; answer?: string };
type Create = { title: string; outcome: Outcome; id?: string; answer?: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILL of a process and everything under it (from /proc). */
function killTree(pid: number) {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const all: number[] = [];
  const visit = (p: number) => {
    all.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  for (const p of all) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function waitForExit(pid: number) {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(25);
  }
  throw new Error(`process ${pid} still alive after SIGKILL`);
}

const bin = findPgBin();
if (!bin) console.warn(`[chaos] server-kill on PostgreSQL skipped: ${PG_MISSING}`);

describe.each([
  { name: "PGlite (embedded, on disk)", kind: "pglite" as const, skip: false },
  { name: "PostgreSQL", kind: "postgres" as const, skip: !bin },
])("SIGKILL of next start mid-traffic — $name", ({ kind, skip }) => {
  let pg: ThrowawayPg | null = null;
  let tmp: string;
  let target: Target;
  let data: Dataset;
  let deals: { id: string; stageId: string }[];
  let token: string;
  let before = { events: 0, domain: 0, jobs: 0 };
  let server: Server | null = null;
  const authSecret = randomBytes(24).toString("hex");

  const env = (): Record<string, string> => {
    const e: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !["DATABASE_URL", "SMTP_URL", "PGLITE_DIR", "NODE_OPTIONS", "VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID", "CRON_SECRET"].includes(k)) e[k] = v;
    return {
      ...e,
      // The same secret both times: sessions signed before the kill stay valid after it.
      AUTH_SECRET: authSecret,
      PIPEWISE_INPROCESS_TICK: "1",
      PIPEWISE_DEMO: "0",
      API_RATE_LIMIT_PER_MINUTE: "1000000",
      ...(target.kind === "pglite" ? { PGLITE_DIR: target.dir } : { DATABASE_URL: target.url }),
    };
  };

  /** The database directly, while no server holds it (PGlite allows one process). */
  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const bench = await openBenchDb(target);
    try {
      return await fn(bench.db);
    } finally {
      await bench.close();
    }
  }

  beforeAll(async () => {
    if (skip) return;
    ensureBuild(root, DIST);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-chaos-server-kill-"));
    if (kind === "postgres") pg = await startThrowawayPg(bin!);
    target = pg ? { kind: "postgres", url: pg.url } : { kind: "pglite", dir: path.join(tmp, "pglite") };
    await withDb(async (db) => {
      data = await generateDataset(db, { seed: "pipewise-chaos-kill", boardSizes: [200], bigDeals: 200, bigContacts: 100, bigCompanies: 10, users: 2 });
      const pipeline = data.board.pipelines[0]!;
      deals = rows<{ id: string; stage_id: string }>(await db.execute(sql`select id, stage_id from deals where pipeline_id = ${pipeline.id} and status = 'open' order by id`)).map((r) => ({ id: r.id, stageId: r.stage_id }));
      const [ids] = rows<{ events: number; domain: number; jobs: number }>(
        await db.execute(sql`select coalesce((select max(id) from deal_events), 0)::int8 as events, coalesce((select max(id) from domain_events), 0)::int8 as domain, coalesce((select max(id) from jobs), 0)::int8 as jobs`),
      );
      before = { events: Number(ids!.events), domain: Number(ids!.domain), jobs: Number(ids!.jobs) };
      token = newApiToken();
      await db.insert(apiKeys).values({ workspaceId: data.board.workspaceId, name: "chaos", prefix: tokenPrefix(token), tokenHash: hashApiToken(token), createdBy: data.ownerId, createdByRole: "owner", createdAt: new Date() });
    });
  });
  afterAll(async () => {
    await server?.stop();
    await pg?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.skipIf(skip)("comes back on the same data with every acknowledged write, nothing refused, nothing half-written, and its jobs run", async () => {
    const pipeline = data.board.pipelines[0]!;
    const boardPath = `/w/${data.board.slug}/pipelines/${pipeline.id}`;
    server = await startServer(root, DIST, env());
    const first = server;
    const cookie = await signIn(first.base, BENCH_EMAIL, BENCH_PASSWORD);
    const app = new AppClient(first.base, cookie, "", readActionIds(root, DIST));
    const moveId = app.actionId(DEAL_ACTIONS, "moveDealAction");

    const moves: Move[] = [];
    const creates: Create[] = [];
    let killed = false;
    // Each mover owns its own deals (no two clients move one deal) and moves them one request at a time, so the
    // order of a deal's moves is the order they were sent; once a request goes unanswered the server is gone.
    const mover = async (c: number) => {
      const own = deals.filter((_, i) => i % MOVERS === c);
      const stageOf = new Map(own.map((d) => [d.id, d.stageId]));
      for (let n = 0; !killed; n++) {
        const deal = own[(n * 7) % own.length]!;
        const stages = pipeline.stageIds.filter((s) => s !== stageOf.get(deal.id));
        const move: Move = { dealId: deal.id, toStageId: stages[(n + c) % stages.length]!, outcome: "unknown" };
        moves.push(move);
        try {
          const r = await app.action(boardPath, moveId, [data.board.slug, undefined, { dealId: move.dealId, toStageId: move.toStageId }]);
          move.outcome = r.status === 200 && actionResult(r.body)?.ok === true ? "ok" : "error";
          if (move.outcome === "error") move.answer = `${r.status} ${r.body.slice(0, 300)}`;
        } catch {
          return; // no answer: the server died with this request in flight
        }
        if (move.outcome === "ok") stageOf.set(deal.id, move.toStageId);
      }
    };
    const creator = async (c: number) => {
      for (let n = 0; !killed; n++) {
        const create: Create = { title: `kill-test ${c}-${n}`, outcome: "unknown" };
        creates.push(create);
        try {
          const response = await fetch(`${first.base}/api/v1/deals`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ title: create.title, pipelineId: pipeline.id, stageId: pipeline.stageIds[0] }),
          });
          const text = await response.text();
          const body = (() => {
            try {
              return JSON.parse(text) as { id?: string };
            } catch {
              return null;
            }
          })();
          create.outcome = response.status === 201 && body?.id ? "ok" : "error";
          if (create.outcome === "error") create.answer = `${response.status} ${text.slice(0, 300)}`;
          if (create.outcome === "ok") create.id = body!.id;
        } catch {
          return;
        }
      }
    };
    const traffic = Promise.all([...Array.from({ length: MOVERS }, (_, c) => mover(c)), ...Array.from({ length: CREATORS }, (_, c) => creator(c))]);
    // The kill comes once the traffic has run KILL_AFTER_MS and enough writes were acknowledged to prove
    // something (the first requests load the route modules, which takes seconds on a busy machine), at most
    // after 90 s.
    const trafficStarted = Date.now();
    const enough = () => moves.filter((m) => m.outcome === "ok").length >= 20 && creates.filter((c) => c.outcome === "ok").length >= 8;
    while (!(enough() && Date.now() - trafficStarted >= KILL_AFTER_MS) && Date.now() - trafficStarted < 90_000) await sleep(50);
    const killedAt = Date.now();
    killed = true;
    killTree(first.pid);
    await waitForExit(first.pid);
    await traffic;
    await first.stop(); // stops its RSS sampler; the process is already gone
    if (process.env.CHAOS_SERVER_LOG) fs.writeFileSync(`${process.env.CHAOS_SERVER_LOG}-${kind}.log`, first.log());

    // The same data, a new process.
    const restartStarted = performance.now();
    server = await startServer(root, DIST, env());
    const restartMs = performance.now() - restartStarted;
    const second = server;
    expect((await fetch(`${second.base}/login`)).status).toBe(200);
    const cookieAgain = await signIn(second.base, BENCH_EMAIL, BENCH_PASSWORD);
    const board = await fetch(`${second.base}${boardPath}`, { headers: { cookie: cookieAgain } });
    expect(board.status).toBe(200);
    await board.arrayBuffer();
    const api = await fetch(`${second.base}/api/v1/deals?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    await api.arrayBuffer();
    // A session signed before the kill still works (same secret, nothing lost about the user).
    const old = await fetch(`${second.base}${boardPath}`, { headers: { cookie }, redirect: "manual" });
    expect(old.status).toBe(200);
    await old.arrayBuffer();

    // Let the in-process tick (every 5 s) run what the moves queued — and, in the full run, what the dead
    // server held, once its lease has run out. PostgreSQL can be read while the server runs: wait until nothing
    // due before the kill is left unrun but what the dead server still holds (a loaded machine runs the ~1,200
    // queued events slower), at most a minute more. PGlite allows one process, so there the wait is fixed.
    const settled = Date.now() + (QUICK ? 12_000 : Math.max(12_000, killedAt + DEFAULT_LEASE_MS + 15_000 - Date.now()));
    if (kind === "postgres") {
      const dueLeft = () =>
        withDb(async (db) => {
          const [left] = rows<{ n: number }>(
            await db.execute(sql`select count(*)::int as n from jobs where id > ${before.jobs} and run_at <= ${new Date(killedAt).toISOString()}::timestamptz
              and done_at is null and not coalesce(locked_until > now() and locked_until <= ${new Date(killedAt + DEFAULT_LEASE_MS + 1_000).toISOString()}::timestamptz, false)`),
          );
          return left!.n;
        });
      if (!QUICK) await sleep(Math.max(0, killedAt + DEFAULT_LEASE_MS + 1_000 - Date.now())); // the dead server's lease first
      while ((await dueLeft()) > 0 && Date.now() < settled + 60_000) await sleep(1_000);
    } else {
      await sleep(Math.max(0, settled - Date.now()));
    }
    await second.stop(); // SIGTERM: the embedded database is released for the checks below
    server = null;

    const accepted = creates.filter((c) => c.outcome === "ok");
    const refused = creates.filter((c) => c.outcome === "error");
    const inFlight = creates.filter((c) => c.outcome === "unknown");
    const okMoves = moves.filter((m) => m.outcome === "ok");
    const refusedMoves = moves.filter((m) => m.outcome === "error");
    const checks = await withDb(async (db) => {
      // Every deal of the workspace (the generated ones, the moved ones, the created ones) is in the stage its
      // last history event says; every move and create of the run wrote its domain event with its history row.
      const misplaced = rows<{ id: string }>(
        await db.execute(sql`select d.id from deals d where d.workspace_id = ${data.board.workspaceId} and d.stage_id is distinct from
          (select e.to_stage_id from deal_events e where e.deal_id = d.id and e.to_stage_id is not null order by e.id desc limit 1)`),
      );
      const unmatched = rows<{ deal_id: string; type: string; history: number; domain: number }>(
        await db.execute(sql`with h as (select deal_id, type::text as type, count(*)::int as n from deal_events where id > ${before.events} and type in ('stage_changed', 'created') group by 1, 2),
            d as (select subject_id as deal_id, case type when 'deal.stage_changed' then 'stage_changed' else 'created' end as type, count(*)::int as n
                  from domain_events where id > ${before.domain} and type in ('deal.stage_changed', 'deal.created') group by 1, 2)
          select coalesce(h.deal_id, d.deal_id) as deal_id, coalesce(h.type, d.type) as type, coalesce(h.n, 0) as history, coalesce(d.n, 0) as domain
          from h full join d on d.deal_id = h.deal_id and d.type = h.type where coalesce(h.n, 0) <> coalesce(d.n, 0)`),
      );
      const problems = [...misplaced.map((m) => ({ dealId: m.id, problem: "stage differs from its last history event" })), ...unmatched.map((u) => ({ dealId: u.deal_id, problem: `${u.history} ${u.type} history rows, ${u.domain} domain events` }))];
      const titles = rows<{ id: string; title: string }>(await db.execute(sql`select id, title from deals where workspace_id = ${data.board.workspaceId} and title like 'kill-test %'`));
      const current = new Map(rows<{ id: string; stage_id: string }>(await db.execute(sql`select id, stage_id from deals where pipeline_id = ${pipeline.id}`)).map((r) => [r.id, r.stage_id]));
      const events = new Map(
        rows<{ deal_id: string; n: number }>(await db.execute(sql`select deal_id, count(*)::int as n from deal_events where id > ${before.events} and type = 'stage_changed' group by deal_id`)).map((r) => [r.deal_id, r.n]),
      );
      const jobs = rows<{ id: number; kind: string; due: boolean; done: boolean; held_until: string | null }>(
        await db.execute(sql`select id::int8 as id, kind, run_at <= ${new Date(killedAt).toISOString()}::timestamptz as due, done_at is not null as done, locked_until::text as held_until from jobs where id > ${before.jobs}`),
      );
      return { problems, titles, current, events, jobs };
    });

    const figures = {
      database: kind,
      trafficBeforeKillMs: killedAt - trafficStarted,
      moves: { ok: okMoves.length, refused: refusedMoves.length, unanswered: moves.length - okMoves.length - refusedMoves.length },
      creates: { ok: accepted.length, refused: refused.length, unanswered: inFlight.length, unansweredThatLanded: inFlight.filter((c) => checks.titles.some((t) => t.title === c.title)).length },
      jobs: { created: checks.jobs.length, dueAtKill: checks.jobs.filter((j) => j.due).length, notDone: checks.jobs.filter((j) => j.due && !j.done).length },
      restartMs: Math.round(restartMs),
      firstRequestAfterReadyMs: Math.round(second.firstRequestMs),
    };
    console.info(`[chaos] server-kill ${kind}: ${JSON.stringify(figures)}`);
    record(`server-kill-${kind}`, figures);
    console.info(`[chaos] server-kill ${kind}: refused moves ${JSON.stringify(moves.filter((m) => m.outcome === "error").slice(0, 3))}; refused creates ${JSON.stringify(creates.filter((c) => c.outcome === "error").slice(0, 3))}`);
    // Nothing half-written.
    expect(checks.problems).toEqual([]);
    // Creates: every 201 is there once, with its id; nothing answered with an error is; an unanswered one at most once.
    const byTitle = new Map<string, string[]>();
    for (const r of checks.titles) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), r.id]);
    for (const c of accepted) expect(byTitle.get(c.title), c.title).toEqual([c.id]);
    for (const c of refused) expect(byTitle.get(c.title), c.title).toBeUndefined();
    for (const c of inFlight) expect((byTitle.get(c.title) ?? []).length, c.title).toBeLessThanOrEqual(1);
    expect(checks.titles.length).toBeLessThanOrEqual(accepted.length + inFlight.length);
    // Moves: per deal, the stage is the last acknowledged move's target — or the unanswered last move's, which
    // may or may not have committed; one history row per acknowledged move (plus at most the unanswered one).
    const byDeal = new Map<string, Move[]>();
    for (const m of moves) byDeal.set(m.dealId, [...(byDeal.get(m.dealId) ?? []), m]);
    for (const [dealId, list] of byDeal) {
      const ok = list.filter((m) => m.outcome === "ok");
      const unknown = list.filter((m) => m.outcome === "unknown");
      const start = deals.find((d) => d.id === dealId)!.stageId;
      const allowed = new Set([ok.at(-1)?.toStageId ?? start, ...unknown.map((m) => m.toStageId)]);
      expect(allowed.has(checks.current.get(dealId)!), `deal ${dealId}`).toBe(true);
      const n = checks.events.get(dealId) ?? 0;
      expect(n, `stage events of deal ${dealId}`).toBeGreaterThanOrEqual(ok.length);
      expect(n, `stage events of deal ${dealId}`).toBeLessThanOrEqual(ok.length + unknown.length);
    }
    // Jobs: everything due before the kill ran after the restart, unless the dead server held it — then its
    // lease runs out at most DEFAULT_LEASE_MS after the kill (and in the full run it has been taken over and run).
    const leftover = checks.jobs.filter((j) => j.due && !j.done);
    const heldByDead = leftover.filter((j) => j.held_until && new Date(j.held_until).getTime() > Date.now());
    expect(leftover.filter((j) => !heldByDead.includes(j)), "due jobs not run after the restart").toEqual([]);
    for (const j of heldByDead) expect(new Date(j.held_until!).getTime()).toBeLessThanOrEqual(killedAt + DEFAULT_LEASE_MS + 1_000);
    if (!QUICK) expect(heldByDead).toEqual([]);

    // The run must have done something on both sides of the kill to prove anything.
    expect(okMoves.length).toBeGreaterThanOrEqual(20);
    expect(accepted.length).toBeGreaterThanOrEqual(8);
    expect(checks.jobs.filter((j) => j.kind === "dispatch-event" && j.done).length).toBeGreaterThan(0);

  });
});
