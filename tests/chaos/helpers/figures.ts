import fs from "node:fs";
import path from "node:path";

/**
 * The figures of the last chaos run, merged into test-results/chaos-figures.json (one key per test), so
 * docs/reliability.md can quote them. Never read by a test.
 */
const file = path.resolve(import.meta.dirname, "../../../test-results/chaos-figures.json");

export function record(name: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    /* first run */
  }
  all[name] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}
