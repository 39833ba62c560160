import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { getDealFormOptions, listDeals, listDeletedDeals, listPipelines } from "@/lib/deals/queries";
import { dealFiltersSchema } from "@/lib/deals/schema";
import { z } from "@/lib/validation";
import { PageHeader } from "../../../_components/ui";
import { ExportMenu } from "../exports/_components/export-menu";
import { DealTable } from "./_components/deal-table";
import { DealFilterBar } from "./_components/filter-bar";
import { PipelineFilter } from "./_components/pipeline-filter";
import { RecentlyDeleted } from "./_components/recently-deleted";
import { ColumnChooser, CustomFieldFilters } from "./_components/custom-filters";
import { readDealListParams } from "./_components/custom-params";
import { listCustomFields, toFieldDef } from "@/lib/custom-fields/queries";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("deals") };
}

const listSchema = z.object({
  pipelineId: z.uuid().optional().catch(undefined),
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
  const fields = (await listCustomFields(ctx, "deal")).map(toFieldDef);
  const custom = readDealListParams(raw, fields);
  const [result, options, pipelines, deleted] = await Promise.all([
    listDeals(ctx, { ...filters, custom: custom.custom, status: filters.status ?? "open", pipelineId: list.pipelineId }, { by: custom.sort, dir: list.dir, customField: custom.sortField }, list.page),
    getDealFormOptions(ctx),
    listPipelines(ctx, { includeArchived: true }),
    listDeletedDeals(ctx),
  ]);
  const t = await getTranslations("dealTable");
  const tReports = await getTranslations("reports");
  // reached from a report figure: say so, since these filters are not in the filter bar
  const drillDown = ["stage", "source", "lostReason", "currency", "closedFrom", "closedTo", "createdFrom", "createdTo", "enteredStage", "contactCreatedFrom", "contactCreatedTo", "noNext", "ids"].some((k) => raw[k]);
  return (
    <>
      <PageHeader
        title={t("pageTitle")}
        description={t("pageDescription", { total: result.total })}
        actions={<ExportMenu slug={workspace} entity="deals" query={{ ...raw, status: filters.status ?? "open" }} />}
      />
      <div className="mb-4">
        <DealFilterBar members={options.members}>
          <PipelineFilter pipelines={pipelines.map((p) => ({ id: p.id, name: p.name }))} />
          <CustomFieldFilters fields={fields} members={options.members} />
          <ColumnChooser fields={fields} />
        </DealFilterBar>
      </div>
      {drillDown ? (
        <p className="mb-3 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-zinc-700">
          {tReports("drillDown.note")}{" "}
          <Link href={`/w/${workspace}/deals`} className="font-medium text-brand-700 underline">
            {tReports("drillDown.clear")}
          </Link>
        </p>
      ) : null}
      <DealTable slug={workspace} rows={result.rows} total={result.total} page={list.page} sort={custom.sortParam} dir={list.dir} showPipeline columns={custom.columns} members={options.members} />
      <RecentlyDeleted slug={workspace} deals={deleted.map((d) => ({ id: d.id, title: d.title, deletedAt: d.deletedAt!.toISOString() }))} />
    </>
  );
}
