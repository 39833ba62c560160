import "server-only";
import { and, asc, eq, gte, max } from "drizzle-orm";
import { companies, contacts, dealEvents, deals } from "@/db/schema";
import type { ApiKeyCtx } from "../../api-keys/authenticate";
import { createDeal, deleteDeal, markLost, markWon, moveDeal, reopenDeal, updateDeal } from "../../deals/commands";
import { dealFilterConditions, getDeal } from "../../deals/queries";
import { currencySchema } from "../../deals/schema";
import { AppError } from "../../errors";
import { z } from "../../validation";
import { atSchema, ctxAt, pathId } from "../body";
import { afterCursor, defineOperation, exactTime, iso, pageOf, pageQuery, toPage } from "../operation";
import { dealDTO, dealEventSchema, dealSchema, type DealRow } from "../dto";
import { moneyFieldsOf } from "../money-fields";
import { customFieldsInput, uuidRef } from "./common";

const money = z.number().min(0).describe("Amount in major units (1234.5 = 1,234.50), with at most the currency's decimals; stored as integer minor units.");
const optionalDate = z.iso.date().nullable().optional();
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const listQuery = z.object({
  pipelineId: z.uuid().optional(),
  stageId: z.uuid().optional(),
  status: z.enum(["open", "won", "lost", "all"]).optional().describe("Default: all."),
  ownerId: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional().describe("Matches the title, the company's name or the contact's name."),
  updatedSince: z.iso.datetime({ offset: true }).optional().describe("Only deals changed at or after this instant (for incremental sync)."),
  ...pageQuery,
});

export const listDealsOp = defineOperation({
  method: "GET",
  path: "/deals",
  operationId: "listDeals",
  summary: "List deals",
  description: "Deals the key's member may see, oldest first, a page at a time.",
  tag: "Deals",
  permission: "deals.read",
  query: listQuery,
  response: pageOf(dealSchema),
  async run(ctx, { query }) {
    const rows = await ctx.db
      .select({ deal: deals, id: deals.id, cursorTime: exactTime(deals.createdAt) })
      .from(deals)
      .leftJoin(contacts, eq(contacts.id, deals.contactId))
      .leftJoin(companies, eq(companies.id, deals.companyId))
      .where(
        and(
          ...dealFilterConditions(ctx, { status: query.status, owner: query.ownerId, q: query.q }, { defaultStatus: "all" }),
          query.pipelineId ? eq(deals.pipelineId, query.pipelineId) : undefined,
          query.stageId ? eq(deals.stageId, query.stageId) : undefined,
          query.updatedSince ? gte(deals.updatedAt, new Date(query.updatedSince)) : undefined,
          afterCursor(query.cursor, deals.createdAt, deals.id),
        ),
      )
      .orderBy(asc(deals.createdAt), asc(deals.id))
      .limit(query.limit + 1);
    const money = await moneyFieldsOf(ctx.db, ctx.workspaceId, "deal");
    return toPage(rows, query.limit, (r) => dealDTO(r.deal, money));
  },
});

export const getDealOp = defineOperation({
  method: "GET",
  path: "/deals/{dealId}",
  operationId: "getDeal",
  summary: "Get a deal with its history",
  tag: "Deals",
  permission: "deals.read",
  response: dealSchema.extend({ events: z.array(dealEventSchema) }),
  async run(ctx, { params }) {
    const found = await getDeal(ctx, pathId(params.dealId));
    return {
      ...dealDTO(found.deal, await moneyFieldsOf(ctx.db, ctx.workspaceId, "deal")),
      events: found.events.map((e) => ({ id: String(e.id), type: e.type, fromStageId: e.fromStageId, toStageId: e.toStageId, data: e.data, actorName: e.actorName, occurredAt: iso(e.occurredAt)! })),
    };
  },
});

const dealFields = {
  title: z.string().trim().min(1).max(200),
  value: money.optional(),
  currency: currencySchema.optional().describe("ISO 4217 code; default: the workspace's currency."),
  ownerId: uuidRef("owner (a member); default on create: the key's member"),
  contactId: uuidRef("contact"),
  companyId: uuidRef("company"),
  expectedCloseDate: optionalDate,
  source: optionalText(80),
  notes: optionalText(10_000),
  customFields: customFieldsInput,
  at: atSchema,
};

const createDealBody = z.strictObject({ ...dealFields, pipelineId: z.uuid(), stageId: z.uuid() });

/** API body → the domain's input (value as the text the money parser reads, customFields → custom). */
function domainFields(body: Partial<z.output<typeof createDealBody>>) {
  const out: Record<string, unknown> = {};
  for (const key of ["title", "currency", "ownerId", "contactId", "companyId", "expectedCloseDate", "source", "notes"] as const) {
    if (body[key] !== undefined) out[key] = body[key] === "" ? null : body[key];
  }
  if (body.value !== undefined) out.value = moneyText(body.value);
  if (body.customFields !== undefined) out.custom = body.customFields;
  return out;
}

/** A JSON number as plain decimal text ("1234.5"), never exponent notation (which the money parser refuses). */
function moneyText(value: number): string {
  if (!Number.isFinite(value)) return "x";
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, "") : text;
}

export const createDealOp = defineOperation({
  method: "POST",
  path: "/deals",
  operationId: "createDeal",
  summary: "Create a deal",
  description: "Stage requirements apply: a stage that requires fields the deal lacks answers 422 naming each one. `at` (admin keys) sets when it was created.",
  tag: "Deals",
  permission: "deals.write",
  body: createDealBody,
  status: 201,
  response: dealSchema,
  async run(ctx, { body }) {
    const c = ctxAt(ctx, body.at);
    const deal = await createDeal(c, {
      title: body.title,
      pipelineId: body.pipelineId,
      stageId: body.stageId,
      value: "",
      ownerId: null,
      contactId: null,
      companyId: null,
      expectedCloseDate: null,
      source: null,
      notes: null,
      newContactName: null,
      newContactEmail: null,
      newCompanyName: null,
      ...(domainFields(body) as object),
    });
    return dealDTO(deal, await moneyFieldsOf(ctx.db, ctx.workspaceId, "deal"));
  },
});

const updateDealBody = z
  .strictObject({
    ...dealFields,
    title: dealFields.title.optional(),
    stageId: z.uuid().optional().describe("Moves the deal to this stage (of any pipeline of the workspace)."),
    status: z.enum(["open", "won", "lost"]).optional().describe("won, lost (with lostReason) or open (reopen)."),
    lostReason: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((b, issue) => {
    if (b.status === "lost" && !b.lostReason) issue.addIssue({ code: "custom", path: ["lostReason"], message: "errors.required" });
    if (b.lostReason && b.status !== "lost") issue.addIssue({ code: "custom", path: ["lostReason"], message: "api.lostReasonNeedsLost" });
  });

/**
 * History is a chain: a back-dated change may not come before the deal's latest event (a migration replays a
 * deal's history in order). Another workspace's deal has no events here and is refused later as not found.
 */
async function assertAfterHistory(ctx: ApiKeyCtx, dealId: string) {
  const [last] = await ctx.db
    .select({ at: max(dealEvents.occurredAt) })
    .from(dealEvents)
    .where(and(eq(dealEvents.workspaceId, ctx.workspaceId), eq(dealEvents.dealId, dealId)));
  if (last?.at && new Date(last.at).getTime() > ctx.now.getTime()) throw new AppError("VALIDATION", "api.atBeforeHistory", { at: ["api.atBeforeHistory"] });
}

export const updateDealOp = defineOperation({
  method: "PATCH",
  path: "/deals/{dealId}",
  operationId: "updateDeal",
  summary: "Update, move, win, lose or reopen a deal",
  description: "Only the fields sent change. `stageId` moves the deal (stage requirements apply, with the fields sent in the same request); `status` wins, loses or reopens it. Everything happens in one transaction. `at` (admin keys) dates the changes.",
  tag: "Deals",
  permission: "deals.write",
  body: updateDealBody,
  response: dealSchema,
  async run(ctx, { params, body }) {
    const dealId = pathId(params.dealId);
    const c = ctxAt(ctx, body.at);
    return c.db.transaction(async (tx) => {
      const t: ApiKeyCtx = { ...c, db: tx };
      if (body.at) await assertAfterHistory(t, dealId);
      const fields = domainFields(body);
      let deal: DealRow | undefined;
      if (body.stageId) deal = (await moveDeal(t, { dealId, toStageId: body.stageId, fill: Object.keys(fields).length ? (fields as never) : undefined })).deal;
      else if (Object.keys(fields).length) deal = await updateDeal(t, { dealId, ...(fields as object) });
      if (body.status === "won") deal = await markWon(t, dealId);
      else if (body.status === "lost") deal = await markLost(t, dealId, body.lostReason!);
      else if (body.status === "open") deal = await reopenDeal(t, dealId);
      if (!deal) {
        const found = await getDeal(t, dealId);
        deal = found.deal;
      }
      return dealDTO(deal, await moneyFieldsOf(tx, ctx.workspaceId, "deal"));
    });
  },
});

export const deleteDealOp = defineOperation({
  method: "DELETE",
  path: "/deals/{dealId}",
  operationId: "deleteDeal",
  summary: "Delete a deal",
  description: "Soft delete: the deal disappears everywhere and can be restored from the app for 30 days.",
  tag: "Deals",
  permission: "deals.write",
  status: 204,
  async run(ctx, { params }) {
    await deleteDeal(ctx, pathId(params.dealId));
    return null;
  },
});

export const dealOperations = [listDealsOp, createDealOp, getDealOp, updateDealOp, deleteDealOp];
