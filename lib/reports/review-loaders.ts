import "server-only";
import type { Ctx } from "../context";
import type { Period } from "./period";
import { loadReviewActivity, loadReviewFunnel, loadReviewKpis, loadReviewWonLost, resolveReview, reviewPipelines } from "./review";
import type { ReportFilters } from "./scope";

/** Handled for Node (no unhandled-rejection warning) while still rejecting for whoever awaits it. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * The review's sections as separate promises, all started at once, so the page can stream each in its own
 * <Suspense>: the per-section loaders `pipelineReview` composes for the export, API and monthly pack, with the
 * same resolved scope (tests/integration/reports-drilldown.test.ts checks both give identical figures). Throws
 * NOT_FOUND for a pipeline that is not this workspace's before anything streams.
 */
export async function startReviewSections(ctx: Ctx, input: ReportFilters & { period: Period }) {
  const [scope, pipelines] = await Promise.all([resolveReview(ctx, input), reviewPipelines(ctx)]);
  const kpiSection = quiet(loadReviewKpis(ctx, scope));
  return {
    period: scope.period,
    previousPeriod: scope.previousPeriod,
    filters: scope.filters,
    currency: ctx.workspace.currency,
    pipelines,
    stagePipelineId: scope.stagePipelineId,
    current: quiet(kpiSection.then((k) => k.current)),
    kpis: quiet(kpiSection.then((k) => k.kpis)),
    accuracy: quiet(kpiSection.then((k) => k.accuracy)),
    stages: quiet(loadReviewFunnel(ctx, scope)),
    wonLost: quiet(loadReviewWonLost(ctx, scope)),
    activity: quiet(loadReviewActivity(ctx, scope)),
  };
}

export type ReviewSections = Awaited<ReturnType<typeof startReviewSections>>;
