import "server-only";
import { sql } from "drizzle-orm";
import { rows } from "@/db/migrate";
import type { Db } from "@/db/types";

/*
 * Sequence statistics, the one definition used by the sequences pages and the reports' strategy comparison.
 *   enrolled       enrollments (in the period: enrolled_at within it)
 *   active         enrollments still running (active or paused)
 *   sent           emails and SMS that left (sent, or captured when no SMTP/SMS is configured)
 *   replied        enrollments that ended as replied; reply rate = replied / enrolled contacts that were sent
 *                  at least one message (a contact who got nothing could not reply)
 *   bounced / unsubscribed   enrollments that ended so
 *   meetingsBooked enrollments whose contact (or deal) got a meeting activity, not created by the sequence,
 *                  after enrolment
 *   dealsWon       enrollments whose contact (or deal) had a deal won after enrolment
 * Per step and per variant: sent, replied (the message was the one answered), bounced; reply rate = replied / sent.
 */

export type SequenceStats = {
  sequenceId: string;
  enrolled: number;
  active: number;
  reached: number;
  sent: number;
  replied: number;
  replyRate: number | null;
  bounced: number;
  unsubscribed: number;
  meetingsBooked: number;
  dealsWon: number;
};
export type StepStats = { stepId: string; sent: number; replied: number; bounced: number; replyRate: number | null };
export type VariantStats = StepStats & { variantId: string };

const rate = (n: number, d: number) => (d > 0 ? n / d : null);

export type StatsFilter = { sequenceIds?: string[]; from?: Date; to?: Date };

/** Stats of the workspace's sequences (all, or `sequenceIds`), enrollments counted when enrolled within [from, to). */
export async function getSequenceStats(db: Db, workspaceId: string, filter: StatsFilter = {}): Promise<SequenceStats[]> {
  const ids = filter.sequenceIds;
  if (ids && ids.length === 0) return [];
  const result = await db.execute(sql`
    with e as (
      select e.* from sequence_enrollments e
      where e.workspace_id = ${workspaceId}
        ${ids ? sql`and e.sequence_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
        ${filter.from ? sql`and e.enrolled_at >= ${filter.from.toISOString()}::timestamptz` : sql``}
        ${filter.to ? sql`and e.enrolled_at < ${filter.to.toISOString()}::timestamptz` : sql``}
    ), sent as (
      select m.enrollment_id, count(*)::int as n from messages m
      where m.workspace_id = ${workspaceId} and m.status in ('sent', 'captured') and m.enrollment_id in (select id from e)
      group by m.enrollment_id
    )
    select e.sequence_id,
      count(*)::int as enrolled,
      count(*) filter (where e.status in ('active', 'paused'))::int as active,
      count(sent.enrollment_id)::int as reached,
      coalesce(sum(sent.n), 0)::int as sent,
      count(*) filter (where e.status = 'replied')::int as replied,
      count(*) filter (where e.status = 'bounced')::int as bounced,
      count(*) filter (where e.status = 'unsubscribed')::int as unsubscribed,
      count(*) filter (where exists (
        select 1 from activities a where a.workspace_id = e.workspace_id and a.type = 'meeting' and a.origin <> 'sequence'
          and a.created_at > e.enrolled_at and (a.contact_id = e.contact_id or (e.deal_id is not null and a.deal_id = e.deal_id))))::int as meetings_booked,
      count(*) filter (where exists (
        select 1 from deals d where d.workspace_id = e.workspace_id and d.deleted_at is null and d.status = 'won'
          and d.closed_at > e.enrolled_at and (d.id = e.deal_id or d.contact_id = e.contact_id)))::int as deals_won
    from e left join sent on sent.enrollment_id = e.id
    group by e.sequence_id`);
  return rows<Record<string, unknown>>(result).map((r) => {
    const n = (k: string) => Number(r[k] ?? 0);
    return {
      sequenceId: String(r.sequence_id),
      enrolled: n("enrolled"),
      active: n("active"),
      reached: n("reached"),
      sent: n("sent"),
      replied: n("replied"),
      replyRate: rate(n("replied"), n("reached")),
      bounced: n("bounced"),
      unsubscribed: n("unsubscribed"),
      meetingsBooked: n("meetings_booked"),
      dealsWon: n("deals_won"),
    };
  });
}

/** Per step and per variant of one sequence (the variant split is the A/B test's result with its sample size). */
export async function getStepStats(db: Db, workspaceId: string, sequenceId: string): Promise<{ steps: StepStats[]; variants: VariantStats[] }> {
  const result = await db.execute(sql`
    select m.step_id, m.variant_id,
      count(*) filter (where m.status in ('sent', 'captured'))::int as sent,
      count(*) filter (where m.replied_at is not null)::int as replied,
      count(*) filter (where m.bounced_at is not null)::int as bounced
    from messages m
    join sequence_enrollments e on e.id = m.enrollment_id
    where m.workspace_id = ${workspaceId} and e.sequence_id = ${sequenceId}::uuid and m.step_id is not null
    group by m.step_id, m.variant_id`);
  const list = rows<Record<string, unknown>>(result).map((r) => ({
    stepId: String(r.step_id),
    variantId: r.variant_id ? String(r.variant_id) : null,
    sent: Number(r.sent),
    replied: Number(r.replied),
    bounced: Number(r.bounced),
  }));
  const steps = new Map<string, StepStats>();
  for (const v of list) {
    const s = steps.get(v.stepId) ?? { stepId: v.stepId, sent: 0, replied: 0, bounced: 0, replyRate: null };
    s.sent += v.sent;
    s.replied += v.replied;
    s.bounced += v.bounced;
    steps.set(v.stepId, s);
  }
  for (const s of steps.values()) s.replyRate = rate(s.replied, s.sent);
  return {
    steps: [...steps.values()],
    variants: list.filter((v) => v.variantId).map((v) => ({ ...v, variantId: v.variantId!, replyRate: rate(v.replied, v.sent) })),
  };
}
