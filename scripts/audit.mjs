#!/usr/bin/env node
// `npm run audit:prod`: fails on a known critical vulnerability in production dependencies
// (`npm audit --omit=dev --audit-level=critical`). When the registry's advisory service cannot be reached (an
// offline mirror answers 405), it says so loudly and does not fail: the check needs the service to mean anything.
import { spawnSync } from "node:child_process";

const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
let report;
try {
  report = JSON.parse(result.stdout || "{}");
} catch {
  report = {};
}
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const why = report.message ?? report.error?.summary ?? (result.stderr || "no answer").trim().split("\n")[0];
  console.warn(`[audit] WARNING: the advisory service could not be queried (${why}); production dependencies were NOT audited.`);
  process.exit(0);
}
const { critical = 0, high = 0, moderate = 0, low = 0 } = counts;
console.info(`[audit] production dependencies: ${critical} critical, ${high} high, ${moderate} moderate, ${low} low`);
if (critical > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) if (v.severity === "critical") console.error(`[audit] critical: ${name} ${v.range ?? ""}`);
  process.exit(1);
}
