import { users, memberships } from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword } from "@/lib/auth/password";
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG } from "@/lib/demo";
import { createWorkspace } from "@/lib/workspaces/commands";

export async function seedDemoWorkspace(db: Db, now: Date) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const [demo] = await tx.insert(users).values({ email: DEMO_EMAIL, name: "Dana Demo", passwordHash, timeZone: "UTC" }).returning();
    const ws = await createWorkspace(tx, demo!.id, { name: "Acme Sales", slug: DEMO_SLUG }, now);
    const reps = await tx
      .insert(users)
      .values([
        { email: "li.wei@example.com", name: "Li Wei", passwordHash, timeZone: "Asia/Shanghai", locale: "zh-CN" as const },
        { email: "maria.garcia@example.com", name: "Maria Garcia", passwordHash, timeZone: "America/New_York" },
        { email: "sam.okafor@example.com", name: "Sam Okafor", passwordHash, timeZone: "Europe/London" },
      ])
      .returning();
    await tx.insert(memberships).values(reps.map((r, i) => ({ workspaceId: ws.id, userId: r.id, role: i === 0 ? ("manager" as const) : ("rep" as const) })));
  });
}
