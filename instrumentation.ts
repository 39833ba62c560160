/**
 * Runs once when a Next.js server process starts: makes abort reasons release their call sites (a retained-heap
 * leak, lib/runtime/abort-reasons.ts), applies migrations, seeds the demo workspace on an empty embedded database,
 * and (embedded mode) starts the in-process cron tick. Not run by `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { formatAbortReasonStacks } = await import("./lib/runtime/abort-reasons");
  formatAbortReasonStacks();
  const { boot } = await import("./lib/boot");
  await boot();
}
