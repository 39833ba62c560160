import "server-only";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { previousPeriod, type Period } from "./period";
import { activityFigures, forecastAccuracy, kpis, periodFigures, reviewPipelines, stageFigures, wonLostBreakdowns } from "./review";
import type { ReportFilters } from "./scope";

/** Handled for Node (no unhandled-rejection warning) while still rejecting for whoever awaits it. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * The review's sections as separate promises, all started at once, so the page can stream each in its own
 * <Suspense> while the export, API and monthly pack await `pipelineReview` — the same functions with the same
 * arguments (tests/integration/reports-drilldown.test.ts checks that both give identical figures). Throws
 * NOT_FOUND for a pipeline that is not this workspace's before anything streams.
 */
export async function startReviewSections(ctx: Ctx, input: ReportFilters & { period: Period }) {
  const period = input.period;
  const pipelineList = await reviewPipelines(ctx);
  if (input.pipelineId && !pipelineList.some((p) => p.id === input.pipelineId)) throw new AppError("NOT_FOUND");
  const filters: ReportFilters = { pipelineId: input.pipelineId ?? null, ownerId: input.ownerId ?? null };
  const previous = previousPeriod(period, ctx.workspace.timeZone);
  const stagePipelineId = input.pipelineId ?? pipelineList.find((p) => !p.archived)?.id ?? null;
  const current = quiet(periodFigures(ctx, filters, period));
  const before = quiet(periodFigures(ctx, filters, previous));
  return {
    period,
    previousPeriod: previous,
    filters,
    currency: ctx.workspace.currency,
    pipelines: pipelineList,
    stagePipelineId,
    current,
    kpis: quiet(Promise.all([current, before]).then(([c, b]) => kpis(c, b))),
    stages: quiet(stagePipelineId ? stageFigures(ctx, { ...filters, pipelineId: stagePipelineId }, period) : Promise.resolve(null)),
    wonLost: quiet(wonLostBreakdowns(ctx, filters, period)),
    activity: quiet(activityFigures(ctx, filters, period)),
    accuracy: quiet(current.then((c) => forecastAccuracy(ctx, filters, period, c.wonRevenue))),
  };
}

export type ReviewSections = Awaited<ReturnType<typeof startReviewSections>>;
