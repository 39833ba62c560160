import "server-only";
import { visibleDeals } from "../deals/scope";
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { companies, contacts, deals, domainEvents, scoreEvents, scoringRules, stages, users, workflowRuns, workflows } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { readScoreSettings, type ScoreSettings } from "./apply";

export async function getScoringSettings(ctx: Ctx): Promise<ScoreSettings> {
  assertCan(ctx, "contacts.read");
  return readScoreSettings(ctx.db, ctx.workspaceId);
}

export type ScoringRuleDTO = { id: string; eventType: string; stageId: string | null; stageName: string | null; activityType: string | null; points: number };

export async function listScoringRules(ctx: Ctx): Promise<ScoringRuleDTO[]> {
  assertCan(ctx, "contacts.read");
  return ctx.db
    .select({ id: scoringRules.id, eventType: scoringRules.eventType, stageId: scoringRules.stageId, stageName: stages.name, activityType: scoringRules.activityType, points: scoringRules.points })
    .from(scoringRules)
    .leftJoin(stages, eq(stages.id, scoringRules.stageId))
    .where(eq(scoringRules.workspaceId, ctx.workspaceId))
    .orderBy(asc(scoringRules.eventType), asc(scoringRules.createdAt));
}

export type HotLeadDTO = { id: string; name: string; company: string | null; owner: string | null; score: number; lifecycle: string };

/** Contacts ranked by lead score (highest first; only those with points). */
export async function listHotLeads(ctx: Ctx, limit = 25): Promise<HotLeadDTO[]> {
  assertCan(ctx, "contacts.read");
  return ctx.db
    .select({
      id: contacts.id,
      name: sql<string>`trim(${contacts.firstName} || ' ' || ${contacts.lastName})`,
      company: companies.name,
      owner: users.name,
      score: contacts.score,
      lifecycle: contacts.lifecycle,
    })
    .from(contacts)
    .leftJoin(companies, eq(companies.id, contacts.companyId))
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(and(eq(contacts.workspaceId, ctx.workspaceId), gt(contacts.score, 0)))
    .orderBy(desc(contacts.score), asc(contacts.firstName), asc(contacts.id))
    .limit(limit);
}

export type ScoreHistoryEntryDTO = {
  id: number;
  occurredAt: Date;
  delta: number;
  requested: number;
  scoreAfter: number;
  reason: "rule" | "decay" | "workflow";
  eventType: string | null;
  ruleStage: string | null;
  deal: { id: string; title: string } | null;
  workflow: { id: string; name: string } | null;
};

/** A contact's score and every change of it, newest first, each with its reason and a link to what caused it. */
export async function getScoreHistory(ctx: Ctx, contactId: string, limit = 200) {
  assertCan(ctx, "contacts.read");
  const [contact] = await ctx.db
    .select({ id: contacts.id, name: sql<string>`trim(${contacts.firstName} || ' ' || ${contacts.lastName})`, score: contacts.score })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, ctx.workspaceId)));
  if (!contact) throw new AppError("NOT_FOUND");
  const rows = await ctx.db
    .select({
      id: scoreEvents.id,
      occurredAt: scoreEvents.occurredAt,
      delta: scoreEvents.delta,
      requested: scoreEvents.requested,
      scoreAfter: scoreEvents.scoreAfter,
      reason: scoreEvents.reason,
      eventType: domainEvents.type,
      ruleStage: stages.name,
      dealId: deals.id,
      dealTitle: deals.title,
      workflowId: workflows.id,
      workflowName: workflows.name,
    })
    .from(scoreEvents)
    .leftJoin(domainEvents, eq(domainEvents.id, scoreEvents.eventId))
    .leftJoin(scoringRules, eq(scoringRules.id, scoreEvents.ruleId))
    .leftJoin(stages, eq(stages.id, scoringRules.stageId))
    // only deals the member may see are named and linked (visibleDeals also leaves deleted deals out)
    .leftJoin(deals, and(eq(domainEvents.subjectType, "deal"), eq(deals.id, domainEvents.subjectId), visibleDeals(ctx)))
    .leftJoin(workflowRuns, eq(workflowRuns.id, scoreEvents.workflowRunId))
    .leftJoin(workflows, eq(workflows.id, workflowRuns.workflowId))
    .where(and(eq(scoreEvents.workspaceId, ctx.workspaceId), eq(scoreEvents.contactId, contact.id)))
    .orderBy(desc(scoreEvents.occurredAt), desc(scoreEvents.id))
    .limit(limit);
  const entries: ScoreHistoryEntryDTO[] = rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurredAt,
    delta: r.delta,
    requested: r.requested,
    scoreAfter: r.scoreAfter,
    reason: r.reason as ScoreHistoryEntryDTO["reason"],
    eventType: r.eventType,
    ruleStage: r.ruleStage,
    deal: r.dealId ? { id: r.dealId, title: r.dealTitle! } : null,
    workflow: r.workflowId ? { id: r.workflowId, name: r.workflowName! } : null,
  }));
  return { contact, entries };
}
