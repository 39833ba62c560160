import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, max, sql } from "drizzle-orm";
import { companies, contacts, customFields, deals, memberships, type CustomFieldOption } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { assertCan } from "../auth/membership";
import { audit } from "../workspaces/audit";
import type { CustomFieldEntity } from "./schema";
import { listCustomFields } from "./queries";
import { mergeCustom, parseCustomValue, parseCustomValues, typeConversion, type CustomFieldType, type CustomValue, type FieldDef } from "./values";

const tableOf = { deal: deals, contact: contacts, company: companies } as const;

/** "Budget owner" → "budget_owner" (ASCII), else "field"; suffixed until unique in the workspace and entity. */
function baseKey(label: string): string {
  return (
    label
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 40) || "field"
  );
}

async function lockField(db: Db, ctx: Ctx, fieldId: string) {
  const [row] = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.id, fieldId), eq(customFields.workspaceId, ctx.workspaceId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/** Keeps existing option ids for labels that stay (values point at ids), gives new labels new ids. */
function mergeOptions(current: CustomFieldOption[], labels: string[]): CustomFieldOption[] {
  const seen = new Set<string>();
  const out: CustomFieldOption[] = [];
  for (const label of labels) {
    const lower = label.toLowerCase();
    if (seen.has(lower)) throw new AppError("VALIDATION", "errors.duplicateOption", { options: ["errors.duplicateOption"] });
    seen.add(lower);
    out.push(current.find((o) => o.label.toLowerCase() === lower) ?? { id: randomUUID(), label });
  }
  return out;
}

function settingsFor(type: CustomFieldType, options: string[], currency: string | undefined, fallbackCurrency: string, current: CustomFieldOption[] = []) {
  if (type === "single_select" || type === "multi_select") {
    if (options.length === 0) throw new AppError("VALIDATION", "errors.optionsRequired", { options: ["errors.optionsRequired"] });
    return { options: mergeOptions(current, options) };
  }
  if (type === "money") return { currency: currency || fallbackCurrency };
  return {};
}

export async function createCustomField(ctx: Ctx, input: { entity: CustomFieldEntity; label: string; type: CustomFieldType; options: string[]; currency?: string }) {
  assertCan(ctx, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`custom_fields:${ctx.workspaceId}`}))`);
    const existing = await listCustomFields(ctx, input.entity, { includeArchived: true, db: tx });
    if (existing.some((f) => f.label.toLowerCase() === input.label.toLowerCase())) {
      throw new AppError("CONFLICT", "errors.fieldLabelTaken", { label: ["errors.fieldLabelTaken"] });
    }
    const base = baseKey(input.label);
    let key = base;
    for (let i = 2; existing.some((f) => f.key === key); i++) key = `${base}_${i}`;
    const [last] = await tx.select({ p: max(customFields.position) }).from(customFields).where(and(eq(customFields.workspaceId, ctx.workspaceId), eq(customFields.entity, input.entity)));
    const [row] = await tx
      .insert(customFields)
      .values({
        workspaceId: ctx.workspaceId,
        entity: input.entity,
        key,
        label: input.label,
        type: input.type,
        settings: settingsFor(input.type, input.options, input.currency, ctx.workspace.currency),
        position: (last?.p ?? 0) + 1,
        createdAt: ctx.now,
      })
      .returning();
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "custom_field.created", targetType: "custom_field", targetId: row!.id, details: { entity: input.entity, key, type: input.type }, at: ctx.now });
    return row!;
  });
}

/** Renames a field and edits its choices / currency. Removing a choice keeps the values that use it (shown as removed). */
export async function updateCustomField(ctx: Ctx, input: { fieldId: string; label: string; options: string[]; currency?: string }) {
  assertCan(ctx, "settings.manage");
  await ctx.db.transaction(async (tx) => {
    const field = await lockField(tx, ctx, input.fieldId);
    const others = await listCustomFields(ctx, field.entity, { includeArchived: true, db: tx });
    if (others.some((f) => f.id !== field.id && f.label.toLowerCase() === input.label.toLowerCase())) {
      throw new AppError("CONFLICT", "errors.fieldLabelTaken", { label: ["errors.fieldLabelTaken"] });
    }
    if (field.type === "money" && input.currency && input.currency !== field.settings.currency) {
      // amounts are stored in the currency's minor units: changing it would change what they are worth
      throw new AppError("VALIDATION", "errors.fieldCurrencyFixed", { currency: ["errors.fieldCurrencyFixed"] });
    }
    const settings = field.type === "money" ? field.settings : settingsFor(field.type, input.options, undefined, ctx.workspace.currency, field.settings.options);
    await tx.update(customFields).set({ label: input.label, settings }).where(eq(customFields.id, field.id));
  });
}

/**
 * Changes a field's type only where every stored value converts without loss (text ↔ long text / URL / email /
 * phone when the values fit, number or date → text, single → multi select); otherwise refuses with the reason
 * and how many records stand in the way.
 */
export async function changeCustomFieldType(ctx: Ctx, input: { fieldId: string; type: CustomFieldType }) {
  assertCan(ctx, "settings.manage");
  await ctx.db.transaction(async (tx) => {
    const field = await lockField(tx, ctx, input.fieldId);
    const convert = typeConversion(field.type, input.type);
    if (!convert) throw new AppError("VALIDATION", "errors.fieldTypeChangeUnsafe", { type: ["errors.fieldTypeChangeUnsafe"] });
    const table = tableOf[field.entity];
    const rows = await tx
      .select({ id: table.id, value: sql<unknown>`${table.custom} -> ${field.key}` })
      .from(table)
      .where(and(eq(table.workspaceId, ctx.workspaceId), sql`${table.custom} ? ${field.key}`))
      .for("update");
    const next: FieldDef = { key: field.key, label: field.label, type: input.type, settings: field.settings };
    let refused = 0;
    const updates: { id: string; value: CustomValue | null }[] = [];
    for (const r of rows) {
      const converted = convert(r.value);
      const parsed = parseCustomValue(next, converted);
      if (!parsed.ok || (input.type === "text" && typeof converted === "string" && converted.includes("\n"))) refused++;
      else updates.push({ id: r.id, value: parsed.value });
    }
    if (refused > 0) {
      throw new AppError("VALIDATION", "errors.fieldTypeValuesDontFit", { type: [`errors.fieldTypeValuesDontFit`] });
    }
    for (const u of updates) {
      await tx
        .update(table)
        .set({ custom: sql`jsonb_set(${table.custom}, ${`{${field.key}}`}::text[], ${JSON.stringify(u.value)}::jsonb)` })
        .where(eq(table.id, u.id));
    }
    await tx.update(customFields).set({ type: input.type }).where(eq(customFields.id, field.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: "custom_field.type_changed", targetType: "custom_field", targetId: field.id, details: { from: field.type, to: input.type, values: updates.length }, at: ctx.now });
  });
}

export async function moveCustomField(ctx: Ctx, input: { fieldId: string; direction: "up" | "down" }) {
  assertCan(ctx, "settings.manage");
  await ctx.db.transaction(async (tx) => {
    const field = await lockField(tx, ctx, input.fieldId);
    const list = await tx
      .select({ id: customFields.id })
      .from(customFields)
      .where(and(eq(customFields.workspaceId, ctx.workspaceId), eq(customFields.entity, field.entity)))
      .orderBy(asc(customFields.position), asc(customFields.createdAt));
    const i = list.findIndex((f) => f.id === field.id);
    const j = input.direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= list.length) return;
    const order = list.map((f) => f.id);
    [order[i], order[j]] = [order[j]!, order[i]!];
    for (const [k, id] of order.entries()) await tx.update(customFields).set({ position: k + 1 }).where(eq(customFields.id, id));
  });
}

/** Archive hides a field everywhere but keeps every value; restoring brings them back. Nothing is dropped. */
export async function setCustomFieldArchived(ctx: Ctx, fieldId: string, archived: boolean) {
  assertCan(ctx, "settings.manage");
  await ctx.db.transaction(async (tx) => {
    const field = await lockField(tx, ctx, fieldId);
    await tx.update(customFields).set({ archivedAt: archived ? ctx.now : null }).where(eq(customFields.id, field.id));
    await audit(tx, { workspaceId: ctx.workspaceId, actorId: ctx.userId, action: archived ? "custom_field.archived" : "custom_field.restored", targetType: "custom_field", targetId: field.id, at: ctx.now });
  });
}

/**
 * Validates custom values sent for a record of `entity` (unknown or archived keys refused; user fields must name a
 * member) and returns the record's new custom object, plus the keys that really changed. Throws VALIDATION with
 * "custom.<key>" field errors. Call inside the record's transaction.
 */
export async function applyCustomValues(db: Db, ctx: Ctx, entity: CustomFieldEntity, current: Record<string, unknown>, raw: Record<string, unknown> | undefined) {
  if (!raw || Object.keys(raw).length === 0) return { custom: current, changed: [] as string[] };
  const fields = await listCustomFields(ctx, entity, { db });
  const { values, fieldErrors } = parseCustomValues(fields, raw);
  for (const f of fields.filter((f) => f.type === "user" && typeof values[f.key] === "string")) {
    const [m] = await db
      .select({ id: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, values[f.key] as string)));
    if (!m) fieldErrors[`custom.${f.key}`] = ["errors.ownerNotMember"];
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.VALIDATION", fieldErrors);
  const custom = mergeCustom(current, values);
  const changed = Object.keys(values).filter((k) => JSON.stringify(current[k] ?? null) !== JSON.stringify(custom[k] ?? null));
  return { custom, changed };
}
