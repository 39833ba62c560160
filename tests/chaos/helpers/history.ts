import { sql } from "drizzle-orm";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";

export type HistoryProblem = { dealId: string; problem: string };

/**
 * Checks every deal of a workspace against its history: the stage_changed events form one chain from the
 * stage the deal was created in (each event leaves from where the previous one arrived) and end in the deal's
 * current stage; each title/value change leaves from the previous one's value and the last one is the current
 * value; and every stage_changed history row has its domain event (both are written in the move's
 * transaction, so a half-written move shows as a count mismatch). Returns the problems found (none = consistent).
 */
export async function historyProblems(db: Db, workspaceId: string): Promise<HistoryProblem[]> {
  const deals = rows<{ id: string; stage_id: string; title: string; value: number }>(await db.execute(sql`select id, stage_id, title, value::float8 as value from deals where workspace_id = ${workspaceId}`));
  const events = rows<{ id: number; deal_id: string; type: string; from_stage_id: string | null; to_stage_id: string | null; data: Record<string, unknown> }>(
    await db.execute(sql`select id::int8 as id, deal_id, type::text as type, from_stage_id, to_stage_id, data from deal_events where workspace_id = ${workspaceId} order by id`),
  );
  const domain = rows<{ subject_id: string; n: number }>(
    await db.execute(sql`select subject_id, count(*)::int as n from domain_events where workspace_id = ${workspaceId} and type = 'deal.stage_changed' group by subject_id`),
  );
  const domainCount = new Map(domain.map((d) => [d.subject_id, d.n]));
  const problems: HistoryProblem[] = [];
  for (const deal of deals) {
    const own = events.filter((e) => e.deal_id === deal.id);
    const created = own.find((e) => e.type === "created");
    if (!created) {
      problems.push({ dealId: deal.id, problem: "no created event" });
      continue;
    }
    let stage = created.to_stage_id;
    const moves = own.filter((e) => e.type === "stage_changed");
    for (const m of moves) {
      if (m.from_stage_id !== stage) problems.push({ dealId: deal.id, problem: `event ${m.id} leaves ${m.from_stage_id}, but the deal was in ${stage}` });
      stage = m.to_stage_id;
    }
    if (stage !== deal.stage_id) problems.push({ dealId: deal.id, problem: `stage ${deal.stage_id}, last event says ${stage}` });
    if ((domainCount.get(deal.id) ?? 0) !== moves.length) problems.push({ dealId: deal.id, problem: `${moves.length} stage_changed history rows but ${domainCount.get(deal.id) ?? 0} domain events` });
    let title: unknown = null;
    for (const e of own.filter((x) => x.type === "field_changed" && x.data.field === "title")) {
      if (title !== null && e.data.from !== title) problems.push({ dealId: deal.id, problem: `title event ${e.id} leaves ${String(e.data.from)}, previous arrived at ${String(title)}` });
      title = e.data.to;
    }
    if (title !== null && title !== deal.title) problems.push({ dealId: deal.id, problem: `title ${deal.title}, last event says ${String(title)}` });
    let value: unknown = (created.data as { value?: number }).value ?? null;
    for (const e of own.filter((x) => x.type === "value_changed")) {
      const from = (e.data.from as { value: number }).value;
      if (value !== null && from !== value) problems.push({ dealId: deal.id, problem: `value event ${e.id} leaves ${from}, previous arrived at ${String(value)}` });
      value = (e.data.to as { value: number }).value;
    }
    if (value !== null && Number(value) !== deal.value) problems.push({ dealId: deal.id, problem: `value ${deal.value}, history says ${String(value)}` });
  }
  return problems;
}

/** Number of history rows of a type for a deal. */
export async function eventCount(db: Db, dealId: string, type: string): Promise<number> {
  const [r] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from deal_events where deal_id = ${dealId} and type = ${type}`));
  return r!.n;
}
