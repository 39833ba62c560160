import "server-only";
import { and, eq, gt, inArray, isNull, min, sql } from "drizzle-orm";
import { companies, contacts, dealEvents, deals, domainEvents, jobs, memberships, stages, webhookSubscriptions } from "@/db/schema";
import type { Db } from "@/db/types";
import { rows } from "@/db/migrate";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { currencyDigits, parseMoney } from "../format";
import { needsRebalance, positionBetween } from "./position";
import type { CreateDealInput, MoveDealInput, UpdateDealInput } from "./schema";
import { visibleDeals } from "./scope";
import { emitDealEvent } from "../events/emit";
import { webhookEventOfDomainEvent } from "../webhooks/events";
import { applyCustomValues } from "../custom-fields/commands";
import { missingRequirements } from "./requirements";
import { enqueueWebhookDeliveries } from "../webhooks/fanout";

export const RESTORE_WINDOW_DAYS = 30;

type DealRow = typeof deals.$inferSelect;
type EventType = (typeof dealEvents.$inferInsert)["type"];

async function appendEvent(
  db: Db,
  ctx: Ctx,
  dealId: string,
  type: EventType,
  extra: { fromStageId?: string | null; toStageId?: string | null; data?: Record<string, unknown> } = {},
) {
  await db.insert(dealEvents).values({ workspaceId: ctx.workspaceId, dealId, type, actorId: ctx.userId, occurredAt: ctx.now, ...extra, data: extra.data ?? {} });
}

/**
 * Refuses entry into a stage whose required fields the deal lacks, naming each missing field (the board then asks
 * for exactly those, and the API answers 422 listing them).
 */
function assertStageRequirements(required: string[], deal: Parameters<typeof missingRequirements>[1]) {
  const missing = missingRequirements(required, deal);
  if (missing.length) {
    throw new AppError("VALIDATION", "errors.stageRequirements", Object.fromEntries(missing.map((f) => [f.startsWith("custom:") ? `custom.${f.slice(7)}` : f, ["errors.requiredForStage"]])));
  }
}

/** Locks a deal the caller may see (row lock: concurrent writers to one deal queue up, none is lost). */
async function lockDeal(db: Db, ctx: Ctx, dealId: string, opts: { includeDeleted?: boolean } = {}): Promise<DealRow> {
  const [row] = await db
    .select()
    .from(deals)
    .where(and(eq(deals.id, dealId), visibleDeals(ctx, opts)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

async function stageInWorkspace(db: Db, ctx: Ctx, stageId: string) {
  const [stage] = await db
    .select()
    .from(stages)
    .where(and(eq(stages.id, stageId), eq(stages.workspaceId, ctx.workspaceId)));
  if (!stage) throw new AppError("NOT_FOUND", "errors.stageNotFound", { stageId: ["errors.stageNotFound"] });
  return stage;
}

/** Ids from the client (owner, contact, company) must belong to this workspace; checked in one round trip each. */
async function assertRefs(db: Db, ctx: Ctx, refs: { ownerId?: string | null; contactId?: string | null; companyId?: string | null }) {
  const fieldErrors: Record<string, string[]> = {};
  if (refs.ownerId) {
    const [m] = await db
      .select({ id: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, refs.ownerId)));
    if (!m) fieldErrors.ownerId = ["errors.ownerNotMember"];
  }
  if (refs.contactId) {
    const [c] = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, ctx.workspaceId), eq(contacts.id, refs.contactId)));
    if (!c) fieldErrors.contactId = ["errors.NOT_FOUND"];
  }
  if (refs.companyId) {
    const [c] = await db
      .select({ id: companies.id })
      .from(companies)
      .where(and(eq(companies.workspaceId, ctx.workspaceId), eq(companies.id, refs.companyId)));
    if (!c) fieldErrors.companyId = ["errors.NOT_FOUND"];
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.VALIDATION", fieldErrors);
}

/**
 * The same amount in another currency's minor units (a currency-only edit keeps "1,234.56", it does not reread
 * 123456 as ¥123,456). Refuses when the new currency cannot hold the amount exactly (USD 12.34 → JPY).
 */
function convertMinorUnits(minor: number, from: string, to: string): number {
  const shift = currencyDigits(to) - currencyDigits(from);
  if (shift >= 0) return minor * 10 ** shift;
  const factor = 10 ** -shift;
  if (minor % factor !== 0) throw new AppError("VALIDATION", "errors.currencyNeedsValue", { currency: ["errors.currencyNeedsValue"] });
  return minor / factor;
}

function toMinor(value: string, currency: string): number {
  const minor = parseMoney(value, currency);
  if (minor === null || minor < 0) throw new AppError("VALIDATION", "errors.invalidAmount", { value: ["errors.invalidAmount"] });
  return minor;
}

/**
 * Creates a deal at the top of its stage column, optionally creating its contact and company on the fly,
 * and records the "created" event — all in one transaction.
 */
export async function createDeal(ctx: Ctx, input: CreateDealInput) {
  assertCan(ctx, "deals.write");
  const currency = input.currency ?? ctx.workspace.currency;
  const value = toMinor(input.value, currency);
  return ctx.db.transaction(async (tx) => {
    const stage = await stageInWorkspace(tx, ctx, input.stageId);
    if (stage.pipelineId !== input.pipelineId) throw new AppError("VALIDATION", "errors.stageOtherPipeline", { stageId: ["errors.stageOtherPipeline"] });
    const ownerId = input.ownerId ?? ctx.userId;
    await assertRefs(tx, ctx, { ownerId, contactId: input.contactId, companyId: input.companyId });
    const { custom } = await applyCustomValues(tx, ctx, "deal", {}, input.custom);
    let companyId = input.companyId;
    if (!companyId && input.newCompanyName) {
      const [existing] = await tx
        .select({ id: companies.id })
        .from(companies)
        .where(and(eq(companies.workspaceId, ctx.workspaceId), sql`lower(${companies.name}) = lower(${input.newCompanyName})`))
        .limit(1);
      companyId =
        existing?.id ??
        (await tx.insert(companies).values({ workspaceId: ctx.workspaceId, name: input.newCompanyName, ownerId, createdAt: ctx.now, updatedAt: ctx.now }).returning())[0]!.id;
    }
    let contactId = input.contactId;
    if (!contactId && input.newContactEmail) {
      // An email that already belongs to a contact links that contact instead of creating a duplicate.
      const [known] = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, ctx.workspaceId), sql`lower(${contacts.email}) = ${input.newContactEmail}`));
      contactId = known?.id ?? null;
    }
    if (!contactId && input.newContactName) {
      const [first = input.newContactName, ...rest] = input.newContactName.split(/\s+/);
      contactId = (
        await tx
          .insert(contacts)
          .values({ workspaceId: ctx.workspaceId, firstName: first, lastName: rest.join(" "), email: input.newContactEmail, companyId, ownerId, source: input.source, createdAt: ctx.now, updatedAt: ctx.now })
          .returning()
      )[0]!.id;
    }
    assertStageRequirements(stage.requiredFields, { value, ownerId, contactId, companyId, expectedCloseDate: input.expectedCloseDate, source: input.source, notes: input.notes, custom });
    const [top] = await tx.select({ p: min(deals.position) }).from(deals).where(and(eq(deals.workspaceId, ctx.workspaceId), eq(deals.stageId, stage.id)));
    const [deal] = await tx
      .insert(deals)
      .values({
        workspaceId: ctx.workspaceId,
        pipelineId: stage.pipelineId,
        stageId: stage.id,
        title: input.title,
        value,
        currency,
        ownerId,
        contactId,
        companyId,
        expectedCloseDate: input.expectedCloseDate,
        source: input.source,
        notes: input.notes,
        custom,
        position: positionBetween(null, top?.p ?? null),
        stageEnteredAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, deal!.id, "created", { toStageId: stage.id, data: { value, currency } });
    await emitDealEvent(tx, ctx, "deal.created", deal!);
    return deal!;
  });
}

const trackedFields = ["title", "contactId", "companyId", "source", "notes"] as const;

/** Updates the fields present in the input; every change appends its own event. Stage moves go through moveDeal. */
export async function updateDeal(ctx: Ctx, input: UpdateDealInput) {
  assertCan(ctx, "deals.write");
  return ctx.db.transaction(async (tx) => applyDealUpdate(tx, ctx, await lockDeal(tx, ctx, input.dealId), input));
}

/** The body of updateDeal on an already locked deal (moveDeal uses it for fields filled in on the way). */
async function applyDealUpdate(tx: Db, ctx: Ctx, deal: DealRow, input: UpdateDealInput): Promise<DealRow> {
  {
    await assertRefs(tx, ctx, { ownerId: input.ownerId, contactId: input.contactId, companyId: input.companyId });
    const patch: Partial<typeof deals.$inferInsert> = {};
    const currency = input.currency ?? deal.currency;
    const value =
      input.value !== undefined && input.value !== ""
        ? toMinor(input.value, currency)
        : input.value === ""
          ? 0
          : convertMinorUnits(deal.value, deal.currency, currency);
    if (value !== deal.value || currency !== deal.currency) {
      patch.value = value;
      patch.currency = currency;
      await appendEvent(tx, ctx, deal.id, "value_changed", { data: { from: { value: deal.value, currency: deal.currency }, to: { value, currency } } });
    }
    if (input.ownerId !== undefined && input.ownerId !== deal.ownerId) {
      patch.ownerId = input.ownerId;
      await appendEvent(tx, ctx, deal.id, "owner_changed", { data: { from: deal.ownerId, to: input.ownerId } });
    }
    if (input.expectedCloseDate !== undefined && input.expectedCloseDate !== deal.expectedCloseDate) {
      patch.expectedCloseDate = input.expectedCloseDate;
      await appendEvent(tx, ctx, deal.id, "close_date_changed", { data: { from: deal.expectedCloseDate, to: input.expectedCloseDate } });
    }
    if (input.custom) {
      const { custom, changed } = await applyCustomValues(tx, ctx, "deal", deal.custom, input.custom);
      if (changed.length) {
        patch.custom = custom;
        for (const key of changed) {
          await appendEvent(tx, ctx, deal.id, "field_changed", { data: { field: `custom:${key}`, from: deal.custom[key] ?? null, to: custom[key] ?? null } });
        }
      }
    }
    for (const field of trackedFields) {
      const next = input[field];
      if (next === undefined || next === deal[field]) continue;
      (patch as Record<string, unknown>)[field] = next;
      // Notes can be long and private: the history says they changed, not what they say.
      const data = field === "notes" ? { field } : { field, from: deal[field], to: next };
      await appendEvent(tx, ctx, deal.id, "field_changed", { data });
    }
    if (Object.keys(patch).length === 0) return deal;
    await emitDealEvent(tx, ctx, "deal.field_changed", deal, { fields: Object.keys(patch) }); // once per save, not per field
    const [updated] = await tx
      .update(deals)
      .set({ ...patch, version: deal.version + 1, updatedAt: ctx.now })
      .where(eq(deals.id, deal.id))
      .returning();
    return updated!;
  }
}

/**
 * Moves a deal to a stage (any pipeline of the workspace) between two neighbours of the target column.
 * One transaction: row lock on the deal, fractional position (one row written; the column is renumbered only
 * when neighbours got too close), stage_entered_at reset and a stage_changed event when the stage changes.
 * Concurrent moves of one deal serialize on the lock: the last one wins and each leaves its event, so the
 * history stays a complete chain.
 */
export async function moveDeal(ctx: Ctx, input: MoveDealInput) {
  assertCan(ctx, "deals.write");
  // A rare column renumbering can deadlock with a concurrent move in the same column; PostgreSQL then aborts
  // one of them, which is safe to run again.
  return retryOnDeadlock(() => ctx.db.transaction(async (tx) => {
    const locked = await lockDeal(tx, ctx, input.dealId);
    const target = await stageInWorkspace(tx, ctx, input.toStageId);
    const stageChanged = target.id !== locked.stageId;
    const deal = input.fill ? await applyDealUpdate(tx, ctx, locked, { ...input.fill, dealId: locked.id }) : locked;
    if (stageChanged) assertStageRequirements(target.requiredFields, deal);
    const position = await positionInColumn(tx, ctx, target.id, deal.id, input.beforeId, input.afterId);
    const [updated] = await tx
      .update(deals)
      .set({
        stageId: target.id,
        pipelineId: target.pipelineId,
        position,
        version: deal.version + 1,
        updatedAt: ctx.now,
        ...(stageChanged ? { stageEnteredAt: ctx.now } : {}),
      })
      .where(eq(deals.id, deal.id))
      .returning();
    if (stageChanged) {
      await emitDealEvent(tx, ctx, "deal.stage_changed", updated!, { fromStageId: deal.stageId, toStageId: target.id, fromPipelineId: deal.pipelineId });
      await appendEvent(tx, ctx, deal.id, "stage_changed", {
        fromStageId: deal.stageId,
        toStageId: target.id,
        data: deal.pipelineId !== target.pipelineId ? { fromPipelineId: deal.pipelineId, toPipelineId: target.pipelineId } : {},
      });
    }
    return { deal: updated!, stageChanged, fromStageId: deal.stageId };
  }));
}

/**
 * The board's move in one statement (issue #11: a move costs at most three round trips, the session read
 * included). A data-modifying CTE locks the visible deal, checks the target stage, places the card between its
 * neighbours and writes the deal, the history event, the domain event and its dispatch job together — one
 * statement is atomic, so it needs no BEGIN/COMMIT. It writes exactly what `moveDeal` writes. The rare cases it
 * does not handle — values to fill in, a target stage with required fields, neighbours so close the column must
 * be renumbered, a webhook subscribed to moves (its payload is a snapshot built in JS) — write nothing here and
 * run `moveDeal` instead (decision 42).
 */
export async function moveDealQuick(ctx: Ctx, input: MoveDealInput): Promise<{ stageChanged: boolean }> {
  assertCan(ctx, "deals.write");
  if (input.fill) return moveDeal(ctx, input);
  const neighbour = (id: string | null | undefined) => (id && id !== input.dealId ? id : null);
  const beforeId = neighbour(input.beforeId);
  const afterId = neighbour(input.afterId);
  const now = sql`${ctx.now.toISOString()}::timestamptz`; // raw SQL: postgres.js takes no Date parameters
  const inColumn = (id: string | null) =>
    id ? sql`(select n.position from ${deals} n where n.workspace_id = ${ctx.workspaceId} and n.stage_id = ${input.toStageId} and n.id = ${id})` : sql`null::double precision`;
  type Outcome = { found: number; stage_found: number; moved: number; changed: boolean };
  const [row] = rows<Outcome>(await ctx.db.execute(sql`
    with d as (
      select ${deals.id} as id, ${deals.stageId} as stage_id, ${deals.pipelineId} as pipeline_id from ${deals}
      where ${deals.id} = ${input.dealId} and ${visibleDeals(ctx)}
      for update
    ), t as (
      select id, pipeline_id, jsonb_array_length(required_fields) as required from ${stages}
      where id = ${input.toStageId} and workspace_id = ${ctx.workspaceId}
    ), nb as (
      select ${inColumn(beforeId)} as before_pos, ${inColumn(afterId)} as after_pos,
        (select min(n.position) from ${deals} n where n.workspace_id = ${ctx.workspaceId} and n.stage_id = ${input.toStageId} and n.deleted_at is null) as top_pos
    ), pos as (
      select case
          when before_pos is null and after_pos is null then coalesce(top_pos - 1, 0)
          when before_pos is not null and after_pos is not null then
            case when before_pos >= after_pos then before_pos + 1 else before_pos + (after_pos - before_pos) / 2 end
          when before_pos is not null then before_pos + 1
          else after_pos - 1
        end as position,
        coalesce(abs(after_pos - before_pos) < 1e-9, false) as rebalance
      from nb
    ), go as (
      select d.id, d.stage_id as from_stage_id, d.pipeline_id as from_pipeline_id, t.id as to_stage_id, t.pipeline_id as to_pipeline_id,
        pos.position, d.stage_id <> t.id as changed
      from d, t, pos
      where not pos.rebalance
        and (d.stage_id = t.id or (t.required = 0 and not exists (
          select 1 from ${webhookSubscriptions} w
          where w.workspace_id = ${ctx.workspaceId} and w.enabled and w.events @> ${JSON.stringify([webhookEventOfDomainEvent["deal.stage_changed"]])}::jsonb)))
    ), u as (
      update ${deals} set stage_id = go.to_stage_id, pipeline_id = go.to_pipeline_id, position = go.position,
        version = ${deals.version} + 1, updated_at = ${now},
        stage_entered_at = case when go.changed then ${now} else ${deals.stageEnteredAt} end
      from go where ${deals.id} = go.id
      returning ${deals.id} as id
    ), ev as (
      insert into ${domainEvents} (workspace_id, type, subject_type, subject_id, actor_id, data, depth, chain, occurred_at)
      select ${ctx.workspaceId}, 'deal.stage_changed', 'deal', go.id, ${ctx.userId},
        jsonb_build_object('pipelineId', go.to_pipeline_id, 'stageId', go.to_stage_id, 'fromStageId', go.from_stage_id, 'toStageId', go.to_stage_id, 'fromPipelineId', go.from_pipeline_id),
        0, '[]'::jsonb, ${now}
      from go join u on u.id = go.id where go.changed
      returning id
    ), job as (
      insert into ${jobs} (kind, payload, run_at, workspace_id, idempotency_key, max_attempts)
      select 'dispatch-event', jsonb_build_object('eventId', ev.id), ${now}, ${ctx.workspaceId}, 'event:' || ev.id, 5 from ev
      on conflict (idempotency_key) do nothing
      returning id
    ), h as (
      insert into ${dealEvents} (workspace_id, deal_id, type, actor_id, occurred_at, from_stage_id, to_stage_id, data)
      select ${ctx.workspaceId}, go.id, 'stage_changed', ${ctx.userId}, ${now}, go.from_stage_id, go.to_stage_id,
        case when go.from_pipeline_id <> go.to_pipeline_id
          then jsonb_build_object('fromPipelineId', go.from_pipeline_id, 'toPipelineId', go.to_pipeline_id) else '{}'::jsonb end
      from go join u on u.id = go.id where go.changed
      returning id
    )
    select (select count(*) from d)::int as found, (select count(*) from t)::int as stage_found,
      (select count(*) from u)::int as moved, coalesce((select bool_or(changed) from go), false) as changed,
      (select count(*) from h)::int + (select count(*) from job)::int as written
  `));
  if (!row || row.found === 0) throw new AppError("NOT_FOUND");
  if (row.stage_found === 0) throw new AppError("NOT_FOUND", "errors.stageNotFound", { stageId: ["errors.stageNotFound"] });
  if (row.moved === 0) return moveDeal(ctx, input); // a case only the full command handles (wrote nothing here)
  return { stageChanged: row.changed };
}

async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (i >= attempts || (code !== "40P01" && code !== "40001")) throw error;
    }
  }
}

async function positionInColumn(db: Db, ctx: Ctx, stageId: string, dealId: string, beforeId?: string | null, afterId?: string | null): Promise<number> {
  const ids = [beforeId, afterId].filter((id): id is string => !!id && id !== dealId);
  const read = async () => {
    const rows = ids.length
      ? await db
          .select({ id: deals.id, position: deals.position })
          .from(deals)
          .where(and(eq(deals.workspaceId, ctx.workspaceId), eq(deals.stageId, stageId), inArray(deals.id, ids)))
      : [];
    const pos = (id?: string | null) => rows.find((r) => r.id === id)?.position;
    return [pos(beforeId), pos(afterId)] as const;
  };
  // The smallest position among the column's visible cards (the partial index deals_ws_stage_pos_idx answers it).
  const topOfColumn = async () => {
    const [top] = await db.select({ p: min(deals.position) }).from(deals).where(and(eq(deals.workspaceId, ctx.workspaceId), eq(deals.stageId, stageId), isNull(deals.deletedAt)));
    return top?.p ?? null;
  };
  let [before, after] = await read();
  if (before === undefined && after === undefined && ids.length === 0) {
    // Dropped into an empty column, or no neighbours given: go to the top.
    return positionBetween(null, await topOfColumn());
  }
  if (before === undefined && after === undefined) {
    // Both neighbours left the column meanwhile (a stale board): put the deal on top rather than at a guess.
    return positionBetween(null, await topOfColumn());
  }
  if (needsRebalance(before, after)) {
    await db.execute(sql`
      update ${deals} d set position = x.rn from (
        select id, row_number() over (order by position, created_at) as rn from ${deals}
        where workspace_id = ${ctx.workspaceId} and stage_id = ${stageId}) x
      where d.id = x.id`);
    [before, after] = await read();
  }
  return positionBetween(before, after);
}

async function setStatus(ctx: Ctx, dealId: string, status: "won" | "lost" | "open", lostReason: string | null) {
  assertCan(ctx, "deals.write");
  return ctx.db.transaction(async (tx) => {
    const deal = await lockDeal(tx, ctx, dealId);
    if (deal.status === status && (status !== "lost" || deal.lostReason === lostReason)) return deal; // idempotent
    const [updated] = await tx
      .update(deals)
      .set({ status, lostReason: status === "lost" ? lostReason : null, closedAt: status === "open" ? null : ctx.now, version: deal.version + 1, updatedAt: ctx.now })
      .where(eq(deals.id, deal.id))
      .returning();
    if (status === "open") await appendEvent(tx, ctx, deal.id, "reopened", { data: { from: deal.status } });
    else await appendEvent(tx, ctx, deal.id, status, { toStageId: deal.stageId, data: status === "lost" ? { reason: lostReason } : { value: deal.value, currency: deal.currency } });
    await emitDealEvent(tx, ctx, status === "open" ? "deal.reopened" : status === "won" ? "deal.won" : "deal.lost", updated!, status === "lost" ? { reason: lostReason } : {});
    if (status === "won" && deal.contactId) {
      await tx
        .update(contacts)
        .set({ lifecycle: "customer", updatedAt: ctx.now })
        .where(and(eq(contacts.id, deal.contactId), eq(contacts.workspaceId, ctx.workspaceId)));
    }
    return updated!;
  });
}

export const markWon = (ctx: Ctx, dealId: string) => setStatus(ctx, dealId, "won", null);
export const markLost = (ctx: Ctx, dealId: string, lostReason: string) => setStatus(ctx, dealId, "lost", lostReason);
export const reopenDeal = (ctx: Ctx, dealId: string) => setStatus(ctx, dealId, "open", null);

/** Soft delete: hidden everywhere, restorable for RESTORE_WINDOW_DAYS. */
export async function deleteDeal(ctx: Ctx, dealId: string) {
  assertCan(ctx, "deals.write");
  await ctx.db.transaction(async (tx) => {
    const deal = await lockDeal(tx, ctx, dealId);
    await tx.update(deals).set({ deletedAt: ctx.now, version: deal.version + 1, updatedAt: ctx.now }).where(eq(deals.id, deal.id));
    await appendEvent(tx, ctx, deal.id, "deleted");
    await enqueueWebhookDeliveries(tx, ctx, "deal.deleted", deal.id); // no domain event: webhooks only
  });
}

export async function restoreDeal(ctx: Ctx, dealId: string) {
  assertCan(ctx, "deals.write");
  return ctx.db.transaction(async (tx) => {
    const deal = await lockDeal(tx, ctx, dealId, { includeDeleted: true });
    if (!deal.deletedAt) return deal;
    const cutoff = new Date(ctx.now.getTime() - RESTORE_WINDOW_DAYS * 86_400_000);
    const [restored] = await tx
      .update(deals)
      .set({ deletedAt: null, version: deal.version + 1, updatedAt: ctx.now })
      .where(and(eq(deals.id, deal.id), gt(deals.deletedAt, cutoff)))
      .returning();
    if (!restored) throw new AppError("NOT_FOUND", "errors.restoreExpired");
    await appendEvent(tx, ctx, deal.id, "restored");
    return restored;
  });
}

/**
 * Before a contact or company is deleted: every deal linked to it (visible to the caller or not, deleted too)
 * loses the link with a version bump and a field_changed event, in the caller's transaction — the foreign key's
 * "set null" alone would rewrite deals without history.
 */
export async function unlinkDeals(db: Db, ctx: Ctx, party: { contactId: string } | { companyId: string }) {
  const field = "contactId" in party ? "contactId" : "companyId";
  const column = "contactId" in party ? deals.contactId : deals.companyId;
  const id = "contactId" in party ? party.contactId : party.companyId;
  const linked = await db
    .select({ id: deals.id })
    .from(deals)
    .where(and(eq(deals.workspaceId, ctx.workspaceId), eq(column, id)))
    .orderBy(deals.id)
    .for("update");
  if (linked.length === 0) return;
  await db
    .update(deals)
    .set({ [field]: null, version: sql`${deals.version} + 1`, updatedAt: ctx.now })
    .where(and(eq(deals.workspaceId, ctx.workspaceId), eq(column, id)));
  await db.insert(dealEvents).values(
    linked.map((d) => ({ workspaceId: ctx.workspaceId, dealId: d.id, type: "field_changed" as const, actorId: ctx.userId, data: { field, from: id, to: null, reason: "deleted" }, occurredAt: ctx.now })),
  );
}
