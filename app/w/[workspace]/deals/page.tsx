import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { dealSorts, getDealFormOptions, listDeals, listDeletedDeals, listPipelines, type DealSort } from "@/lib/deals/queries";
import { dealFiltersSchema } from "@/lib/deals/schema";
import { z } from "@/lib/validation";
import { PageHeader } from "../../../_components/ui";
import { DealTable } from "./_components/deal-table";
import { DealFilterBar } from "./_components/filter-bar";
import { PipelineFilter } from "./_components/pipeline-filter";
import { RecentlyDeleted } from "./_components/recently-deleted";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("deals") };
}

const listSchema = z.object({
  pipelineId: z.uuid().optional().catch(undefined),
  sort: z.enum(Object.keys(dealSorts) as [DealSort, ...DealSort[]]).catch("updated"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** Every deal the member may see, across pipelines: filter, sort, page; and the recently deleted ones. */
export default async function DealsPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "deals.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filters = dealFiltersSchema.parse(raw);
  const list = listSchema.parse(raw);
  const [result, options, pipelines, deleted] = await Promise.all([
    listDeals(ctx, { ...filters, status: filters.status ?? "open", pipelineId: list.pipelineId }, { by: list.sort, dir: list.dir }, list.page),
    getDealFormOptions(ctx),
    listPipelines(ctx, { includeArchived: true }),
    listDeletedDeals(ctx),
  ]);
  const t = await getTranslations("dealTable");
  return (
    <>
      <PageHeader title={t("pageTitle")} description={t("pageDescription", { total: result.total })} />
      <div className="mb-4">
        <DealFilterBar members={options.members}>
          <PipelineFilter pipelines={pipelines.map((p) => ({ id: p.id, name: p.name }))} />
        </DealFilterBar>
      </div>
      <DealTable slug={workspace} rows={result.rows} total={result.total} page={list.page} sort={list.sort} dir={list.dir} showPipeline />
      <RecentlyDeleted slug={workspace} deals={deleted.map((d) => ({ id: d.id, title: d.title, deletedAt: d.deletedAt!.toISOString() }))} />
    </>
  );
}
