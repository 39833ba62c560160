import type { Ctx } from "@/lib/context";
import { z } from "@/lib/validation";
import { addMonths, monthOf, parsePeriod, quarterOfMonth, type Period } from "@/lib/reports/period";

/** A report page's URL: period (month by default; quarter; custom range), pipeline and owner. */
const paramsSchema = z.object({
  kind: z.enum(["month", "quarter", "range"]).optional().catch(undefined),
  month: z.string().max(7).optional().catch(undefined),
  quarter: z.string().max(7).optional().catch(undefined),
  from: z.string().max(10).optional().catch(undefined),
  to: z.string().max(10).optional().catch(undefined),
  pipelineId: z.uuid().optional().catch(undefined),
  ownerId: z.uuid().optional().catch(undefined),
});

export type ReportParams = { period: Period; pipelineId: string | null; ownerId: string | null };

export function firstValues(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

export function readReportParams(raw: Record<string, string | undefined>, ctx: Ctx): ReportParams {
  const p = paramsSchema.parse(raw);
  const tz = ctx.workspace.timeZone;
  const period =
    p.kind === "quarter"
      ? parsePeriod({ quarter: p.quarter }, tz, ctx.now)
      : p.kind === "range"
        ? parsePeriod({ from: p.from, to: p.to }, tz, ctx.now)
        : p.kind === "month"
          ? parsePeriod({ month: p.month }, tz, ctx.now)
          : parsePeriod(p, tz, ctx.now);
  return { period, pipelineId: p.pipelineId ?? null, ownerId: p.ownerId ?? null };
}

/** The last `n` local months and quarters, newest first, for the period pickers. */
export function recentPeriods(ctx: Ctx, n = 13) {
  const current = monthOf(ctx.now, ctx.workspace.timeZone);
  const months = Array.from({ length: n }, (_, i) => addMonths(current, -i));
  const quarters = [...new Set(months.map(quarterOfMonth))];
  return { months, quarters };
}
