import "server-only";
import { and, eq } from "drizzle-orm";
import { sequenceEnrollments } from "@/db/schema";
import { AppError } from "../../errors";
import { goalProgress } from "../../goals/queries";
import { goalMetrics, goalPeriods } from "../../goals/schema";
import { forecast } from "../../reports/forecast";
import { monthOf, monthPeriod, quarterPeriod, rangePeriod, type Period } from "../../reports/period";
import { pipelineReview } from "../../reports/review";
import { changeEnrollment, enrollContacts } from "../../sequences/commands";
import { ownEnrollments } from "../../sequences/scope";
import { z } from "../../validation";
import type { ApiKeyCtx } from "../../api-keys/authenticate";
import { pathId } from "../body";
import { defineOperation, iso } from "../operation";
import { toMajor } from "./common";

/*
 * Reports, forecast, goals and sequence enrollments: thin views over lib/reports, lib/goals and lib/sequences —
 * the same functions (and so the same numbers) as the pages. Money in major units of the workspace currency.
 */

const money = (ctx: ApiKeyCtx, minor: number | null) => (minor === null ? null : toMajor(Math.round(minor), ctx.workspace.currency));

const periodQuery = {
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "api.invalidMonth").optional().describe("YYYY-MM (default: the current month in the workspace's time zone)."),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, "api.invalidQuarter").optional().describe("YYYY-Qn."),
  from: z.iso.date().optional().describe("First day (YYYY-MM-DD), with `to`."),
  to: z.iso.date().optional().describe("Last day, inclusive (YYYY-MM-DD), with `from`."),
  pipelineId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
};

/** The period asked for; unlike the pages (which fall back to this month), a malformed period is a 422. */
function periodOf(ctx: ApiKeyCtx, q: { month?: string; quarter?: string; from?: string; to?: string }): Period {
  const tz = ctx.workspace.timeZone;
  const refuse = (field: string, key: string) => new AppError("VALIDATION", key, { [field]: [key] });
  if (q.from || q.to) {
    if (!q.from || !q.to) throw refuse(q.from ? "to" : "from", "errors.required");
    try {
      return rangePeriod(q.from, q.to, tz);
    } catch {
      throw refuse("to", "api.invalidRange");
    }
  }
  try {
    if (q.quarter) return quarterPeriod(q.quarter, tz);
    return monthPeriod(q.month ?? monthOf(ctx.now, tz), tz);
  } catch {
    throw refuse(q.quarter ? "quarter" : "month", "api.invalidRange");
  }
}

const periodSchema = z.object({ key: z.string(), kind: z.enum(["month", "quarter", "range"]), from: z.iso.date(), to: z.iso.date().describe("Last day, inclusive.") });
const periodDTO = (p: Period) => ({ key: p.key, kind: p.kind, from: p.startDate, to: lastDay(p.endDate) });
const lastDay = (exclusive: string) => new Date(Date.parse(`${exclusive}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export const pipelineReviewSchema = z.object({
  period: periodSchema,
  currency: z.string(),
  wonRevenue: z.number(),
  dealsWon: z.number().int(),
  averageDealSize: z.number().nullable(),
  winRate: z.number().nullable().describe("0-1."),
  salesCycleDays: z.number().nullable(),
  conversionRate: z.number().nullable().describe("Lead to customer, 0-1."),
  customerLifetimeValue: z.number().nullable(),
  stages: z.array(
    z.object({
      stageId: z.uuid(),
      name: z.string(),
      entered: z.number().int(),
      conversionToNext: z.number().nullable(),
      avgDaysInStage: z.number().nullable(),
      medianDaysInStage: z.number().nullable(),
      openDeals: z.number().int(),
      openValue: z.number(),
    }),
  ),
  bottleneck: z.object({ stageId: z.uuid(), name: z.string() }).nullable(),
});

export const pipelineReviewOp = defineOperation({
  method: "GET",
  path: "/reports/pipeline-review",
  operationId: "getPipelineReview",
  summary: "Pipeline review of a period",
  description: "The numbers of Reports → Pipeline review, from the same code. Stages are those of `pipelineId`, else of the first active pipeline.",
  tag: "Reports",
  permission: "reports.read",
  query: z.object(periodQuery),
  response: pipelineReviewSchema,
  async run(ctx, { query }) {
    const period = periodOf(ctx, query);
    const review = await pipelineReview(ctx, { period, pipelineId: query.pipelineId ?? null, ownerId: query.ownerId ?? null });
    const c = review.current;
    return {
      period: periodDTO(period),
      currency: review.currency,
      wonRevenue: money(ctx, c.wonRevenue)!,
      dealsWon: c.dealsWon,
      averageDealSize: money(ctx, c.averageDealSize),
      winRate: c.winRate,
      salesCycleDays: c.salesCycleDays,
      conversionRate: c.leadConversion,
      customerLifetimeValue: money(ctx, c.customerLifetimeValue),
      stages: (review.stages?.funnel ?? []).map((s) => ({
        stageId: s.stageId,
        name: s.name,
        entered: s.entered,
        conversionToNext: s.conversion,
        avgDaysInStage: s.averageDays,
        medianDaysInStage: s.medianDays,
        openDeals: s.openDeals,
        openValue: money(ctx, s.openValue)!,
      })),
      bottleneck: review.stages?.bottleneck ? { stageId: review.stages.bottleneck.stageId, name: review.stages.bottleneck.name } : null,
    };
  },
});

const cellSchema = z.object({ month: z.string(), deals: z.number().int(), unweighted: z.number(), weighted: z.number() });

export const forecastOp = defineOperation({
  method: "GET",
  path: "/reports/forecast",
  operationId: "getForecast",
  summary: "Forecast",
  description: "Open deals by expected close month for the next six months, unweighted and weighted by stage probability (Reports → Forecast).",
  tag: "Reports",
  permission: "reports.read",
  query: z.object({ pipelineId: periodQuery.pipelineId, ownerId: periodQuery.ownerId }),
  response: z.object({
    currency: z.string(),
    months: z.array(cellSchema),
    byOwner: z.array(z.object({ ownerId: z.uuid().nullable(), name: z.string().nullable(), months: z.array(cellSchema) })),
    byPipeline: z.array(z.object({ pipelineId: z.uuid(), name: z.string(), months: z.array(cellSchema) })),
    overdue: z.object({ deals: z.number().int(), value: z.number() }),
    undatedDeals: z.number().int(),
  }),
  async run(ctx, { query }) {
    const f = await forecast(ctx, { pipelineId: query.pipelineId ?? null, ownerId: query.ownerId ?? null });
    const cells = (list: { month: string; deals: number; unweighted: number; weighted: number }[]) =>
      list.map((m) => ({ month: m.month, deals: m.deals, unweighted: money(ctx, m.unweighted)!, weighted: money(ctx, m.weighted)! }));
    return {
      currency: f.currency,
      months: cells(f.totals),
      byOwner: f.byOwner.map((o) => ({ ownerId: o.id, name: o.name, months: cells(o.months) })),
      byPipeline: f.byPipeline.map((p) => ({ pipelineId: p.id, name: p.name, months: cells(p.months) })),
      overdue: { deals: f.overdue.count, value: money(ctx, f.overdue.value)! },
      undatedDeals: f.undatedDeals,
    };
  },
});

export const goalsOp = defineOperation({
  method: "GET",
  path: "/goals",
  operationId: "listGoals",
  summary: "Goals and their progress",
  description: "Every goal the key's member can see, in its current period (Reports → Goals): achieved, share and gap. Money metrics in major units.",
  tag: "Reports",
  permission: "reports.read",
  response: z.object({
    data: z.array(
      z.object({
        id: z.uuid(),
        userId: z.uuid().nullable().describe("null: a workspace goal."),
        userName: z.string().nullable(),
        metric: z.enum(goalMetrics),
        period: z.enum(goalPeriods),
        currentPeriod: periodSchema,
        target: z.number(),
        achieved: z.number(),
        share: z.number().describe("achieved / target."),
        gap: z.number().describe("target − achieved (0 once reached)."),
        reached: z.boolean(),
      }),
    ),
  }),
  async run(ctx) {
    const list = await goalProgress(ctx);
    const amount = (metric: string, n: number) => (metric === "won_value" ? money(ctx, n)! : n);
    return {
      data: list.map((g) => ({
        id: g.id,
        userId: g.userId,
        userName: g.userName,
        metric: g.metric,
        period: g.period,
        currentPeriod: periodDTO(g.periodInfo),
        target: amount(g.metric, g.target),
        achieved: amount(g.metric, g.achieved),
        share: g.share,
        gap: amount(g.metric, g.gap.state === "behind" ? g.gap.remaining : 0),
        reached: g.gap.state === "reached",
      })),
    };
  },
});

// ---- sequence enrollments --------------------------------------------------------------------------------------

const refusalText: Record<string, string> = {
  contact_not_found: "errors.NOT_FOUND",
  unsubscribed: "api.enrollUnsubscribed",
  no_email: "api.enrollNoEmail",
  no_phone: "api.enrollNoPhone",
};

export const enrollmentSchema = z.object({ id: z.uuid(), sequenceId: z.uuid(), contactId: z.uuid(), dealId: z.uuid().nullable(), status: z.string(), enrolledAt: z.iso.datetime({ offset: true }) });

export const enrollOp = defineOperation({
  method: "POST",
  path: "/sequences/{sequenceId}/enrollments",
  operationId: "enrollContact",
  summary: "Enroll a contact in a sequence",
  description: "409 when the contact is already in it; 422 (on contactId) when it cannot be (unsubscribed, no email or phone for the sequence's steps).",
  tag: "Sequences",
  permission: "sequences.enroll",
  body: z.strictObject({ contactId: z.uuid(), dealId: z.uuid().nullable().optional() }),
  status: 201,
  response: enrollmentSchema,
  async run(ctx, { params, body }) {
    const sequenceId = pathId(params.sequenceId);
    const [first] = await enrollContacts(ctx, { sequenceId, contactIds: [body.contactId], dealId: body.dealId ?? null });
    const result = first!.result;
    if (!result.ok) {
      if (result.reason === "already_enrolled") throw new AppError("CONFLICT", "api.alreadyEnrolled");
      const key = refusalText[result.reason] ?? "errors.invalid";
      throw new AppError("VALIDATION", key, { contactId: [key] });
    }
    const [row] = await ctx.db.select().from(sequenceEnrollments).where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.id, result.enrollmentId)));
    return { id: row!.id, sequenceId: row!.sequenceId, contactId: row!.contactId, dealId: row!.dealId, status: row!.status, enrolledAt: iso(row!.enrolledAt)! };
  },
});

export const removeEnrollmentOp = defineOperation({
  method: "DELETE",
  path: "/sequences/{sequenceId}/enrollments/{enrollmentId}",
  operationId: "removeEnrollment",
  summary: "Remove a contact from a sequence",
  description: "Stops the enrollment (status stopped, reason removed): no further step runs. 422 when it already ended.",
  tag: "Sequences",
  permission: "sequences.enroll",
  status: 204,
  async run(ctx, { params }) {
    const sequenceId = pathId(params.sequenceId);
    const enrollmentId = pathId(params.enrollmentId);
    const [row] = await ctx.db
      .select({ id: sequenceEnrollments.id })
      .from(sequenceEnrollments)
      .where(and(eq(sequenceEnrollments.workspaceId, ctx.workspaceId), eq(sequenceEnrollments.sequenceId, sequenceId), eq(sequenceEnrollments.id, enrollmentId), ownEnrollments(ctx)));
    if (!row) throw new AppError("NOT_FOUND");
    await changeEnrollment(ctx, { enrollmentId, action: "remove" });
    return null;
  },
});

export const reportOperations = [pipelineReviewOp, forecastOp, goalsOp, enrollOp, removeEnrollmentOp];
