// Node flags of the `next start` process: `npm start` (scripts/start.mjs) and the benchmark (bench/lib/server.ts)
// start the server with them, so what is measured is what runs.
//
// V8 sizes its heap from the machine's memory (about 4 GB of old space on a 16+ GB machine) and, under steady
// traffic, lets garbage pile up towards that before a full collection: the server's RSS then follows the
// garbage, not what it keeps (measured: live heap ~90 MB, heap 100-400 MB between collections). A ceiling makes
// it collect earlier; it is a ceiling for garbage, not a quota for data — if live objects ever needed more, the
// process would stop with an out-of-memory error, so it is set well above the live heap. docs/operations.md
// ("Memory") has the figures.

/** Old-space ceiling in MB when NODE_OPTIONS does not set one. */
export const DEFAULT_MAX_OLD_SPACE_MB = 256;

/**
 * NODE_OPTIONS for the server: the caller's own, plus `--max-old-space-size` unless they set it themselves.
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function serverNodeOptions(env = process.env) {
  const own = (env.NODE_OPTIONS ?? "").trim();
  if (/--max[-_]old[-_]space[-_]size/.test(own)) return own;
  return `${own} --max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`.trim();
}
