import { count } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Db } from "@/db/types";
import { seedDemoWorkspace } from "./demo-workspace";

/** Seeds the demo workspace when the database has no users at all. Returns whether it seeded. */
export async function seedDemoIfEmpty(db: Db, now: Date): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) return false;
  await seedDemoWorkspace(db, now);
  return true;
}
