import "server-only";
import { and, asc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { companies, contacts, dealEvents, deals, pipelines, stages, users } from "@/db/schema";
import type { Ctx } from "../context";
import { dealFilterConditions } from "../deals/queries";
import type { DealFilters } from "../deals/schema";
import { minorToInput } from "../format";
import { dealFields } from "../imports/fields";
import { PIPELINE_STAGE_SEPARATOR } from "../imports/rows";
import { formatDateTime, wallDate } from "../spreadsheets/dates";
import type { CellValue, Column } from "../spreadsheets/write";
import type { CustomCells } from "./custom";
import type { Translate } from "./types";

const PAGE = 1000;

/**
 * The deals export: the columns of the pipeline template (so a file exported here imports back as it was,
 * history dates included) plus the deal's id. Rows are the deals list's rows — same filters through
 * dealFilterConditions, so visibility (reps limited to their own deals) and the current filters apply —
 * read a page at a time in creation order.
 */
export function dealColumns(t: Translate): Column[] {
  const type: Partial<Record<(typeof dealFields)[number], Column["type"]>> = { value: "decimal", expectedCloseDate: "date", createdAt: "datetime", closedAt: "datetime" };
  return [
    ...dealFields.map((f) => ({ header: t(`imports.fields.deals.${f}`), type: type[f] ?? "text", width: f === "notes" || f === "stageHistory" ? 40 : undefined })),
    { header: t("exports.columns.id"), type: "text" as const, width: 38 },
  ];
}

export type DealExportFilters = DealFilters & { pipelineId?: string };

export async function* dealRows(ctx: Ctx, filters: DealExportFilters, t: Translate, customCells: CustomCells = () => []): AsyncGenerator<CellValue[]> {
  const tz = ctx.workspace.timeZone;
  const stageList = await ctx.db
    .select({ id: stages.id, name: stages.name, pipelineId: stages.pipelineId, pipelineName: pipelines.name })
    .from(stages)
    .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId))
    .where(eq(stages.workspaceId, ctx.workspaceId));
  const stageById = new Map(stageList.map((s) => [s.id, s]));
  const where = and(...dealFilterConditions(ctx, filters, { defaultStatus: "open" }), filters.pipelineId ? eq(deals.pipelineId, filters.pipelineId) : undefined);
  type Cursor = { createdAt: Date; id: string };
  const readPage = (cursor: Cursor | null) => {
    const after: SQL | undefined = cursor
      ? or(gt(deals.createdAt, cursor.createdAt), and(eq(deals.createdAt, cursor.createdAt), sql`${deals.id} > ${cursor.id}`))
      : undefined;
    return ctx.db
      .select({
        id: deals.id,
        title: deals.title,
        value: deals.value,
        currency: deals.currency,
        pipelineId: deals.pipelineId,
        pipelineName: pipelines.name,
        stageName: stages.name,
        status: deals.status,
        ownerEmail: users.email,
        contactFirst: contacts.firstName,
        contactLast: contacts.lastName,
        contactEmail: contacts.email,
        contactPhone: contacts.phone,
        companyName: companies.name,
        source: deals.source,
        expectedCloseDate: deals.expectedCloseDate,
        createdAt: deals.createdAt,
        closedAt: deals.closedAt,
        lostReason: deals.lostReason,
        notes: deals.notes,
        custom: deals.custom,
      })
      .from(deals)
      .innerJoin(stages, eq(stages.id, deals.stageId))
      .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
      .leftJoin(users, eq(users.id, deals.ownerId))
      .leftJoin(contacts, eq(contacts.id, deals.contactId))
      .leftJoin(companies, eq(companies.id, deals.companyId))
      .where(
        and(
          where,
          after,
        ),
      )
      .orderBy(asc(deals.createdAt), asc(deals.id))
      .limit(PAGE);
  };
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await readPage(cursor);
    if (page.length === 0) return;
    const last = page.at(-1)!;
    cursor = { createdAt: last.createdAt, id: last.id };

    const events = await ctx.db
      .select({ dealId: dealEvents.dealId, toStageId: dealEvents.toStageId, occurredAt: dealEvents.occurredAt })
      .from(dealEvents)
      .where(
        and(
          eq(dealEvents.workspaceId, ctx.workspaceId),
          inArray(
            dealEvents.dealId,
            page.map((d) => d.id),
          ),
          inArray(dealEvents.type, ["created", "stage_changed"]),
        ),
      )
      .orderBy(asc(dealEvents.dealId), asc(dealEvents.occurredAt), asc(dealEvents.id));
    const byId = new Map(page.map((d) => [d.id, d]));
    const history = new Map<string, { lastStageId: string; lines: string[] }>();
    for (const e of events) {
      const stage = e.toStageId ? stageById.get(e.toStageId) : undefined;
      if (!stage) continue; // a stage deleted since: its deals were moved with their own event
      const entry = history.get(e.dealId) ?? { lastStageId: "", lines: [] };
      if (entry.lastStageId === stage.id) continue;
      const other = stage.pipelineId !== byId.get(e.dealId)?.pipelineId;
      entry.lines.push(`${formatDateTime(e.occurredAt, tz)} ${other ? `${stage.pipelineName}${PIPELINE_STAGE_SEPARATOR}` : ""}${stage.name}`);
      entry.lastStageId = stage.id;
      history.set(e.dealId, entry);
    }

    for (const d of page) {
      yield [
        d.title,
        minorToInput(d.value, d.currency),
        d.currency,
        d.pipelineName,
        d.stageName,
        t(`imports.values.status.${d.status}`),
        d.ownerEmail,
        d.contactFirst ? [d.contactFirst, d.contactLast].filter(Boolean).join(" ") : null,
        d.contactEmail,
        d.contactPhone,
        d.companyName,
        d.source,
        d.expectedCloseDate ? new Date(`${d.expectedCloseDate}T00:00:00Z`) : null,
        wallDate(d.createdAt, tz),
        d.closedAt ? wallDate(d.closedAt, tz) : null,
        d.lostReason,
        d.notes,
        history.get(d.id)?.lines.join("\n") ?? null,
        d.id,
        ...customCells(d.custom),
      ];
    }
    if (page.length < PAGE) return;
  }
}
