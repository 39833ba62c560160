import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";
import { applyMigrations } from "./migrate";
import { pgliteExtensions, pgliteStartParams } from "./pglite";
import { appPool } from "./postgres";
import type { Db } from "./types";

export type { Db } from "./types";

type Holder = { db: Db; close: () => Promise<void>; kind: "pglite" | "postgres" };
const g = globalThis as unknown as { __pipewiseDb?: Promise<Holder> };

export function isEmbedded(): boolean {
  return !process.env.DATABASE_URL;
}

export function pgliteDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite"));
}

/**
 * The process-wide database handle, migrated. PGlite on disk when DATABASE_URL is unset, postgres.js otherwise.
 * The promise is memoised on globalThis (one PGlite per process) and cleared on failure so one failed start
 * does not poison later requests.
 */
export function getDb(): Promise<Db> {
  return getHolder().then((h) => h.db);
}

export function getHolder(): Promise<Holder> {
  if (!g.__pipewiseDb) {
    g.__pipewiseDb = open().catch((error: unknown) => {
      g.__pipewiseDb = undefined;
      throw error;
    });
  }
  return g.__pipewiseDb;
}

export async function closeDb(): Promise<void> {
  const holder = g.__pipewiseDb;
  g.__pipewiseDb = undefined;
  if (holder) await (await holder).close();
}

async function open(): Promise<Holder> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = appPool(
      postgres(url, {
        max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
        onnotice: () => {},
      }),
    );
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
    await applyMigrations(db);
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const dir = pgliteDir();
  fs.mkdirSync(dir, { recursive: true });
  const release = takeDirLock(dir);
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = new PGlite(dir, { extensions: await pgliteExtensions(), startParams: pgliteStartParams(PGlite.defaultStartParams) });
    await client.waitReady;
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
    await applyMigrations(db);
    return {
      db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * PGlite has no inter-process lock: two processes on one data directory diverge silently.
 * Take a lock file naming our pid; refuse (naming the holder) when a live process holds it.
 */
function takeDirLock(dir: string): () => void {
  const lockPath = path.join(dir, "..", `${path.basename(dir)}.lock`);
  for (let attempt = 0; ; attempt++) {
    try {
      // "wx": created only if absent, so two processes starting together cannot both take it.
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database at ${dir} is in use by process ${holder}. Stop that process first, or set PGLITE_DIR to another directory.`,
        );
      }
      fs.rmSync(lockPath, { force: true }); // left by a process that is gone: take it over
    }
  }
  const release = () => {
    try {
      if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
