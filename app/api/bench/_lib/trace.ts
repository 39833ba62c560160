import { getHolder } from "@/db/client";

/**
 * Statement tracing for the benchmarks: wraps the process's database client (PGlite or postgres.js, the one
 * getDb() returns) so every statement the app sends — including BEGIN and COMMIT of transactions — is counted
 * and, while a capture is open, recorded with its parameters. The harness captures one page render or one
 * server action (nothing else runs meanwhile: the bench server runs without the in-process tick), then replays
 * the captured statements bare through the same client: that is the scenario's floor. Installed only through
 * the env-gated bench routes.
 */

export type Statement = { sql: string; params: unknown[] };
type Capture = { statements: Statement[] };
type TraceState = { installed: boolean; count: number; capture: Capture | null; saved: Map<string, Statement[]> };

const g = globalThis as unknown as { __pipewiseBenchTrace?: TraceState };
const state = (g.__pipewiseBenchTrace ??= { installed: false, count: 0, capture: null, saved: new Map() });

function record(sql: string, params: unknown) {
  state.count += 1;
  if (state.capture) state.capture.statements.push({ sql, params: Array.isArray(params) ? [...params] : [] });
}

type Queryable = { query: (sql: string, params?: unknown[], opts?: unknown) => Promise<unknown> };
type PgliteLike = Queryable & { transaction: <T>(run: (tx: Queryable) => Promise<T>) => Promise<T> };
type PostgresLike = { unsafe: (sql: string, params?: unknown[], opts?: unknown) => unknown; begin: (...args: unknown[]) => Promise<unknown> };

function wrapQuery(target: Queryable) {
  const query = target.query.bind(target);
  target.query = (sql, params, opts) => {
    record(sql, params);
    return query(sql, params, opts);
  };
}

function wrapUnsafe(target: PostgresLike) {
  const unsafe = target.unsafe.bind(target);
  target.unsafe = (sql, params, opts) => {
    record(sql, params);
    return unsafe(sql, params, opts);
  };
}

/** Wraps the live client once (idempotent). */
export async function installTrace(): Promise<"pglite" | "postgres"> {
  const holder = await getHolder();
  if (!state.installed) {
    state.installed = true;
    wrapClient(holder.kind, (holder.db as unknown as { $client: unknown }).$client);
  }
  return holder.kind;
}

/** Wraps a drizzle handle's client (`db.$client`) of either driver so its statements are counted and captured. */
export function wrapClient(kind: "pglite" | "postgres", client: unknown) {
  if (kind === "pglite") {
    const pg = client as PgliteLike;
    wrapQuery(pg);
    const transaction = pg.transaction.bind(pg);
    pg.transaction = (run) =>
      transaction(async (tx) => {
        record("BEGIN", []);
        wrapQuery(tx);
        const result = await run(tx);
        record("COMMIT", []);
        return result;
      });
    return;
  }
  const pg = client as PostgresLike;
  wrapUnsafe(pg);
  const begin = pg.begin.bind(pg);
  // postgres.js: begin(run) or begin(options, run); the transaction's own sql gets the same wrapper.
  pg.begin = (...args: unknown[]) => {
    const run = args[args.length - 1] as (tx: PostgresLike) => Promise<unknown>;
    const wrapped = async (tx: PostgresLike) => {
      record("BEGIN", []);
      wrapUnsafe(tx);
      const result = await run(tx);
      record("COMMIT", []);
      return result;
    };
    return begin(...args.slice(0, -1), wrapped);
  };
}

export function statementCount(): number {
  return state.count;
}

export function startCapture() {
  state.capture = { statements: [] };
}

/** Ends the capture and keeps its statements under `name` for replay. */
export function stopCapture(name: string): Statement[] {
  const statements = state.capture?.statements ?? [];
  state.capture = null;
  state.saved.set(name, statements);
  return statements;
}

/**
 * Runs a saved capture `repeat` times bare through the same client (raw SQL and parameters, no ORM, no
 * framework) and returns each run's time in ms. Statements between BEGIN and COMMIT run in one transaction.
 */
export async function replay(name: string, repeat: number): Promise<number[]> {
  const statements = state.saved.get(name);
  if (!statements) throw new Error(`no capture named ${name}`);
  const holder = await getHolder();
  return replayOn(holder.kind, (holder.db as unknown as { $client: unknown }).$client, statements, repeat);
}

/** Runs `statements` `repeat` times bare through `client` (a drizzle handle's `$client`); each run's time in ms. */
export async function replayOn(kind: "pglite" | "postgres", client: unknown, statements: Statement[], repeat: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    if (kind === "pglite") await replayPglite(client as PgliteLike, statements);
    else await replayPostgres(client as PostgresLike, statements);
    times.push(performance.now() - started);
  }
  return times;
}

function segments(statements: Statement[]): { tx: boolean; list: Statement[] }[] {
  const out: { tx: boolean; list: Statement[] }[] = [];
  let current: { tx: boolean; list: Statement[] } | null = null;
  for (const s of statements) {
    if (s.sql === "BEGIN") {
      current = { tx: true, list: [] };
      out.push(current);
    } else if (s.sql === "COMMIT") {
      current = null;
    } else if (current) current.list.push(s);
    else out.push({ tx: false, list: [s] });
  }
  return out;
}

async function replayPglite(client: PgliteLike, statements: Statement[]) {
  for (const seg of segments(statements)) {
    if (seg.tx) await client.transaction(async (tx) => { for (const s of seg.list) await tx.query(s.sql, s.params); });
    else for (const s of seg.list) await client.query(s.sql, s.params);
  }
}

async function replayPostgres(client: PostgresLike, statements: Statement[]) {
  for (const seg of segments(statements)) {
    if (seg.tx) await client.begin(async (tx: PostgresLike) => { for (const s of seg.list) await tx.unsafe(s.sql, s.params as never[]); });
    else for (const s of seg.list) await client.unsafe(s.sql, s.params as never[]);
  }
}
