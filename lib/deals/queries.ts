import "server-only";
import { aliasedTable, and, asc, count, desc, eq, gte, ilike, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { activities, companies, contacts, dealEvents, deals, memberships, pipelines, stages, users, workspaceOptions } from "@/db/schema";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { initials } from "../format";
import { stageStays, stuckInfo, timeInStages } from "./history";
import type { DealFilters } from "./schema";
import { visibleDeals } from "./scope";
import { customFilterConditions, customSortExpression } from "../custom-fields/filters";
import type { FieldDef } from "../custom-fields/values";
import { nextActivityColumns, nextActivityOf, toNextActivity, type NextActivityDTO } from "../activities/queries";
import { builtInActivityTypes } from "../activities/schema";
import { byValue, weightedOf, type ColumnTotal } from "./board-meta";

export const CARDS_PER_COLUMN = 50;

/** Filter conditions shared by the board, the table and exports. Expects deals joined with stages, contacts, companies. */
export function dealFilterConditions(ctx: Ctx, f: DealFilters, opts: { defaultStatus?: "open" | "all" } = {}): SQL[] {
  const conditions: SQL[] = [visibleDeals(ctx)];
  const status = f.status ?? opts.defaultStatus ?? "open";
  if (status !== "all") conditions.push(eq(deals.status, status));
  if (f.owner) conditions.push(f.owner === "none" ? isNull(deals.ownerId) : eq(deals.ownerId, f.owner === "me" ? ctx.userId : f.owner));
  if (f.closeFrom) conditions.push(gte(deals.expectedCloseDate, f.closeFrom));
  if (f.closeTo) conditions.push(lte(deals.expectedCloseDate, f.closeTo));
  if (f.custom?.length) conditions.push(...customFilterConditions(deals.custom, f.custom));
  if (f.stage) conditions.push(eq(deals.stageId, f.stage));
  if (f.source) conditions.push(eq(deals.source, f.source));
  if (f.lostReason) conditions.push(eq(deals.lostReason, f.lostReason));
  if (f.currency) conditions.push(eq(deals.currency, f.currency));
  if (f.closedFrom) conditions.push(gte(deals.closedAt, new Date(f.closedFrom)));
  if (f.closedTo) conditions.push(lt(deals.closedAt, new Date(f.closedTo)));
  if (f.createdFrom) conditions.push(gte(deals.createdAt, new Date(f.createdFrom)));
  if (f.createdTo) conditions.push(lt(deals.createdAt, new Date(f.createdTo)));
  if (f.openAt) conditions.push(sql`${deals.createdAt} < ${f.openAt}::timestamptz and (${deals.status} = 'open' or ${deals.closedAt} >= ${f.openAt}::timestamptz)`);
  if (f.enteredStage) {
    // advanced: the stage conversion of the review's funnel (lib/reports/review.ts) — a later event, at or after an
    // entry in the range, that is a win or a move into a stage of higher position (moving back is no conversion)
    const advanced = f.advanced
      ? sql` and exists (select 1 from ${dealEvents} x left join ${stages} xs on xs.id = x.to_stage_id
          where x.workspace_id = ${ctx.workspaceId} and x.deal_id = e.deal_id and x.occurred_at >= e.occurred_at
            and (x.type = 'won' or (x.type = 'stage_changed' and xs.position > (select es.position from ${stages} es where es.id = e.to_stage_id))))`
      : sql``;
    conditions.push(
      sql`exists (select 1 from ${dealEvents} e where e.workspace_id = ${ctx.workspaceId} and e.deal_id = ${deals.id} and e.type in ('created', 'stage_changed') and e.to_stage_id = ${f.enteredStage}${f.enteredFrom ? sql` and e.occurred_at >= ${f.enteredFrom}::timestamptz` : sql``}${f.enteredTo ? sql` and e.occurred_at < ${f.enteredTo}::timestamptz` : sql``}${advanced})`,
    );
  }
  if (f.contactCreatedFrom || f.contactCreatedTo) {
    conditions.push(
      sql`exists (select 1 from ${contacts} cc where cc.id = ${deals.contactId} and cc.workspace_id = ${ctx.workspaceId}${f.contactCreatedFrom ? sql` and cc.created_at >= ${f.contactCreatedFrom}::timestamptz` : sql``}${f.contactCreatedTo ? sql` and cc.created_at < ${f.contactCreatedTo}::timestamptz` : sql``})`,
    );
  }
  if (f.noSource) conditions.push(isNull(deals.source));
  if (f.noClose) conditions.push(isNull(deals.expectedCloseDate));
  if (f.slipped) {
    // close-date slippage as the forecast counts it (lib/reports/forecast.ts): a change to a later date
    conditions.push(
      sql`(select count(*) from ${dealEvents} e where e.workspace_id = ${ctx.workspaceId} and e.deal_id = ${deals.id} and e.type = 'close_date_changed'
        and (e.data->>'from') is not null and (e.data->>'to') is not null and (e.data->>'to')::date > (e.data->>'from')::date) >= ${f.slipped}`,
    );
  }
  if (f.leftStage) {
    // The same stays as the time-in-stage figure (lib/reports/review.ts stageFigures): an exit event in the range
    // that follows an entry (created / stage_changed / reopened) in the deal's history.
    const range = sql`${f.leftFrom ? sql` and e.occurred_at >= ${f.leftFrom}::timestamptz` : sql``}${f.leftTo ? sql` and e.occurred_at < ${f.leftTo}::timestamptz` : sql``}`;
    conditions.push(
      sql`exists (select 1 from ${dealEvents} e where e.workspace_id = ${ctx.workspaceId} and e.deal_id = ${deals.id}
        and ((e.type = 'stage_changed' and e.from_stage_id = ${f.leftStage}) or (e.type in ('won', 'lost') and e.to_stage_id = ${f.leftStage}))${range}
        and exists (select 1 from ${dealEvents} p where p.workspace_id = e.workspace_id and p.deal_id = e.deal_id
          and p.type in ('created', 'stage_changed', 'reopened') and (p.occurred_at, p.id) < (e.occurred_at, e.id)))`,
    );
  }
  if (f.sequence) {
    conditions.push(
      sql`exists (select 1 from sequence_enrollments se where se.workspace_id = ${ctx.workspaceId} and se.sequence_id = ${f.sequence}
        and (se.deal_id = ${deals.id} or se.contact_id = ${deals.contactId}) and ${deals.closedAt} > se.enrolled_at${f.enrolledFrom ? sql` and se.enrolled_at >= ${f.enrolledFrom}::timestamptz` : sql``}${f.enrolledTo ? sql` and se.enrolled_at < ${f.enrolledTo}::timestamptz` : sql``})`,
    );
  }
  if (f.firstTouch) {
    // The type of the deal's first completed activity, as the strategy comparison ranks channels.
    const first = (column: SQL) =>
      sql`(select ${column} from ${activities} ft where ft.workspace_id = ${ctx.workspaceId} and ft.deal_id = ${deals.id} and ft.done_at is not null order by ft.done_at asc, ft.id limit 1)`;
    if (f.firstTouch === "none") {
      conditions.push(sql`not exists (select 1 from ${activities} ft where ft.workspace_id = ${ctx.workspaceId} and ft.deal_id = ${deals.id} and ft.done_at is not null)`);
    } else if ((builtInActivityTypes as readonly string[]).includes(f.firstTouch)) {
      conditions.push(sql`${first(sql`ft.type::text`)} = ${f.firstTouch}`);
    } else {
      conditions.push(sql`${first(sql`ft.custom_type_id`)} = ${f.firstTouch}::uuid`);
    }
  }
  if (f.noNext) {
    conditions.push(sql`not exists (select 1 from ${activities} where ${activities.workspaceId} = ${ctx.workspaceId} and ${activities.dealId} = ${deals.id} and ${activities.doneAt} is null)`);
  }
  if (f.ids?.length) conditions.push(inArray(deals.id, f.ids));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(deals.title, like),
        ilike(companies.name, like),
        sql`(${contacts.firstName} || ' ' || ${contacts.lastName}) ilike ${like}`,
      )!,
    );
  }
  if (f.stuck) {
    conditions.push(
      sql`${deals.status} = 'open' and ${stages.rottingDays} is not null and ${deals.stageEnteredAt} < ${ctx.now.toISOString()}::timestamptz - make_interval(days => ${stages.rottingDays})`,
    );
  }
  return conditions;
}

export async function listPipelines(ctx: Ctx, opts: { includeArchived?: boolean } = {}) {
  const openDeals = ctx.db
    .select({ pipelineId: deals.pipelineId, n: count().as("n") })
    .from(deals)
    .where(and(visibleDeals(ctx), eq(deals.status, "open")))
    .groupBy(deals.pipelineId)
    .as("open_deals");
  return ctx.db
    .select({ id: pipelines.id, name: pipelines.name, archivedAt: pipelines.archivedAt, openDeals: sql<number>`coalesce(${openDeals.n}, 0)::int` })
    .from(pipelines)
    .leftJoin(openDeals, eq(openDeals.pipelineId, pipelines.id))
    .where(and(eq(pipelines.workspaceId, ctx.workspaceId), opts.includeArchived ? undefined : isNull(pipelines.archivedAt)))
    .orderBy(asc(pipelines.position), asc(pipelines.createdAt));
}

/** Active pipelines with their first stage: where "move to pipeline" puts a deal. */
export async function listPipelineEntryStages(ctx: Ctx) {
  const rows = await ctx.db
    .selectDistinctOn([pipelines.position, pipelines.id], { pipelineId: pipelines.id, name: pipelines.name, firstStageId: stages.id })
    .from(pipelines)
    .innerJoin(stages, eq(stages.pipelineId, pipelines.id))
    .where(and(eq(pipelines.workspaceId, ctx.workspaceId), isNull(pipelines.archivedAt)))
    .orderBy(asc(pipelines.position), asc(pipelines.id), asc(stages.position));
  return rows;
}

export async function getPipeline(ctx: Ctx, pipelineId: string) {
  // Both reads at once (on PostgreSQL they run on two pooled connections); the stages of another workspace's
  // pipeline are scoped out by their own workspace condition, and an unknown pipeline is refused below.
  const [[pipeline], stageRows] = await Promise.all([
    ctx.db
      .select()
      .from(pipelines)
      .where(and(eq(pipelines.id, pipelineId), eq(pipelines.workspaceId, ctx.workspaceId))),
    ctx.db
      .select({ id: stages.id, name: stages.name, probability: stages.probability, rottingDays: stages.rottingDays, requiredFields: stages.requiredFields, position: stages.position })
      .from(stages)
      .where(and(eq(stages.pipelineId, pipelineId), eq(stages.workspaceId, ctx.workspaceId)))
      .orderBy(asc(stages.position)),
  ]);
  if (!pipeline) throw new AppError("NOT_FOUND");
  return { pipeline, stages: stageRows };
}

export type DealCardDTO = {
  id: string;
  title: string;
  value: number;
  currency: string;
  status: "open" | "won" | "lost";
  ownerId: string | null;
  ownerName: string | null;
  ownerInitials: string | null;
  orgOrPerson: string | null;
  expectedCloseDate: string | null;
  daysInStage: number;
  stuck: boolean;
  position: number;
  /** The deal's next open activity (null: none scheduled — the card warns), flagged when any is overdue. */
  nextActivity: NextActivityDTO | null;
  /** Custom field values by key (the board shows the pipeline's card fields; tables their columns). */
  custom: Record<string, unknown>;
};

/** Per currency: the value, the weighted value, and (board columns) the exact sum of value × probability behind it. */
/**
 * A board card as sent to the browser: what a card shows, nothing it does not (no owner id, position or initials;
 * the initials are derived from the name). Empty and default values are left out rather than sent — each card is
 * repeated in the board's RSC payload, which counts against its 60 KB budget (issue #11): no `currency` when it
 * is the workspace's, no `status` when open, `stuck` and `daysInStage` only for a stuck deal (the board fills the
 * defaults back in when it receives cards).
 */
export type BoardCardDTO = Pick<DealCardDTO, "id" | "title" | "value"> &
  Partial<Pick<DealCardDTO, "currency" | "daysInStage" | "ownerName" | "orgOrPerson" | "expectedCloseDate" | "nextActivity" | "custom">> & {
    status?: "won" | "lost";
    stuck?: true;
  };

function toBoardCard(card: DealCardDTO, workspaceCurrency: string): BoardCardDTO {
  const out: BoardCardDTO = { id: card.id, title: card.title, value: card.value };
  if (card.currency !== workspaceCurrency) out.currency = card.currency;
  if (card.status !== "open") out.status = card.status;
  if (card.stuck) {
    out.stuck = true;
    out.daysInStage = card.daysInStage;
  }
  if (card.ownerName) out.ownerName = card.ownerName;
  if (card.orgOrPerson) out.orgOrPerson = card.orgOrPerson;
  if (card.expectedCloseDate) out.expectedCloseDate = card.expectedCloseDate;
  if (card.nextActivity) out.nextActivity = card.nextActivity;
  if (Object.keys(card.custom).length) out.custom = card.custom;
  return out;
}

export type MoneyTotal = ColumnTotal;
export type ColumnDTO = { id: string; name: string; probability: number; rottingDays: number | null; requiredFields: string[]; count: number; totals: MoneyTotal[]; cards: BoardCardDTO[] };

const cardColumns = {
  id: deals.id,
  title: deals.title,
  value: deals.value,
  currency: deals.currency,
  status: deals.status,
  ownerId: deals.ownerId,
  // aliased: several joined tables have a "name" column, and the board selects from a subquery
  ownerName: sql<string | null>`${users.name}`.as("owner_name"),
  companyName: sql<string | null>`${companies.name}`.as("company_name"),
  contactFirst: contacts.firstName,
  contactLast: contacts.lastName,
  expectedCloseDate: deals.expectedCloseDate,
  stageEnteredAt: deals.stageEnteredAt,
  rottingDays: stages.rottingDays,
  position: deals.position,
  stageId: deals.stageId,
  custom: deals.custom,
  // from the LATERAL join on nextActivityOf (every query selecting cardColumns joins it: withNextActivity)
  ...nextActivityColumns,
};

type CardRow = {
  id: string;
  title: string;
  value: number;
  currency: string;
  status: "open" | "won" | "lost";
  ownerId: string | null;
  ownerName: string | null;
  companyName: string | null;
  contactFirst: string | null;
  contactLast: string | null;
  expectedCloseDate: string | null;
  stageEnteredAt: Date;
  rottingDays: number | null;
  position: number;
  stageId: string;
  custom: Record<string, unknown>;
} & Parameters<typeof toNextActivity>[0];

function toCard(row: CardRow, now: Date, customKeys?: readonly string[]): DealCardDTO {
  const { days, stuck } = stuckInfo(row.stageEnteredAt, row.rottingDays, now);
  const person = row.contactFirst ? `${row.contactFirst} ${row.contactLast ?? ""}`.trim() : null;
  return {
    id: row.id,
    title: row.title,
    value: row.value,
    currency: row.currency,
    status: row.status,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    ownerInitials: row.ownerName ? initials(row.ownerName) : null,
    orgOrPerson: row.companyName ?? person,
    expectedCloseDate: row.expectedCloseDate,
    daysInStage: days,
    stuck: row.status === "open" && stuck,
    position: row.position,
    nextActivity: toNextActivity(row),
    custom: customKeys ? Object.fromEntries(customKeys.filter((k) => row.custom?.[k] !== undefined).map((k) => [k, row.custom[k]])) : (row.custom ?? {}),
  };
}

/** The next-activity lateral for card queries (all-day activities count as overdue from the workspace's next day). */
const withNextActivity = (ctx: Ctx) => [nextActivityOf(ctx, ctx.workspace.timeZone, deals.id), sql`true`] as const;

function baseDealQuery<T extends Record<string, unknown>>(ctx: Ctx, columns: T) {
  return ctx.db
    .select(columns as never)
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .leftJoin(companies, eq(companies.id, deals.companyId));
}

/**
 * How many cards each column renders on first paint. The board's HTML and DOM must stay within a fixed budget
 * whatever the number of deals (issue #11: ≤ 60 KB, ≤ 1,400 nodes), so the budget is shared by the columns; a
 * column loads the rest as it is scrolled (≤ CARDS_PER_COLUMN per fetch).
 */
export const FIRST_PAINT_CARDS = 30;
export const firstPaintPerColumn = (stageCount: number) => Math.max(3, Math.min(12, Math.floor(FIRST_PAINT_CARDS / Math.max(1, stageCount))));


/**
 * The board: the pipeline's stages with, per column, the count and totals of all matching deals (aggregated in
 * SQL) and only the first `perColumn` cards: their ids are ranked over the filtered deals (a window function),
 * then the cards are read for those ids alone — the next-activity lateral runs for the kept cards, not for all
 * 10,000 open deals. Card custom values are limited to the pipeline's card fields (what a card shows).
 */
export async function getBoard(ctx: Ctx, pipelineId: string, filters: DealFilters, perColumn?: number) {
  // The cards per column follow the pipeline's number of stages (firstPaintPerColumn, here in SQL), so the
  // pipeline, the column totals and the first cards' ids are read at once.
  const limit =
    perColumn ??
    sql<number>`greatest(3, least(12, ${FIRST_PAINT_CARDS} / greatest(1, (select count(*) from ${stages} where ${stages.pipelineId} = ${pipelineId} and ${stages.workspaceId} = ${ctx.workspaceId}))::int))`;
  const where = and(eq(deals.pipelineId, pipelineId), ...dealFilterConditions(ctx, filters));
  // The column totals and the first cards' ids are independent: they run at once (on PostgreSQL, on pooled
  // connections of their own — the two aggregates over the pipeline's deals are most of the board's SQL time).
  const totalsQuery = baseDealQuery(ctx, {
    stageId: deals.stageId,
    currency: deals.currency,
    n: sql<number>`count(*)::int`,
    value: sql<string>`coalesce(sum(${deals.value}), 0)::text`,
    weightedRaw: sql<string>`coalesce(sum(${deals.value} * ${stages.probability}), 0)::text`,
  })
    .where(where)
    .groupBy(deals.stageId, deals.currency);

  const ranked = ctx.db
    .select({ id: deals.id, rn: sql<number>`row_number() over (partition by ${deals.stageId} order by ${deals.position}, ${deals.createdAt}, ${deals.id})`.as("rn") })
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .where(where)
    .as("ranked");
  const [{ pipeline, stages: stageRows }, totals, kept] = (await Promise.all([
    getPipeline(ctx, pipelineId),
    totalsQuery,
    ctx.db.select({ id: ranked.id }).from(ranked).where(lte(ranked.rn, limit)),
  ])) as unknown as [
    Awaited<ReturnType<typeof getPipeline>>,
    { stageId: string; currency: string; n: number; value: string; weightedRaw: string }[],
    { id: string }[],
  ];
  const cardRows = kept.length
    ? ((await baseDealQuery(ctx, cardColumns)
        .leftJoinLateral(...withNextActivity(ctx))
        .where(and(visibleDeals(ctx), inArray(deals.id, kept.map((r) => r.id))))
        .orderBy(asc(deals.position), asc(deals.createdAt), asc(deals.id))) as unknown as CardRow[])
    : [];

  const columns: ColumnDTO[] = stageRows.map((s) => {
    const mine = totals.filter((t) => t.stageId === s.id);
    return {
      id: s.id,
      name: s.name,
      probability: s.probability,
      rottingDays: s.rottingDays,
      requiredFields: s.requiredFields,
      count: mine.reduce((n, t) => n + t.n, 0),
      totals: mine.map((t) => ({ currency: t.currency, n: t.n, value: Number(t.value), weighted: weightedOf(Number(t.weightedRaw)), weightedRaw: Number(t.weightedRaw) })).sort(byValue),
      cards: cardRows.filter((c) => c.stageId === s.id).map((c) => toBoardCard(toCard(c, ctx.now, pipeline.cardFields), ctx.workspace.currency)),
    };
  });
  // the pipeline's summary is added up from the columns where it is shown (boardTotals), so it follows moves
  return { pipeline: { id: pipeline.id, name: pipeline.name, archivedAt: pipeline.archivedAt, cardFields: pipeline.cardFields }, columns };
}

/** The next page of one column's cards ("show more"). */
export async function listStageCards(ctx: Ctx, stageId: string, filters: DealFilters, offset: number, limit = CARDS_PER_COLUMN, customKeys?: readonly string[]) {
  const order = [asc(deals.position), asc(deals.createdAt), asc(deals.id)];
  const page = (await baseDealQuery(ctx, { id: deals.id })
    .where(and(eq(deals.stageId, stageId), ...dealFilterConditions(ctx, filters)))
    .orderBy(...order)
    .offset(offset)
    .limit(limit)) as unknown as { id: string }[];
  if (page.length === 0) return [];
  // the page's ids first, then its cards: the next-activity lateral runs for these deals only
  const rows = (await baseDealQuery(ctx, cardColumns)
    .leftJoinLateral(...withNextActivity(ctx))
    .where(and(visibleDeals(ctx), inArray(deals.id, page.map((r) => r.id))))
    .orderBy(...order)) as unknown as CardRow[];
  return rows.map((r) => toBoardCard(toCard(r, ctx.now, customKeys), ctx.workspace.currency));
}

export const dealSorts = {
  title: deals.title,
  value: deals.value,
  stage: stages.position,
  owner: users.name,
  close: deals.expectedCloseDate,
  created: deals.createdAt,
  updated: deals.updatedAt,
} as const;
export type DealSort = keyof typeof dealSorts;

/**
 * The tables a deals list needs joined to `deals` for its filters and sort: `q` matches company and contact
 * names, `stuck` reads the stage's rotting days, sorting by stage or owner orders by their columns. Every other
 * condition of dealFilterConditions reads `deals` alone (or a correlated subquery). Keep the two in step: a
 * condition on a table left out here fails with "missing FROM-clause entry" (tests/integration/deal-list-filters).
 */
export function dealListJoins(f: DealFilters, sortBy?: DealSort): { stages: boolean; users: boolean; contacts: boolean; companies: boolean } {
  return { stages: Boolean(f.stuck) || sortBy === "stage", users: sortBy === "owner", contacts: Boolean(f.q), companies: Boolean(f.q) };
}

/**
 * `deals` with only the joins a list's filters and sort need (dealListJoins), for the page's ids and the count.
 * Unneeded left joins the planner would drop by itself, but not the inner join on stages (it cannot know every
 * deal has one); without it the default page is read in index order (deals_ws_updated_idx) and stops after
 * 50 rows, and the count reads `deals` alone.
 */
function dealListQuery<T extends Record<string, unknown>>(ctx: Ctx, columns: T, joins: ReturnType<typeof dealListJoins>) {
  let q = ctx.db.select(columns as never).from(deals).$dynamic();
  if (joins.stages) q = q.innerJoin(stages, eq(stages.id, deals.stageId));
  if (joins.users) q = q.leftJoin(users, eq(users.id, deals.ownerId));
  if (joins.contacts) q = q.leftJoin(contacts, eq(contacts.id, deals.contactId));
  if (joins.companies) q = q.leftJoin(companies, eq(companies.id, deals.companyId));
  return q;
}

export type DealListSort = { by: DealSort; dir: "asc" | "desc"; customField?: FieldDef };

/**
 * The two statements behind a page of the deals list, not yet run: the page's ids in order and the total count
 * of the filtered deals. Exported for the plan test (tests/integration/deal-list-filters.test.ts).
 */
export function dealListStatements(ctx: Ctx, filters: DealFilters & { pipelineId?: string }, sort: DealListSort, page: number, pageSize: number) {
  const where = and(...dealFilterConditions(ctx, filters, { defaultStatus: "all" }), filters.pipelineId ? eq(deals.pipelineId, filters.pipelineId) : undefined);
  // a custom field sorts by its stored value, empty values last either way
  const order = sort.customField
    ? sql`${customSortExpression(deals.custom, sort.customField)} ${sort.dir === "asc" ? sql`asc` : sql`desc`} nulls last`
    : sort.dir === "asc"
      ? asc(dealSorts[sort.by])
      : desc(dealSorts[sort.by]);
  // The tie-breaker follows the direction, so the default order (updated, desc) is read from deals_ws_updated_idx
  // forwards and its ascending twin backwards, with no sort.
  const tieBreak = !sort.customField && sort.dir === "asc" ? asc(deals.id) : desc(deals.id);
  return {
    pageIds: dealListQuery(ctx, { id: deals.id }, dealListJoins(filters, sort.customField ? undefined : sort.by))
      .where(where)
      .orderBy(order, tieBreak)
      .offset((page - 1) * pageSize)
      .limit(pageSize),
    count: dealListQuery(ctx, { n: sql<number>`count(*)::int` }, dealListJoins(filters)).where(where),
  };
}

/** The table view and the deals list: filtered, sorted, paginated, with the total count. */
export async function listDeals(ctx: Ctx, filters: DealFilters & { pipelineId?: string }, sort: DealListSort = { by: "updated", dir: "desc" }, page = 1, pageSize = 50) {
  const statements = dealListStatements(ctx, filters, sort, page, pageSize);
  // The page's ids first, then its cards: the next-activity lateral runs for these 50 deals, not for every deal
  // the filter matches (PostgreSQL cannot push a LIMIT below a lateral join).
  const ids = ((await statements.pageIds) as unknown as { id: string }[]).map((r) => r.id);
  // A page that is not full is the last one, so the total is known without counting (a rare value, a small
  // workspace); otherwise the count runs beside the cards.
  const offset = (page - 1) * pageSize;
  const counted = ids.length < pageSize && (ids.length > 0 || page === 1) ? offset + ids.length : null;
  const [unordered, total] = await Promise.all([
    ids.length
      ? baseDealQuery(ctx, { ...cardColumns, stageName: stages.name, pipelineName: pipelines.name, createdAt: deals.createdAt, probability: stages.probability })
          .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
          .leftJoinLateral(...withNextActivity(ctx))
          .where(and(visibleDeals(ctx), inArray(deals.id, ids)))
      : [],
    counted ?? statements.count.then((r) => (r as unknown as { n: number }[])[0]!.n),
  ]);
  const position = new Map(ids.map((id, i) => [id, i]));
  const rows = [...(unordered as unknown as { id: string }[])].sort((x, y) => position.get(x.id)! - position.get(y.id)!);
  type Row = CardRow & { stageName: string; pipelineName: string; createdAt: Date; probability: number };
  return {
    total,
    rows: (rows as unknown as Row[]).map((r) => ({ ...toCard(r, ctx.now), stageName: r.stageName, pipelineName: r.pipelineName, createdAt: r.createdAt, probability: r.probability })),
  };
}

/** The workspace's pipelines by name, archived too (the deals list's pipeline filter): no deal counts. */
/** Pipelines' ids and names in board order (archived ones too unless `activeOnly`), without counting deals. */
export async function listPipelineNames(ctx: Ctx, opts: { activeOnly?: boolean } = {}) {
  return ctx.db
    .select({ id: pipelines.id, name: pipelines.name })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, ctx.workspaceId), opts.activeOnly ? isNull(pipelines.archivedAt) : undefined))
    .orderBy(asc(pipelines.position), asc(pipelines.createdAt));
}

const actor = aliasedTable(users, "actor");
const fromStage = aliasedTable(stages, "from_stage");
const toStage = aliasedTable(stages, "to_stage");

/** Everything the deal page shows: the deal, its pipeline's stages with time spent in each, parties, history. */
export async function getDeal(ctx: Ctx, dealId: string) {
  const [row] = await ctx.db
    .select({
      deal: deals,
      stageName: stages.name,
      probability: stages.probability,
      rottingDays: stages.rottingDays,
      pipelineName: pipelines.name,
      owner: { id: users.id, name: users.name, email: users.email },
      contact: { id: contacts.id, firstName: contacts.firstName, lastName: contacts.lastName, email: contacts.email, phone: contacts.phone, lifecycle: contacts.lifecycle, score: contacts.score },
      company: { id: companies.id, name: companies.name, domain: companies.domain },
    })
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    .leftJoin(contacts, eq(contacts.id, deals.contactId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .where(and(eq(deals.id, dealId), visibleDeals(ctx)));
  if (!row) throw new AppError("NOT_FOUND");
  const [pipelineStages, events] = await Promise.all([
    ctx.db
      .select({ id: stages.id, name: stages.name, probability: stages.probability })
      .from(stages)
      .where(and(eq(stages.pipelineId, row.deal.pipelineId), eq(stages.workspaceId, ctx.workspaceId)))
      .orderBy(asc(stages.position)),
    ctx.db
      .select({
        id: dealEvents.id,
        type: dealEvents.type,
        fromStageId: dealEvents.fromStageId,
        toStageId: dealEvents.toStageId,
        fromStageName: fromStage.name,
        toStageName: toStage.name,
        data: dealEvents.data,
        occurredAt: dealEvents.occurredAt,
        actorName: actor.name,
      })
      .from(dealEvents)
      .leftJoin(actor, eq(actor.id, dealEvents.actorId))
      .leftJoin(fromStage, eq(fromStage.id, dealEvents.fromStageId))
      .leftJoin(toStage, eq(toStage.id, dealEvents.toStageId))
      .where(and(eq(dealEvents.dealId, dealId), eq(dealEvents.workspaceId, ctx.workspaceId)))
      .orderBy(desc(dealEvents.occurredAt), desc(dealEvents.id)),
  ]);
  const stays = stageStays(events, row.deal.closedAt ?? ctx.now);
  const spent = timeInStages(stays);
  const { days, stuck } = stuckInfo(row.deal.stageEnteredAt, row.rottingDays, ctx.now);
  return {
    ...row,
    owner: row.owner?.id ? row.owner : null,
    contact: row.contact?.id ? row.contact : null,
    company: row.company?.id ? row.company : null,
    daysInStage: days,
    stuck: row.deal.status === "open" && stuck,
    stages: pipelineStages.map((s) => ({ ...s, ms: spent.get(s.id) ?? 0 })),
    events,
  };
}

/** Pick lists for forms: members (owners), sources and lost reasons. */
export async function getDealFormOptions(ctx: Ctx) {
  const [members, options] = await Promise.all([
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, ctx.workspaceId))
      .orderBy(asc(users.name)),
    ctx.db
      .select({ kind: workspaceOptions.kind, label: workspaceOptions.label })
      .from(workspaceOptions)
      .where(eq(workspaceOptions.workspaceId, ctx.workspaceId))
      .orderBy(asc(workspaceOptions.position), asc(workspaceOptions.label)),
  ]);
  return {
    members,
    sources: options.filter((o) => o.kind === "deal_source").map((o) => o.label),
    lostReasons: options.filter((o) => o.kind === "lost_reason").map((o) => o.label),
  };
}

/** Soft-deleted deals still inside the restore window (the "recently deleted" list). */
export async function listDeletedDeals(ctx: Ctx, windowDays = 30) {
  const cutoff = new Date(ctx.now.getTime() - windowDays * 86_400_000);
  return ctx.db
    .select({ id: deals.id, title: deals.title, deletedAt: deals.deletedAt, value: deals.value, currency: deals.currency })
    .from(deals)
    .where(and(visibleDeals(ctx, { includeDeleted: true }), sql`${deals.deletedAt} > ${cutoff.toISOString()}::timestamptz`))
    .orderBy(desc(deals.deletedAt))
    .limit(100);
}


