import { describe, expect, it } from "vitest";
import { prepareStatements, preparedStatementsEnabled } from "@/db/postgres";

type Call = { query: string; args: unknown; options: Record<string, unknown> | undefined };

/** A stand-in for a postgres.js `sql`: records what reaches `unsafe`; `begin`/`savepoint` hand their callback another one. */
function fakeSql(calls: Call[], depth = 0): Record<string, unknown> {
  const sql: Record<string, unknown> = {
    unsafe: (query: string, args?: unknown, options?: Record<string, unknown>) => {
      calls.push({ query, args, options });
      return Promise.resolve([]);
    },
  };
  if (depth === 0) sql.begin = (...args: unknown[]) => (args[args.length - 1] as (tx: unknown) => Promise<unknown>)(fakeSql(calls, 1));
  if (depth <= 1) sql.savepoint = (...args: unknown[]) => (args[args.length - 1] as (tx: unknown) => Promise<unknown>)(fakeSql(calls, 2));
  return sql;
}

type Wrapped = {
  unsafe: (query: string, args?: unknown, options?: Record<string, unknown>) => Promise<unknown>;
  begin: (...args: unknown[]) => Promise<unknown>;
  savepoint: (...args: unknown[]) => Promise<unknown>;
};

describe("prepareStatements", () => {
  it("prepares what drizzle sends unprepared, keeping its other options and parameters", async () => {
    const calls: Call[] = [];
    const sql = prepareStatements(fakeSql(calls)) as unknown as Wrapped;
    await sql.unsafe("select $1", [1], { prepare: false });
    await sql.unsafe("select $1", [2]);
    await sql.unsafe("select 1", { simple: true });
    expect(calls).toEqual([
      { query: "select $1", args: [1], options: { prepare: true } },
      { query: "select $1", args: [2], options: { prepare: true } },
      { query: "select 1", args: [], options: { simple: true, prepare: true } },
    ]);
  });

  it("stops preparing new texts past the pool's limit, keeping the ones it has (transactions count in the pool)", async () => {
    const calls: Call[] = [];
    const sql = prepareStatements(fakeSql(calls), 2) as unknown as Wrapped;
    await sql.unsafe("select $1", [1], { prepare: false });
    await sql.begin(async (tx: Wrapped) => tx.unsafe("insert $1", [1], { prepare: false }));
    await sql.unsafe("update $1", [1], { prepare: false });
    await sql.begin(async (tx: Wrapped) => tx.unsafe("select $1", [2], { prepare: false }));
    expect(calls.map((c) => [c.query, c.options?.prepare])).toEqual([
      ["select $1", true],
      ["insert $1", true],
      ["update $1", false],
      ["select $1", true],
    ]);
  });

  it("prepares inside transactions and savepoints too, whichever form begin takes", async () => {
    const calls: Call[] = [];
    const sql = prepareStatements(fakeSql(calls)) as unknown as Wrapped;
    await sql.begin(async (tx: Wrapped) => {
      await tx.unsafe("insert $1", ["a"], { prepare: false });
      await tx.savepoint("inner", async (sp: Wrapped) => sp.unsafe("update $1", ["b"], { prepare: false }));
    });
    await sql.begin("read write", async (tx: Wrapped) => tx.unsafe("delete $1", ["c"]));
    expect(calls.map((c) => [c.query, c.options?.prepare])).toEqual([
      ["insert $1", true],
      ["update $1", true],
      ["delete $1", true],
    ]);
  });
});

describe("preparedStatementsEnabled", () => {
  it("is on unless DATABASE_PREPARE turns it off", () => {
    expect(preparedStatementsEnabled({})).toBe(true);
    expect(preparedStatementsEnabled({ DATABASE_PREPARE: "1" })).toBe(true);
    expect(preparedStatementsEnabled({ DATABASE_PREPARE: "0" })).toBe(false);
    expect(preparedStatementsEnabled({ DATABASE_PREPARE: " False " })).toBe(false);
  });
});
