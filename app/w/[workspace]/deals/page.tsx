import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { getDealFormOptions, listDeals, listDeletedDeals, listPipelineNames } from "@/lib/deals/queries";
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
import { dealFilterNames } from "@/lib/deals/filter-labels";
import type { Ctx } from "@/lib/context";
import { DrillChips, hrefWithout, localRange, type DrillChip } from "../reports/_components/drill-chips";

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
  // All started together (on PostgreSQL each on its own connection); only the list waits for the custom fields,
  // which say how to read the cf.<key> filters and the sort.
  const listed = listCustomFields(ctx, "deal").then(async (rows) => {
    const fields = rows.map(toFieldDef);
    const custom = readDealListParams(raw, fields);
    const result = await listDeals(ctx, { ...filters, custom: custom.custom, status: filters.status ?? "open", pipelineId: list.pipelineId }, { by: custom.sort, dir: list.dir, customField: custom.sortField }, list.page);
    return { fields, custom, result };
  });
  const [{ fields, custom, result }, options, pipelines, deleted] = await Promise.all([listed, getDealFormOptions(ctx), listPipelineNames(ctx), listDeletedDeals(ctx)]);
  const t = await getTranslations("dealTable");
  const tReports = await getTranslations("reports");
  // reached from a report figure: say why the list is filtered, since these filters are not in the filter bar
  const chips = await drillDownChips(ctx, filters, raw, `/w/${workspace}/deals`);
  return (
    <>
      <PageHeader
        title={t("pageTitle")}
        description={t("pageDescription", { total: result.total })}
        actions={<ExportMenu slug={workspace} entity="deals" query={{ ...raw, status: filters.status ?? "open" }} />}
      />
      <div className="mb-4">
        <DealFilterBar members={options.members}>
          <PipelineFilter pipelines={pipelines} />
          <CustomFieldFilters fields={fields} members={options.members} />
          <ColumnChooser fields={fields} />
        </DealFilterBar>
      </div>
      <DrillChips
        note={tReports("drillDown.note")}
        chips={chips}
        clearHref={`/w/${workspace}/deals`}
        clearLabel={tReports("drillDown.clear")}
        removeLabel={(label) => tReports("drillDown.remove", { label })}
      />
      <DealTable slug={workspace} rows={result.rows} total={result.total} page={list.page} sort={custom.sortParam} dir={list.dir} showPipeline columns={custom.columns} members={options.members} />
      <RecentlyDeleted slug={workspace} deals={deleted.map((d) => ({ id: d.id, title: d.title, deletedAt: d.deletedAt!.toISOString() }))} />
    </>
  );
}

/**
 * One chip per drill-down filter (the ones a report figure links with; the filter bar shows the others), each
 * naming what it keeps — stage and sequence names, dates in the workspace's time zone — in the member's language.
 */
async function drillDownChips(ctx: Ctx, f: z.output<typeof dealFiltersSchema>, raw: Record<string, string | undefined>, pathname: string): Promise<DrillChip[]> {
  const t = await getTranslations("reports.drillDown");
  const tTypes = await getTranslations("activities.types");
  const locale = await getLocale();
  const names = await dealFilterNames(ctx, f);
  const range = (from?: string, to?: string) => {
    const r = localRange(from, to, ctx.workspace.timeZone, locale);
    return r.from && r.to ? t("rangeBoth", { from: r.from, to: r.to }) : r.from ? t("rangeFrom", { from: r.from }) : t("rangeTo", { to: r.to ?? "" });
  };
  const stage = (id: string) => names.stage(id) ?? t("unknown");
  const chips: DrillChip[] = [];
  const add = (key: string, label: string, params: string[]) => chips.push({ key, label, removeHref: hrefWithout(pathname, raw, [...params, "page"]) });
  if (f.owner === "none") add("owner", t("ownerNone"), ["owner"]);
  if (f.stage) add("stage", t("stage", { stage: stage(f.stage) }), ["stage"]);
  if (f.enteredStage) add("entered", t(f.advanced ? "enteredAdvanced" : "entered", { stage: stage(f.enteredStage), range: range(f.enteredFrom, f.enteredTo) }), ["enteredStage", "enteredFrom", "enteredTo", "advanced"]);
  if (f.leftStage) add("left", t("left", { stage: stage(f.leftStage), range: range(f.leftFrom, f.leftTo) }), ["leftStage", "leftFrom", "leftTo"]);
  if (f.closedFrom || f.closedTo) add("closed", t("closed", { range: range(f.closedFrom, f.closedTo) }), ["closedFrom", "closedTo"]);
  if (f.createdFrom || f.createdTo) add("created", t("created", { range: range(f.createdFrom, f.createdTo) }), ["createdFrom", "createdTo"]);
  if (f.openAt) add("openAt", t("openAt", { date: localRange(undefined, f.openAt, ctx.workspace.timeZone, locale).to ?? "" }), ["openAt"]);
  if (f.contactCreatedFrom || f.contactCreatedTo) add("contactCreated", t("contactCreated", { range: range(f.contactCreatedFrom, f.contactCreatedTo) }), ["contactCreatedFrom", "contactCreatedTo"]);
  if (f.source) add("source", t("source", { source: f.source }), ["source"]);
  if (f.noSource) add("noSource", t("noSource"), ["noSource"]);
  if (f.lostReason) add("lostReason", t("lostReason", { reason: f.lostReason }), ["lostReason"]);
  if (f.currency) add("currency", t("currency", { currency: f.currency }), ["currency"]);
  if (f.sequence) add("sequence", t("sequence", { sequence: names.sequence ?? t("unknown"), range: range(f.enrolledFrom, f.enrolledTo) }), ["sequence", "enrolledFrom", "enrolledTo"]);
  if (f.firstTouch) {
    const type = f.firstTouch === "none" ? null : tTypes.has(f.firstTouch) ? tTypes(f.firstTouch) : (names.customType ?? t("unknown"));
    add("firstTouch", type === null ? t("firstTouchNone") : t("firstTouch", { type }), ["firstTouch"]);
  }
  if (f.noClose) add("noClose", t("noClose"), ["noClose"]);
  if (f.slipped) add("slipped", t("slipped", { count: f.slipped }), ["slipped"]);
  if (f.noNext) add("noNext", t("noNext"), ["noNext"]);
  if (f.ids?.length) add("ids", t("ids", { count: f.ids.length }), ["ids"]);
  return chips;
}
