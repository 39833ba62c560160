#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then runs `next start`.
// Migrations and the demo seed run inside the server at start-up (instrumentation.ts), so only one process
// ever opens the embedded database.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serverNodeOptions } from "./server-node-options.mjs";

const root = path.resolve(import.meta.dirname, "..");
const next = path.join(root, "node_modules", ".bin", "next");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function newestMtime(p) {
  let stat;
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

const buildId = path.join(root, ".next", "BUILD_ID");
const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const sources = ["app", "lib", "db", "public", "instrumentation.ts", "next.config.ts", "package-lock.json"].map((p) => newestMtime(path.join(root, p)));
if (built === 0 || Math.max(...sources) > built) {
  console.info(built === 0 ? "[pipewise] first start: building the app (about a minute)…" : "[pipewise] sources changed: rebuilding…");
  const result = spawnSync(next, ["build"], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = process.env.PORT ?? "3000";
// With a heap ceiling unless NODE_OPTIONS sets one (scripts/server-node-options.mjs, docs/operations.md "Memory").
const server = spawn(next, ["start", "-p", port], { cwd: root, env: { ...env, NODE_OPTIONS: serverNodeOptions(env) }, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
