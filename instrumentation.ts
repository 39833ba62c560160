/**
 * Runs once when a Next.js server process starts: applies migrations, seeds the demo workspace on an empty
 * embedded database, and (embedded mode) starts the in-process cron tick. Not run by `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { boot } = await import("./lib/boot");
  await boot();
}
