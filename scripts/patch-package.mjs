// The postinstall patches' shared part (patch-postgres.mjs, patch-drizzle.mjs): fixed text edits applied once to
// files of an installed package. Idempotent (a file carrying `mark` is left alone; the mark is part of an edit's
// replacement); a file whose text is not what an edit expects fails the install loudly, so a new version of the
// package makes us look at the patch again. Files the package does not ship are skipped.
import fs from "node:fs";
import path from "node:path";

/**
 * @param {{ name: string, files: string[], mark: string, edits: [string, string][], recheck: string, applied: string }} patch
 *   `recheck`: what to check when the code is not as expected; `applied`: what the log says was done.
 */
export function patchPackage({ name, files, mark, edits, recheck, applied }) {
  const dir = path.join(path.resolve(import.meta.dirname, ".."), "node_modules", name);
  if (!fs.existsSync(dir)) return;
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  let patched = 0;
  for (const relative of files) {
    const file = path.join(dir, relative);
    if (!fs.existsSync(file)) continue;
    let text = fs.readFileSync(file, "utf8");
    if (text.includes(mark)) continue;
    for (const [from, to] of edits) {
      if (text.split(from).length !== 2) {
        console.error(`[patch] ${name} ${version}: ${relative} does not contain the expected code; ${recheck}`);
        process.exit(1);
      }
      text = text.replace(from, to);
    }
    fs.writeFileSync(file, text);
    patched++;
  }
  if (patched) console.log(`[patch] ${name} ${version}: ${applied} in ${patched} file(s)`);
}
