/**
 * npm run bench [-- --quick] [--dist .next-bench] [--out bench/results.json] [--only board,move,…] [--soak 600] [--emails 10000]
 *   --only: board, move, filter, search, memory, review, engine, sequences, import (engine, sequences and import
 *           alone skip the dataset, the build and the server)
 *
 * Generates the deterministic dataset, starts the production build (`next start`, its own dist dir and a
 * throw-away PGlite directory — or, when DATABASE_URL is set, also a scratch database on that PostgreSQL server),
 * runs the scenarios of issue #11 beside their floors (the same SQL bare through the same driver, measured in the
 * same run), prints one table and writes bench/results.json. See docs/performance.md.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { rows as resultRows } from "@/db/migrate";
import { BENCH_EMAIL, BENCH_PASSWORD, generateDataset, type Dataset, type DatasetSpec } from "./generate";
import { AppClient, readActionIds } from "./lib/app";
import { createScratchDatabase, openBenchDb } from "./lib/db";
import { formatTable, row, toJson, type Row } from "./lib/results";
import { signIn, startServer } from "./lib/server";
import { boardScenario, filterScenario, memoryScenario, moveScenario, searchScenario, startupRows } from "./scenarios/web";
import { engineScenario } from "./scenarios/engine";
import { importScenario } from "./scenarios/import";
import { reviewScenario } from "./scenarios/review";
import { sequenceScenario } from "./scenarios/sequences";

const root = process.cwd();
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag("quick");
const distDir = option("dist") ?? process.env.BENCH_DIST_DIR ?? ".next-bench";
const outFile = path.resolve(root, option("out") ?? "bench/results.json");
const only = option("only")?.split(",");
const wants = (name: string) => !only || only.includes(name);
const soakSeconds = Number(option("soak") ?? (quick ? 10 : 600));
const emails = option("emails") ? Number(option("emails")) : undefined;
const log = (message: string) => console.info(message);

const spec: DatasetSpec = quick
  ? { seed: "pipewise-bench-1", boardSizes: [100, 1_000, 10_000], bigDeals: 10_000, bigContacts: 5_000, bigCompanies: 500, users: 20 }
  : { seed: "pipewise-bench-1", boardSizes: [100, 1_000, 10_000], bigDeals: 100_000, bigContacts: 50_000, bigCompanies: 5_000, users: 50 };

function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Builds into `distDir` when there is no build or the sources are newer; keeps tsconfig.json/next-env.d.ts as they were. */
function ensureBuild() {
  const buildId = path.join(root, distDir, "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = Math.max(...["app", "lib", "db", "public", "instrumentation.ts", "next.config.ts", "package-lock.json"].map((p) => newestMtime(path.join(root, p))));
  if (built && built >= sources) return log(`[bench] using the build in ${distDir}/`);
  log(`[bench] building into ${distDir}/ …`);
  const keep = ["tsconfig.json", "next-env.d.ts"].map((f) => [f, fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f)) : null] as const);
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
  for (const [f, content] of keep) if (content) fs.writeFileSync(path.join(root, f), content);
  if (result.status !== 0) throw new Error(`next build failed (${result.status})`);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? "unknown CPU"} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

type Target = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };
type ScenarioOptions = { quick: boolean; label: string; log: (m: string) => void };

/** Deals of the largest board, for the move scenarios (read before the server takes the database). */
async function boardDeals(db: Awaited<ReturnType<typeof openBenchDb>>["db"], data: Dataset) {
  const pipeline = data.board.pipelines[data.board.pipelines.length - 1]!;
  return resultRows<{ id: string; stage_id: string }>(await db.execute(sql`select id, stage_id from deals where pipeline_id = ${pipeline.id} and status = 'open' order by id`)).map((r) => ({ id: r.id, stageId: r.stage_id }));
}

/** Scenarios that run against `next start` (on the generated dataset); the review reads that dataset too. */
const SERVER_SCENARIOS = ["board", "move", "filter", "search", "memory"];
const needsServer = SERVER_SCENARIOS.some(wants);
const needsDataset = needsServer || wants("review");

async function runOn(target: Target, label: string, tmp: string): Promise<Row[]> {
  const rows: Row[] = [];
  const o = { quick, label, log };
  // `--only engine,sequences,import` needs neither the dataset (minutes at full scale) nor the server.
  if (needsDataset) rows.push(...(await datasetScenarios(target, o)));
  if (target.kind === "pglite") fs.rmSync(target.dir, { recursive: true, force: true });

  if (wants("engine")) rows.push(...(await engineScenario(target.kind === "pglite" ? { kind: "pglite", dir: path.join(tmp, "engine") } : target, o)));
  if (wants("sequences")) rows.push(...(await sequenceScenario(target.kind === "pglite" ? { kind: "pglite", dir: path.join(tmp, "engine") } : target, { ...o, emails })));
  if (wants("import")) rows.push(...(await importScenario(target.kind === "pglite" ? { kind: "pglite", dir: path.join(tmp, "import") } : target, tmp, o)));
  return rows;
}

/** The generated dataset's scenarios: those against `next start` (with its start-up figures), then the review. */
async function datasetScenarios(target: Target, o: ScenarioOptions): Promise<Row[]> {
  const rows: Row[] = [];
  log(`\n[bench] ${target.kind}: generating the dataset (${JSON.stringify(spec)})`);
  const bench = await openBenchDb(target);
  let data: Dataset;
  let deals: { id: string; stageId: string }[];
  try {
    data = await generateDataset(bench.db, spec, log);
    deals = await boardDeals(bench.db, data);
  } finally {
    await bench.close();
  }
  if (needsServer) rows.push(...(await serverScenarios(target, data, deals, o)));
  // The review reads the same generated database, in a child process, once the server has released it.
  if (wants("review")) rows.push(...(await reviewScenario(target, data, o)));
  return rows;
}

/** The scenarios against `next start` on the generated dataset, after the server's start-up figures. */
async function serverScenarios(target: Target, data: Dataset, deals: { id: string; stageId: string }[], o: ScenarioOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const { label } = o;
  const secret = randomBytes(24).toString("hex");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !["DATABASE_URL", "SMTP_URL", "PGLITE_DIR", "CRON_SECRET"].includes(k)) env[k] = v;
  Object.assign(env, {
    PIPEWISE_BENCH: "1",
    PIPEWISE_BENCH_SECRET: secret,
    // The engine is measured on its own (scenario "engine"); here nothing runs beside the measured requests.
    PIPEWISE_INPROCESS_TICK: "0",
    AUTH_SECRET: randomBytes(24).toString("hex"),
    ...(target.kind === "pglite" ? { PGLITE_DIR: target.dir } : { DATABASE_URL: target.url }),
  });
  const server = await startServer(root, distDir, env);
  try {
    const cookie = await signIn(server.base, BENCH_EMAIL, BENCH_PASSWORD);
    const app = new AppClient(server.base, cookie, secret, readActionIds(root, distDir));
    rows.push(...(await startupRows(server, o)));
    const step = async (name: string, run: () => Promise<Row[]>) => {
      if (!wants(name)) return;
      const started = performance.now();
      try {
        rows.push(...(await run()));
      } catch (error) {
        log(`[bench] ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
        const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").slice(0, 160);
        rows.push(row({ name: `${name}: FAILED — ${message}${label}`, met: false }));
      }
      log(`[bench] ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    await step("board", () => boardScenario(app, server, data, o));
    await step("move", () => moveScenario(app, server, data, deals, o));
    await step("filter", () => filterScenario(app, server, data, o));
    await step("search", () => searchScenario(app, server, data, o));
    await step("memory", () => memoryScenario(app, server, data, deals, { ...o, soakSeconds }));
  } finally {
    await server.stop();
  }
  return rows;
}

async function main() {
  const started = performance.now();
  if (needsServer) ensureBuild();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-bench-"));
  const all: { database: string; rows: Row[] }[] = [];
  try {
    all.push({ database: "pglite", rows: await runOn({ kind: "pglite", dir: path.join(tmp, "pglite") }, "", tmp) });
    const url = process.env.DATABASE_URL;
    if (url) {
      const scratch = await createScratchDatabase(url, `pipewise_bench_${process.pid}`);
      try {
        all.push({ database: "postgres", rows: await runOn({ kind: "postgres", url: scratch.url }, " [PostgreSQL]", tmp) });
      } finally {
        await scratch.drop();
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const rows = all.flatMap((a) => a.rows);
  const pg = all.find((a) => a.database === "postgres");
  if (pg) {
    // Embedded mode: each timed scenario's PGlite figure within 3× of PostgreSQL's. Rows pair up by name with
    // the measured numbers blanked out (names carry figures); the kill test waits out a lease, not compared.
    const shape = (name: string) => name.replace(" [PostgreSQL]", "").replace(/\d[\d.,]*/g, "#");
    const seen = new Map<string, number>();
    for (const r of all[0]!.rows) {
      const k = seen.get(shape(r.name)) ?? 0; // the k-th row of this shape pairs with the k-th on PostgreSQL
      seen.set(shape(r.name), k + 1);
      if (r.name.startsWith("engine: jobs of") || r.name.startsWith("engine: with the default")) continue;
      const twin = pg.rows.filter((p) => shape(p.name) === shape(r.name))[k];
      if (r.median_ms && twin?.median_ms) {
        const ratio = r.median_ms / twin.median_ms;
        rows.push(row({ name: `embedded: PGlite / PostgreSQL — ${r.name}`, median_ms: r.median_ms, floor_ms: twin.median_ms, ratio, target_ratio: 3, met: ratio <= 3 }));
      }
    }
  }
  const scale = !needsDataset ? `no generated dataset (--only ${only!.join(",")})` : `${quick ? "quick" : "full"}: boards of ${spec.boardSizes.map((s) => s.toLocaleString("en-US")).join(" / ")} open deals; ${spec.bigDeals.toLocaleString("en-US")} deals (~${(spec.bigDeals * 5).toLocaleString("en-US")} history events), ${spec.bigContacts.toLocaleString("en-US")} contacts, ${spec.bigCompanies.toLocaleString("en-US")} companies in one workspace; ${spec.users + 1} users`;
  const results = { machine: machine(), scale, database: all.map((a) => a.database).join(" + "), scenarios: rows.map(toJson) };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.info(`\nMachine: ${results.machine}\nScale: ${scale}\nDatabase: ${results.database}\n`);
  console.info(formatTable(rows));
  console.info(`\n${rows.filter((r) => r.met === false).length} of ${rows.filter((r) => r.met !== null).length} targets missed; results in ${path.relative(root, outFile)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
