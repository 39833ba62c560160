import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The embedded database refuses a second process on the same directory (PGlite itself would let both in
// and the two copies would silently diverge), and takes over a lock left by a process that is gone.
let root: string;
const saved = { PGLITE_DIR: process.env.PGLITE_DIR, DATABASE_URL: process.env.DATABASE_URL };
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-lock-"));
  process.env.PGLITE_DIR = path.join(root, "pglite");
  delete process.env.DATABASE_URL;
});
afterAll(async () => {
  const { closeDb } = await import("@/db/client");
  await closeDb();
  Object.assign(process.env, saved);
  if (!saved.DATABASE_URL) delete process.env.DATABASE_URL;
  fs.rmSync(root, { recursive: true, force: true });
});

describe("the embedded database directory lock", () => {
  it("refuses to open a directory another live process holds, naming it", async () => {
    const { getDb } = await import("@/db/client");
    fs.mkdirSync(process.env.PGLITE_DIR!, { recursive: true });
    fs.writeFileSync(path.join(root, "pglite.lock"), String(process.ppid)); // the test runner's parent: alive
    await expect(getDb()).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it("takes over a lock left by a process that no longer exists, and releases it on close", async () => {
    const { getDb, closeDb } = await import("@/db/client");
    fs.writeFileSync(path.join(root, "pglite.lock"), "999999");
    await expect(getDb()).resolves.toBeTruthy();
    expect(fs.readFileSync(path.join(root, "pglite.lock"), "utf8")).toBe(String(process.pid));
    await closeDb();
    expect(fs.existsSync(path.join(root, "pglite.lock"))).toBe(false);
  }, 60_000);
});
