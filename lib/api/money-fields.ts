import { and, eq } from "drizzle-orm";
import { customFields } from "@/db/schema";
import type { Db } from "@/db/types";
import { currencyDigits } from "../format";

/** Money custom fields of an entity (archived too: their values are still returned), key → currency. */
export type MoneyFields = Map<string, string>;

export async function moneyFieldsOf(db: Db, workspaceId: string, entity: "deal" | "contact" | "company"): Promise<MoneyFields> {
  const rows = await db
    .select({ key: customFields.key, settings: customFields.settings })
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), eq(customFields.entity, entity), eq(customFields.type, "money")));
  return new Map(rows.map((r) => [r.key, r.settings.currency ?? "USD"]));
}

/**
 * Custom values as the API shows them: money fields in major units (as they are sent, and like a deal's
 * `value`), everything else as stored. Pure.
 */
export function customForApi(custom: Record<string, unknown>, money: MoneyFields | undefined): Record<string, unknown> {
  if (!money?.size) return custom;
  const out: Record<string, unknown> = { ...custom };
  for (const [key, currency] of money) {
    if (typeof out[key] === "number") out[key] = (out[key] as number) / 10 ** currencyDigits(currency);
  }
  return out;
}
