import { getDb } from "@/db/client";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { DEMO_EMAIL, DEMO_PASSWORD, isDemoMode } from "./demo";
import { shouldTickInProcess, startInProcessTick } from "./jobs/in-process";

/**
 * Server start-up: migrate (inside getDb), seed the demo workspace when demo mode finds no users, and — embedded
 * or with PIPEWISE_INPROCESS_TICK=1 — start the automation engine's in-process tick (lib/jobs/in-process.ts).
 */
export async function boot(): Promise<void> {
  const db = await getDb();
  if (isDemoMode()) {
    const seeded = await seedDemoIfEmpty(db, new Date());
    if (seeded) console.info(`[pipewise] demo workspace created: sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    else console.info(`[pipewise] demo mode: sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  }
  if (shouldTickInProcess()) {
    const { tick } = await import("./jobs/tick");
    startInProcessTick(async () => tick(await getDb(), new Date()));
    console.info("[pipewise] automation engine: ticking in-process every few seconds");
  }
}
