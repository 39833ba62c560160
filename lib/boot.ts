import { getDb } from "@/db/client";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { DEMO_EMAIL, DEMO_PASSWORD, isDemoMode } from "./demo";

/** Server start-up: migrate (inside getDb), then seed the demo workspace when demo mode finds no users. */
export async function boot(): Promise<void> {
  const db = await getDb();
  if (isDemoMode()) {
    const seeded = await seedDemoIfEmpty(db, new Date());
    if (seeded) console.info(`[pipewise] demo workspace created: sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    else console.info(`[pipewise] demo mode: sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  }
}
