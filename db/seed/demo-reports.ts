import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { dealEvents, deals, forecastSnapshots, goals, memberships, reportSubscriptions, stages, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { takeForecastSnapshot } from "@/lib/reports/forecast";
import type { Random } from "./random";

const DAY = 86_400_000;

/**
 * Reports demo: goals for the workspace and two members, close dates pushed back on a few open deals (two of
 * them three times, so the forecast flags them), a pile-up of stale deals in "Demo" so the review names a
 * bottleneck, the forecast snapshot of the current month (accuracy), and the demo owner subscribed to the pack.
 * History rows are consistent with the deals (each event after the deal's creation, chains unbroken).
 */
export async function seedDemoReports(tx: Db, workspaceId: string, mainPipelineId: string, ownerId: string, now: Date, rnd: Random) {
  const team = await tx
    .select({ id: users.id, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
  const reps = team.filter((m) => m.role === "rep");
  await tx.insert(goals).values([
    { workspaceId, userId: null, metric: "won_value", period: "month", target: 15_000_000, createdBy: ownerId, createdAt: now },
    { workspaceId, userId: null, metric: "won_count", period: "month", target: 6, createdBy: ownerId, createdAt: now },
    { workspaceId, userId: null, metric: "new_deals", period: "month", target: 20, createdBy: ownerId, createdAt: now },
    ...(reps[0] ? [{ workspaceId, userId: reps[0].id, metric: "won_count" as const, period: "quarter" as const, target: 5, createdBy: ownerId, createdAt: now }] : []),
    ...(reps[1] ? [{ workspaceId, userId: reps[1].id, metric: "activities_done" as const, period: "month" as const, target: 15, createdBy: ownerId, createdAt: now }] : []),
  ]);
  await tx.insert(reportSubscriptions).values({ workspaceId, userId: ownerId, createdAt: now });

  // A bottleneck: early-stage open deals that moved to Demo weeks ago and sit there past its rotting days.
  const stageList = await tx.select({ id: stages.id, name: stages.name }).from(stages).where(eq(stages.pipelineId, mainPipelineId)).orderBy(asc(stages.position));
  const demo = stageList.find((s) => s.name === "Demo") ?? stageList[2];
  const early = stageList.slice(0, 2).map((s) => s.id);
  if (demo && early.length) {
    const candidates = await tx
      .select({ id: deals.id, stageId: deals.stageId, stageEnteredAt: deals.stageEnteredAt, ownerId: deals.ownerId })
      .from(deals)
      .where(and(eq(deals.workspaceId, workspaceId), eq(deals.status, "open"), inArray(deals.stageId, early)))
      .orderBy(asc(deals.stageEnteredAt));
    for (const d of candidates.filter((c) => c.stageEnteredAt.getTime() + 3 * DAY < now.getTime() - 25 * DAY).slice(0, 9)) {
      const at = new Date(d.stageEnteredAt.getTime() + rnd.int(1, 3) * DAY);
      await tx.update(deals).set({ stageId: demo.id, stageEnteredAt: at }).where(eq(deals.id, d.id));
      await tx.insert(dealEvents).values({ workspaceId, dealId: d.id, type: "stage_changed", actorId: d.ownerId, fromStageId: d.stageId, toStageId: demo.id, occurredAt: at });
    }
  }

  // Close-date slippage: the expected close date pushed back once, or three times.
  const open = await tx
    .select({ id: deals.id, expectedCloseDate: deals.expectedCloseDate, createdAt: deals.createdAt, ownerId: deals.ownerId })
    .from(deals)
    .where(and(eq(deals.workspaceId, workspaceId), eq(deals.status, "open"), isNotNull(deals.expectedCloseDate)))
    .orderBy(asc(deals.createdAt))
    .limit(5);
  for (const [i, d] of open.entries()) {
    const pushes = i < 2 ? 3 : 1;
    const final = Date.parse(`${d.expectedCloseDate}T00:00:00Z`);
    const dates = Array.from({ length: pushes + 1 }, (_, k) => new Date(final - (pushes - k) * 21 * DAY).toISOString().slice(0, 10));
    const span = Math.max(now.getTime() - d.createdAt.getTime(), 4 * DAY);
    for (let k = 0; k < pushes; k++) {
      const at = new Date(d.createdAt.getTime() + Math.round(((k + 1) * span) / (pushes + 1)));
      await tx.insert(dealEvents).values({ workspaceId, dealId: d.id, type: "close_date_changed", actorId: d.ownerId, data: { from: dates[k], to: dates[k + 1] }, occurredAt: at });
    }
  }

  // The forecast "taken at the start of this month": the open deals as they stand, plus the deals already won
  // this month as they were forecast (value × their stage's probability), so the review's accuracy line has
  // something to compare (a real workspace gets this from the month-start job).
  await takeForecastSnapshot(tx, { id: workspaceId, timeZone: "UTC" }, now);
  const month = now.toISOString().slice(0, 7);
  await tx.execute(sql`
    insert into ${forecastSnapshots} (workspace_id, taken_month, target_month, pipeline_id, owner_id, currency, deal_count, unweighted, weighted, taken_at)
    select d.workspace_id, ${`${month}-01`}::date, ${`${month}-01`}::date, d.pipeline_id, d.owner_id, d.currency, count(*), sum(d.value),
           round(sum(d.value * s.probability) / 100.0), ${`${month}-01T00:00:00Z`}::timestamptz
    from ${deals} d join ${stages} s on s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null and d.status = 'won' and d.closed_at >= ${`${month}-01T00:00:00Z`}::timestamptz
    group by d.workspace_id, d.pipeline_id, d.owner_id, d.currency
    on conflict on constraint forecast_snapshots_grain_key do update set
      deal_count = ${forecastSnapshots}.deal_count + excluded.deal_count,
      unweighted = ${forecastSnapshots}.unweighted + excluded.unweighted,
      weighted = ${forecastSnapshots}.weighted + excluded.weighted`);
}
