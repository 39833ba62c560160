import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests: the production server (`next start`, built beforehand) on a free port, against a brand-new
 * embedded database seeded with the demo workspace, driven by the system Chromium (browsers are never downloaded).
 *
 *   CI:     npm run build && npm run test:e2e
 *   Local:  NEXT_DIST_DIR=.next-e2e npx next build && npm run test:e2e   (keeps clear of the `.next` of `next dev`)
 *           (that build adds `.next-e2e/…` entries to tsconfig.json and repoints next-env.d.ts: don't commit those)
 *
 * This file is evaluated by the runner and again by each worker. Values chosen once per run (port, data
 * directory) are kept in process.env, which the workers inherit, so every process agrees on them.
 */

const root = import.meta.dirname;

/** `preferred` when nothing listens on it, else a port the OS reports free (probed synchronously in a child). */
function freePort(preferred: number): number {
  const probe = `
    const net = require("node:net");
    const tryListen = (port, fallback) => {
      const server = net.createServer();
      server.once("error", fallback);
      server.listen(port, () => { process.stdout.write(String(server.address().port)); server.close(); });
    };
    tryListen(Number(process.argv[1]), () => tryListen(0, (error) => { throw error; }));`;
  return Number(execFileSync(process.execPath, ["-e", probe, String(preferred)], { encoding: "utf8" }).trim());
}

if (!process.env.E2E_PORT) process.env.E2E_PORT = String(freePort(3211));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://localhost:${port}`; // Auth.js builds its redirects on localhost

// A fresh embedded database per run, removed when the runner exits (after the web server has been stopped).
if (!process.env.E2E_DATA_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewise-e2e-"));
  process.env.E2E_DATA_DIR = dir;
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
}
const dataDir = process.env.E2E_DATA_DIR;

// CI builds with `npm run build` (.next); locally the e2e build lives in .next-e2e, beside a developer's .next.
const distDir = process.env.NEXT_DIST_DIR ?? (process.env.CI ? ".next" : ".next-e2e");

function serverEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  // Nothing from the developer's shell may point the server at another database, mail server or origin.
  for (const key of ["DATABASE_URL", "SMTP_URL", "AUTH_URL", "NEXTAUTH_URL", "AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET", "AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET", "CRON_SECRET"]) {
    delete env[key];
  }
  return {
    ...env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: distDir,
    PORT: String(port),
    APP_URL: baseURL,
    PGLITE_DIR: path.join(dataDir, "pglite"),
    PIPEWISE_DEMO: "1",
    AUTH_SECRET: "e2e-test-secret-not-for-production-0123456789",
  };
}

const buildId = path.join(root, distDir, "BUILD_ID");
const missingBuild = `echo "No production build in ${distDir}/: run \\"${
  distDir === ".next" ? "npm run build" : `NEXT_DIST_DIR=${distDir} npx next build`
}\\" first." >&2; exit 1`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1, // one embedded database, one connection: keep the runs simple and deterministic
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    locale: "en-US",
    timezoneId: "UTC",
    viewport: { width: 1280, height: 800 }, // desktop layout: the sidebar (and its account menu) is visible
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: `if [ -f '${buildId}' ]; then exec npx next start -p ${port}; else ${missingBuild}; fi`,
    cwd: root,
    url: `${baseURL}/login`,
    env: serverEnv(),
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: process.env.E2E_SERVER_LOG ? "pipe" : "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
