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
import { patchPackage } from "./patch-package.mjs";

const MARK = "/* pipewise: nextWrite guard */";

const edits = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  ["    clearImmediate(nextWriteTimer)\n    if (socket) {", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {"],
  ["    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)"],
];

patchPackage({
  name: "postgres",
  files: ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"],
  mark: MARK,
  edits,
  recheck: "check whether upstream fixed the nextWrite crash and update scripts/patch-postgres.mjs",
  applied: "nextWrite guard applied",
});
