import autocannon from "autocannon";
import { chromium } from "playwright-core";
import type { Dataset } from "../generate";
import { actionResult, type AppClient } from "../lib/app";
import { row, type Row } from "../lib/results";
import type { Server } from "../lib/server";
import { median, rng, summarize } from "../lib/stats";

/** Scenarios that run against the `next start` server: the board, moving deals, search, custom-field filter. */

export type WebOptions = { quick: boolean; label: string; log: (message: string) => void };

const DEAL_ACTIONS = "app/w/[workspace]/deals/_actions/deal-actions.ts";
const SEARCH_ACTIONS = "app/w/[workspace]/search/actions.ts";

async function sequential<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

/** DOM element count of a page as Chromium builds it (signed in with the same cookie). */
async function domNodes(base: string, cookie: string, paths: string[]): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const url = new URL(base);
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const eq = pair.indexOf("=");
        return { name: pair.slice(0, eq), value: pair.slice(eq + 1), domain: url.hostname, path: "/" };
      }),
    );
    const page = await context.newPage();
    const counts: number[] = [];
    for (const p of paths) {
      await page.goto(`${base}${p}`, { waitUntil: "load" });
      await page.waitForLoadState("networkidle").catch(() => {});
      counts.push(await page.evaluate(() => document.getElementsByTagName("*").length));
    }
    return counts;
  } finally {
    await browser.close();
  }
}

/** A page scenario: server time over `n` sequential requests vs its own captured SQL replayed bare. */
async function pageVsFloor(app: AppClient, name: string, pathname: string, n: number) {
  for (let i = 0; i < 3; i++) await app.page(pathname); // warm: compile caches, plans
  const statements = await app.capture(name, async () => {
    const r = await app.page(pathname);
    if (r.status !== 200) throw new Error(`${pathname} answered ${r.status}`);
  });
  const runs = await sequential(n, () => app.page(pathname));
  const bad = runs.filter((r) => r.status !== 200).length;
  if (bad) throw new Error(`${pathname}: ${bad} of ${n} requests failed`);
  const floor = await app.replay(name, n);
  return { statements, server: summarize(runs.map((r) => r.ms)), floor: median(floor)!, html: runs[0]!.body };
}

export async function boardScenario(app: AppClient, server: Server, data: Dataset, o: WebOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const n = o.quick ? 10 : 60;
  const paths = data.board.pipelines.map((p) => `/w/${data.board.slug}/pipelines/${p.id}`);
  const queries: number[] = [];
  // Issue #11 sets the server-time target (≤ 2× the page's own SQL) for the 10,000-deal board; the smaller boards'
  // ratios are printed for the trend, without a target: their SQL (~5 ms) is less than Next.js's own cost of
  // rendering any page here, so a ratio bound says nothing about our code there (docs/performance.md).
  const targetSize = Math.max(...data.board.pipelines.map((p) => p.size));
  for (const [i, p] of data.board.pipelines.entries()) {
    const size = p.size.toLocaleString("en-US");
    const r = await pageVsFloor(app, `board-${p.size}`, paths[i]!, n);
    queries.push(r.statements.length);
    o.log(`[board ${size}] server p50 ${r.server.median?.toFixed(1)} ms, floor ${r.floor.toFixed(1)} ms, ${r.statements.length} statements, HTML ${(r.html.length / 1024).toFixed(1)} KB`);
    const target = p.size === targetSize;
    rows.push(
      row({
        name: `board, ${size} open deals: server time${target ? "" : " (trend; the target is at the largest board)"}${o.label}`,
        median_ms: r.server.median,
        p95_ms: r.server.p95,
        p99_ms: r.server.p99,
        floor_ms: r.floor,
        ratio: r.server.median! / r.floor,
        target_ratio: target ? 2 : null,
        met: target ? r.server.median! / r.floor <= 2 : null,
        peak_rss_mb: server.peakRssMb(),
      }),
    );
    const kb = Buffer.byteLength(r.html) / 1024;
    rows.push(row({ name: `board, ${size} open deals: HTML ${kb.toFixed(1)} KB (limit 60 KB)${o.label}`, ratio: kb / 60, target_ratio: 1, target_text: "≤ 60 KB", met: kb <= 60 }));
  }
  const nodes = await domNodes(server.base, app.cookie, paths);
  for (const [i, p] of data.board.pipelines.entries()) {
    rows.push(row({ name: `board, ${p.size.toLocaleString("en-US")} open deals: ${nodes[i]} DOM nodes (limit 1,400)${o.label}`, ratio: nodes[i]! / 1400, target_ratio: 1, target_text: "≤ 1,400", met: nodes[i]! <= 1400 }));
  }
  rows.push(
    row({
      name: `board: SQL statements per render at ${data.board.pipelines.map((p) => p.size.toLocaleString("en-US")).join(" / ")} deals = ${queries.join(" / ")} (no query per card)${o.label}`,
      target_text: "constant",
      met: queries.every((q) => q === queries[0]),
    }),
  );

  // "Show more" in a column: the next page of cards through the server action the board calls.
  const big = data.board.pipelines[data.board.pipelines.length - 1]!;
  const more = await app.action(paths[paths.length - 1]!, app.actionId(DEAL_ACTIONS, "loadMoreCardsAction"), [data.board.slug, undefined, { stageId: big.stageIds[0], offset: 50, filters: {} }]);
  const result = actionResult(more.body) as { ok?: boolean; data?: unknown[] } | null;
  const cards = Array.isArray(result?.data) ? result.data.length : -1;
  rows.push(row({ name: `board: "show more" returns ${cards} cards per fetch (limit 50)${o.label}`, median_ms: more.ms, target_text: "≤ 50", met: result?.ok === true && cards > 0 && cards <= 50 }));
  return rows;
}

type Move = { dealId: string; toStageId: string };

/** Each client moves its own deals (no two clients move one deal at once) round the 6 stages. */
function moveGenerator(deals: { id: string; stageId: string }[], stageIds: string[], clients: number, seed: number) {
  const rand = rng(seed);
  const shuffled = [...deals].sort(() => rand() - 0.5);
  const current = new Map(shuffled.map((d) => [d.id, d.stageId]));
  const cursors = Array.from({ length: clients }, (_, c) => c);
  return (client: number): Move => {
    const dealId = shuffled[cursors[client]! % shuffled.length]!.id;
    cursors[client]! += clients;
    const from = stageIds.indexOf(current.get(dealId)!);
    const toStageId = stageIds[(from + 1 + Math.floor(rand() * (stageIds.length - 1))) % stageIds.length]!;
    current.set(dealId, toStageId);
    return { dealId, toStageId };
  };
}

async function cannon(opts: { url: string; connections: number; amount: number; build: (client: number) => { body: string; headers: Record<string, string> }; ok: (status: number, body: string) => boolean }) {
  let errors = 0;
  let next = 0;
  const started = performance.now();
  let lastAt = started;
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    // A fixed number of requests rather than a duration: the run ends when every response is in, so nothing
    // still queued in the server spills into the next measurement.
    amount: opts.amount,
    timeout: 60,
    method: "POST",
    requests: [
      {
        setupRequest: (request) => {
          const { body, headers } = opts.build(next++ % opts.connections);
          return { ...request, method: "POST", body, headers: { ...request.headers, ...headers } };
        },
        onResponse: (status, body) => {
          lastAt = performance.now();
          if (!opts.ok(status, body)) errors++;
        },
      },
    ],
  });
  // Throughput from the first request to the last response, timed here: autocannon's per-second average
  // undercounts short runs, and its run ends on its own 1-second tick, so its duration (and the time until it
  // resolves) comes in whole seconds — 320 moves read as 106/s or 160/s whatever the server did.
  const seconds = (lastAt - started) / 1000;
  return { rps: result.requests.total / seconds, total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, errors: errors + result.errors + result.non2xx + result.timeouts };
}

export async function moveScenario(app: AppClient, server: Server, data: Dataset, deals: { id: string; stageId: string }[], o: WebOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const pipeline = data.board.pipelines[data.board.pipelines.length - 1]!;
  const boardPath = `/w/${data.board.slug}/pipelines/${pipeline.id}`;
  const moveId = app.actionId(DEAL_ACTIONS, "moveDealAction");
  const ok = (status: number, body: string) => status === 200 && actionResult(body)?.ok === true;
  const actionBody = (m: Move) => app.actionRequest(boardPath, moveId, [data.board.slug, undefined, m]);

  // Round trips: every statement one move sends (auth, transaction, page re-render after revalidatePath).
  const one = moveGenerator(deals, pipeline.stageIds, 1, 7);
  for (let i = 0; i < 5; i++) await app.action(boardPath, moveId, [data.board.slug, undefined, one(0)]);
  let captured: Awaited<ReturnType<typeof app.action>> | null = null;
  const statements = await app.capture("move", async () => {
    captured = await app.action(boardPath, moveId, [data.board.slug, undefined, one(0)]);
  });
  if (!captured || !ok((captured as { status: number }).status, (captured as { body: string }).body)) throw new Error(`move action failed: ${(captured as { body?: string } | null)?.body?.slice(0, 300)}`);
  const inTx = statements.filter((s) => s.sql === "BEGIN").length;
  o.log(`[move] ${statements.length} statements per move (${inTx} transaction(s)):\n${statements.map((s) => `    ${s.sql.replace(/\s+/g, " ").slice(0, 140)}`).join("\n")}`);
  rows.push(row({ name: `move a deal: ${statements.length} database round trips per move (limit 3)${o.label}`, ratio: statements.length / 3, target_ratio: 1, target_text: "≤ 3", met: statements.length <= 3 }));

  // 1 client: latency of the action over HTTP, and of the bare route handler doing the same SQL by hand (no action
  // machinery). Both are measured warm: the first requests of a code path in a fresh server run before V8 has
  // optimized it (tens of requests), and a user's move lands on a server that has been serving for hours.
  const n = o.quick ? 30 : 300;
  const warm = o.quick ? 10 : 50;
  let errors = 0;
  const bareUrl = `${server.base}/api/bench/move`;
  const bareHeaders = { authorization: `Bearer ${app.benchSecret}`, "content-type": "application/json", cookie: app.cookie };
  const viaAction = async () => {
    const { url, init } = actionBody(one(0));
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    if (!ok(response.status, body)) errors++;
    return performance.now() - started;
  };
  const viaBareRoute = async () => {
    const started = performance.now();
    const response = await fetch(bareUrl, { method: "POST", headers: bareHeaders, body: JSON.stringify({ slug: data.board.slug, ...one(0) }) });
    if (!response.ok) errors++;
    await response.text();
    return performance.now() - started;
  };
  await sequential(warm, viaAction);
  await sequential(warm, viaBareRoute);
  const times = await sequential(n, viaAction);
  const s = summarize(times);
  const bareTimes = await sequential(n, viaBareRoute);
  const bare = median(bareTimes)!;
  rows.push(
    row({
      name: `move a deal, 1 client: p50 (limit 5 ms)${o.label}`,
      median_ms: s.median,
      p95_ms: s.p95,
      p99_ms: s.p99,
      floor_ms: bare,
      ratio: s.median! / bare,
      target_text: "p50 ≤ 5 ms",
      met: s.median! <= 5,
      peak_rss_mb: server.peakRssMb(),
    }),
  );
  rows.push(row({ name: `move a deal, 1 client: p99 (limit 25 ms)${o.label}`, median_ms: s.p99, p99_ms: s.p99, target_text: "p99 ≤ 25 ms", met: s.p99! <= 25 }));

  // 16 clients: throughput of the action vs the bare route handler.
  const amount = o.quick ? 48 : 320;
  const many = moveGenerator(deals, pipeline.stageIds, 16, 11);
  const action16 = await cannon({
    url: `${server.base}${boardPath}`,
    connections: 16,
    amount,
    build: (c) => {
      const { init } = actionBody(many(c));
      return { body: init.body, headers: init.headers };
    },
    ok,
  });
  await new Promise((r) => setTimeout(r, 1_000));
  const bare16 = await cannon({
    url: bareUrl,
    connections: 16,
    amount,
    build: (c) => ({ body: JSON.stringify({ slug: data.board.slug, ...many(c) }), headers: bareHeaders }),
    ok: (status) => status === 200,
  });
  o.log(`[move] 16 clients: action ${action16.rps.toFixed(0)} moves/s (p50 ${action16.p50} ms), bare route ${bare16.rps.toFixed(0)} moves/s (p50 ${bare16.p50} ms); errors ${action16.errors} / ${bare16.errors}`);
  errors += action16.errors + bare16.errors;
  const tput = action16.rps / bare16.rps;
  rows.push(
    row({
      name: `move a deal, 16 clients: ${action16.rps.toFixed(0)} vs bare route ${bare16.rps.toFixed(0)} moves/s (throughput ratio ≥ 0.7)${o.label}`,
      median_ms: action16.p50,
      p99_ms: action16.p99,
      floor_ms: bare16.p50,
      ratio: tput,
      target_ratio: 0.7,
      target_text: "≥ 0.7× tput",
      met: tput >= 0.7,
      peak_rss_mb: server.peakRssMb(),
    }),
  );
  const check = await app.bench<{ deals: number; mismatched: number; moved_events: number }>("check", {});
  rows.push(
    row({
      name: `move a deal: ${errors} errors; ${check.mismatched} of ${check.deals} deals' stage ≠ last history event${o.label}`,
      target_text: "0 and 0",
      met: errors === 0 && check.mismatched === 0,
    }),
  );
  return rows;
}

export async function searchScenario(app: AppClient, server: Server, data: Dataset, o: WebOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const pagePath = `/w/${data.big.slug}/pipelines/${data.big.pipelineId}`;
  const id = app.actionId(SEARCH_ACTIONS, "globalSearchAction");
  const n = o.quick ? 10 : 60;
  const total = data.counts.big_deals! + (data.spec.bigContacts ?? 0);
  for (const q of ["acme", "zhang", "ol"]) {
    const call = () => app.action(pagePath, id, [data.big.slug, undefined, { q }]);
    for (let i = 0; i < 3; i++) await call();
    await app.capture(`search-${q}`, async () => {
      const r = await call();
      if (actionResult(r.body)?.ok !== true) throw new Error(`search failed: ${r.body.slice(0, 200)}`);
    });
    const s = summarize((await sequential(n, call)).map((r) => r.ms));
    const floor = median(await app.replay(`search-${q}`, n))!;
    rows.push(
      row({
        name: `⌘K search "${q}" over ${total.toLocaleString("en-US")} deals+contacts (limit 100 ms)${o.label}`,
        median_ms: s.median,
        p95_ms: s.p95,
        p99_ms: s.p99,
        floor_ms: floor,
        ratio: s.median! / floor,
        target_text: "≤ 100 ms",
        met: s.median! <= 100,
        peak_rss_mb: server.peakRssMb(),
      }),
    );
  }
  return rows;
}

export async function filterScenario(app: AppClient, server: Server, data: Dataset, o: WebOptions): Promise<Row[]> {
  const n = o.quick ? 10 : 60;
  const tier = data.big.tierOptionIds[2]!;
  const pathname = `/w/${data.big.slug}/deals?cf.tier=${encodeURIComponent(tier)}`;
  const r = await pageVsFloor(app, "filter", pathname, n);
  return [
    row({
      name: `deals list filtered on a custom field, ${data.counts.big_deals!.toLocaleString("en-US")} deals (limit 100 ms)${o.label}`,
      median_ms: r.server.median,
      p95_ms: r.server.p95,
      p99_ms: r.server.p99,
      floor_ms: r.floor,
      ratio: r.server.median! / r.floor,
      target_text: "≤ 100 ms",
      met: r.server.median! <= 100,
      peak_rss_mb: server.peakRssMb(),
    }),
  ];
}

/**
 * Memory: RSS at steady state after the scenarios above, then a soak of mixed traffic (board pages, moves,
 * searches) with RSS sampled; the trend is the least-squares slope over the soak's second half.
 */
export async function memoryScenario(app: AppClient, server: Server, data: Dataset, deals: { id: string; stageId: string }[], o: WebOptions & { soakSeconds: number }): Promise<Row[]> {
  await new Promise((r) => setTimeout(r, 3_000));
  const steady = server.currentRssMb();
  const pipeline = data.board.pipelines[data.board.pipelines.length - 1]!;
  const boardPath = `/w/${data.board.slug}/pipelines/${pipeline.id}`;
  const smallBoard = `/w/${data.board.slug}/pipelines/${data.board.pipelines[0]!.id}`;
  const moveId = app.actionId(DEAL_ACTIONS, "moveDealAction");
  const searchId = app.actionId(SEARCH_ACTIONS, "globalSearchAction");
  const next = moveGenerator(deals, pipeline.stageIds, 4, 23);
  const until = performance.now() + o.soakSeconds * 1000;
  const samples: { x: number; y: number }[] = [];
  const start = performance.now();
  let requests = 0;
  const worker = async (c: number) => {
    while (performance.now() < until) {
      const k = requests++ % 4;
      if (k === 0) await app.page(smallBoard);
      else if (k === 1) await app.action(boardPath, moveId, [data.board.slug, undefined, next(c)]);
      else if (k === 2) await app.action(smallBoard, searchId, [data.board.slug, undefined, { q: ["acme", "wei", "renewal"][c % 3] }]);
      else await app.page(boardPath);
    }
  };
  const sampler = setInterval(() => samples.push({ x: (performance.now() - start) / 60_000, y: server.currentRssMb() }), 1_000);
  await Promise.all([0, 1, 2, 3].map(worker));
  clearInterval(sampler);
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const { slope } = await import("../lib/stats");
  const trend = slope(secondHalf) ?? 0;
  const end = server.currentRssMb();
  o.log(`[memory] steady ${steady.toFixed(0)} MB; soak ${o.soakSeconds} s, ${requests} requests, end ${end.toFixed(0)} MB, trend ${trend.toFixed(1)} MB/min over the second half`);
  return [
    row({ name: `next start RSS at steady state after board + moves: ${steady.toFixed(0)} MB (limit 512 MB)${o.label}`, peak_rss_mb: server.peakRssMb(), ratio: steady / 512, target_ratio: 1, target_text: "≤ 512 MB", met: steady <= 512 }),
    row({
      name: `soak ${o.soakSeconds} s (${requests} mixed requests): RSS ${samples[0]?.y.toFixed(0)} → ${end.toFixed(0)} MB, trend ${trend.toFixed(1)} MB/min${o.label}`,
      peak_rss_mb: server.peakRssMb(),
      target_text: "no growth",
      // "No growth trend": under 1 MB/min over the second half. A soak shorter than 2 minutes (quick mode) is
      // too short to tell a trend from garbage collection: reported, not judged.
      met: o.soakSeconds >= 120 ? trend < 1 : null,
    }),
  ];
}

export async function startupRows(server: Server, o: WebOptions): Promise<Row[]> {
  return [
    row({
      name: `first request after "Ready": ${(server.firstRequestMs / 1000).toFixed(2)} s (limit 3 s; ready in ${(server.readyMs / 1000).toFixed(1)} s)${o.label}`,
      median_ms: server.firstRequestMs,
      target_text: "≤ 3 s",
      met: server.firstRequestMs <= 3000,
      peak_rss_mb: server.peakRssMb(),
    }),
  ];
}
