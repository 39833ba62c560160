import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { customFields, deals, pipelines, stages } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Random } from "./random";

/**
 * Two deal fields a sales team typically adds — "Seats" (number) and "Plan" (single option) — filled on most
 * deals and shown on the "New business" cards; "Proposal" requires Seats, as a team would insist on sizing a
 * deal before quoting.
 */
export async function seedDemoCustomFields(db: Db, workspaceId: string, pipelineId: string, rnd: Random) {
  const plans = [
    { id: randomUUID(), label: "Starter" },
    { id: randomUUID(), label: "Growth" },
    { id: randomUUID(), label: "Enterprise" },
  ];
  await db.insert(customFields).values([
    { workspaceId, entity: "deal", key: "seats", label: "Seats", type: "number", position: 1 },
    { workspaceId, entity: "deal", key: "plan", label: "Plan", type: "single_select", settings: { options: plans }, position: 2 },
  ]);
  const rows = await db.select({ id: deals.id }).from(deals).where(eq(deals.workspaceId, workspaceId)).orderBy(deals.position);
  for (const row of rows) {
    if (!rnd.chance(0.85)) continue;
    await db.update(deals).set({ custom: { seats: rnd.int(5, 400), plan: rnd.pick(plans).id } }).where(eq(deals.id, row.id));
  }
  await db.update(pipelines).set({ cardFields: ["plan", "seats"] }).where(eq(pipelines.id, pipelineId));
  const [proposal] = await db.select({ id: stages.id }).from(stages).where(eq(stages.pipelineId, pipelineId)).orderBy(stages.position).offset(3).limit(1);
  if (proposal) await db.update(stages).set({ requiredFields: ["custom:seats"] }).where(eq(stages.id, proposal.id));
}
