#!/usr/bin/env node
// postinstall: fixes a crash of postgres.js 3.4.9 (the driver of DATABASE_URL) when PostgreSQL restarts or a
// connection drops. Upstream: porsager/postgres#1154, #1208 (open; PRs #1168, #1176, #1209 unreleased).
//   - closed()/terminate() cancel the batched-write timer without forgetting it, so the next small write on that
//     connection is never scheduled again: its query hangs forever (a pooled connection is poisoned);
//   - a batched write that fires after the socket is gone throws from setImmediate — an uncaught TypeError that
//     takes the whole server process down.
// The fix forgets the timer and the buffered bytes on close, and makes a write without a socket fail the
// connection's queries with CONNECTION_CLOSED (catchable, the request fails cleanly) instead of throwing.
// Idempotent; fails loudly if the driver's code is not what it expects (a new version: re-check upstream, then
// drop or update this script). Found by tests/chaos/pg-restart.test.ts.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, "node_modules", "postgres");
if (!fs.existsSync(dir)) process.exit(0);
const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
const MARK = "/* pipewise: nextWrite guard */";

const edits = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  ["    clearImmediate(nextWriteTimer)\n    if (socket) {", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {"],
  ["    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)"],
];

let patched = 0;
for (const variant of ["src", "cjs/src", "cf/src"]) {
  const file = path.join(dir, variant, "connection.js");
  if (!fs.existsSync(file)) continue;
  let text = fs.readFileSync(file, "utf8");
  if (text.includes(MARK)) continue;
  for (const [from, to] of edits) {
    if (text.split(from).length !== 2) {
      console.error(`[patch-postgres] postgres ${version}: ${variant}/connection.js does not contain the expected code; check whether upstream fixed the nextWrite crash and update scripts/patch-postgres.mjs`);
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  fs.writeFileSync(file, text);
  patched++;
}
if (patched) console.log(`[patch-postgres] postgres ${version}: nextWrite guard applied to ${patched} file(s)`);
