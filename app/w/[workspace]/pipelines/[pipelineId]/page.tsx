import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getBoard, getDealFormOptions, listDeals, listPipelineNames } from "@/lib/deals/queries";
import { dealFiltersSchema } from "@/lib/deals/schema";
import { z } from "@/lib/validation";
import { listCustomFields, toFieldDef } from "@/lib/custom-fields/queries";
import { Board } from "./_components/board";
import { BoardMetaProvider, BoardSummary } from "./_components/board-meta";
import { BoardOptionsProvider } from "./_components/board-options";
import { packCard } from "./_components/card-wire";
import { BoardToolbar } from "./_components/toolbar";
import { DealTable } from "../../deals/_components/deal-table";
import { readDealListParams } from "../../deals/_components/custom-params";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("pipelines") };
}

const pipelineIdSchema = z.uuid();

const viewSchema = z.object({
  view: z.enum(["board", "table"]).catch("board"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export default async function PipelineBoardPage({ params, searchParams }: { params: Promise<{ workspace: string; pipelineId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { workspace, pipelineId } = await params;
  if (!pipelineIdSchema.safeParse(pipelineId).success) notFound();
  const ctx = await requireMember(workspace, "deals.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsedFilters = dealFiltersSchema.parse(raw);
  const view = viewSchema.parse(raw);
  const loadBoard = (filters: Parameters<typeof getBoard>[2]) =>
    getBoard(ctx, pipelineId, filters).catch((error: unknown) => {
      if (isAppError(error) && error.code === "NOT_FOUND") notFound();
      throw error;
    });
  // Custom-field filters need the field definitions; without them (the usual board) the board's queries start
  // at once, beside the pick lists' (on PostgreSQL they run on separate pooled connections).
  const customFilterAsked = Object.entries(raw).some(([key, value]) => key.startsWith("cf.") && value);
  const [pipelinesList, dealFields, early] = await Promise.all([
    listPipelineNames(ctx, { activeOnly: true }),
    listCustomFields(ctx, "deal"),
    customFilterAsked ? null : loadBoard({ ...parsedFilters, custom: [] }),
  ]);
  // one array passed to every client component: the RSC payload serializes a shared object once
  const fieldDefs = dealFields.map(toFieldDef);
  const listParams = readDealListParams(raw, fieldDefs);
  const filters = { ...parsedFilters, custom: listParams.custom };
  const board = early ?? (await loadBoard(filters));
  const table = view.view === "table" ? await listDeals(ctx, { ...filters, status: filters.status ?? "open", pipelineId }, { by: listParams.sort, dir: view.dir, customField: listParams.sortField }, view.page) : null;
  const cardFields = board.pipeline.cardFields.map((key) => fieldDefs.find((f) => f.key === key)).filter((f) => f !== undefined);
  // The dialogs' and menus' pick lists load on demand (BoardOptionsProvider). Members are sent with the page only
  // where the first paint shows a name from them: a filtered owner, a "user" field on cards or filters, the table.
  const firstPaintMembers = table || (filters.owner && filters.owner !== "me" && filters.owner !== "none") || fieldDefs.some((f) => f.type === "user");
  const members = firstPaintMembers ? (await getDealFormOptions(ctx)).members : [];
  // One array for the meta provider and the board: the RSC payload sends it once and refers to it the second time.
  const columns = board.columns.map((c) => ({ id: c.id, name: c.name, probability: c.probability, count: c.count, totals: c.totals, cards: c.cards.map(packCard) }));
  const pipelines = pipelinesList.map((p) => ({ id: p.id, name: p.name }));
  return (
    <BoardMetaProvider columns={columns}>
    <BoardOptionsProvider slug={workspace} pipelineId={pipelineId}>
      {/* the board view fills the window below the toolbar (globals.css .pw-board-page); the table scrolls the page */}
      <div className={table ? undefined : "pw-board-page"}>
        <BoardToolbar
          slug={workspace}
          filterFields={table ? fieldDefs : fieldDefs.filter((f) => f.type === "single_select" || f.type === "multi_select" || f.type === "checkbox" || f.type === "user")}
          pipelineId={board.pipeline.id}
          pipelines={pipelines}
          members={members}
          currency={ctx.workspace.currency}
          view={view.view}
          summary={<BoardSummary currency={ctx.workspace.currency} />}
        />
        {table ? (
          <DealTable slug={workspace} rows={table.rows} total={table.total} page={view.page} sort={listParams.sortParam} dir={view.dir} showPipeline={false} columns={listParams.columns} members={members} />
        ) : (
          <Board
            slug={workspace}
            pipelineId={pipelineId}
            columns={columns}
            filters={filters}
            currency={ctx.workspace.currency}
            cardFields={cardFields}
            members={cardFields.some((f) => f.type === "user") ? members : []}
          />
        )}
      </div>
    </BoardOptionsProvider>
    </BoardMetaProvider>
  );
}
