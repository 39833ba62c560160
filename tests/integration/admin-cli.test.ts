import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The admin CLI as a self-hoster runs it (`npm run admin -- …` is `tsx scripts/admin.ts …`), on its own embedded
// database directory. Each run is a separate process, like the real thing.
const root = path.resolve(import.meta.dirname, "../..");
let dir: string;
const saved = { PGLITE_DIR: process.env.PGLITE_DIR, DATABASE_URL: process.env.DATABASE_URL };

function admin(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dir, "pglite"), NODE_ENV: "production" };
  delete env.DATABASE_URL;
  delete env.VITEST;
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/admin.ts"), ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const lastLine = (text: string) => text.trim().split("\n").at(-1)!;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-admin-"));
});
afterAll(async () => {
  const { closeDb } = await import("@/db/client");
  await closeDb();
  Object.assign(process.env, saved);
  if (!saved.DATABASE_URL) delete process.env.DATABASE_URL;
  if (!saved.PGLITE_DIR) delete process.env.PGLITE_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run admin", () => {
  it("creates a user, a workspace and an admin's API key that the API accepts (the key alone on the last line)", async () => {
    const user = await admin("create-user", "--email", "Boss@Example.com", "--password", "long-enough-1", "--name", "Boss");
    expect(user.stderr).toBe("");
    expect(user.code).toBe(0);
    const ws = await admin("create-workspace", "--slug", "hq", "--name", "HQ Sales", "--owner", "boss@example.com", "--currency", "eur", "--time-zone", "Europe/Berlin");
    expect(ws.code).toBe(0);
    const taken = await admin("create-workspace", "--slug", "hq", "--name", "Again", "--owner", "boss@example.com");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/slug "hq" is taken/);
    const key = await admin("create-api-key", "--workspace", "hq", "--email", "boss@example.com", "--name", "Sync");
    expect(key.code).toBe(0);
    const token = lastLine(key.stdout);
    expect(token).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);

    // The CLI has exited and released the directory: this process may open it now.
    process.env.PGLITE_DIR = path.join(dir, "pglite");
    delete process.env.DATABASE_URL;
    const { getDb, closeDb } = await import("@/db/client");
    const { authenticateApiKey } = await import("@/lib/api-keys/authenticate");
    const ctx = await authenticateApiKey(await getDb(), `Bearer ${token}`, new Date());
    expect(ctx).toMatchObject({ role: "owner", workspace: { slug: "hq", currency: "EUR", timeZone: "Europe/Berlin" }, apiKey: { createdByRole: "owner" } });
    await closeDb();
  }, 120_000);

  it("says clearly that the embedded database is in use while another process (the app) holds it, and changes nothing", async () => {
    fs.mkdirSync(path.join(dir, "pglite"), { recursive: true });
    fs.writeFileSync(path.join(dir, "pglite.lock"), String(process.pid)); // this test process: alive
    const result = await admin("create-user", "--email", "second@example.com", "--password", "long-enough-1");
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/is in use by another process — most likely the running Pipewise app/);
    expect(result.stderr).toMatch(new RegExp(`in use by process ${process.pid}`));
    expect(result.stdout).toBe("");
    expect(fs.readFileSync(path.join(dir, "pglite.lock"), "utf8")).toBe(String(process.pid)); // not taken over
    fs.rmSync(path.join(dir, "pglite.lock"));
  }, 60_000);

  it("refuses an unknown command and invalid input with a message and a non-zero status", async () => {
    const unknown = await admin("frobnicate");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const bad = await admin("create-api-key", "--workspace", "nowhere", "--email", "boss@example.com", "--name", "X");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a member of a workspace "nowhere"/);
  }, 60_000);
});
