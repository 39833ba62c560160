"use client";

import { useLocale } from "next-intl";
import type { ColumnTotal } from "@/lib/deals/board-meta";
import { formatMoney } from "@/lib/format";

/** Totals in each currency, compact ("$1.2M + €300K"); the weighted ones when asked. */
export function moneyTotalsText(totals: ColumnTotal[], locale: string, fallbackCurrency: string, weighted = false): string {
  if (totals.length === 0) return formatMoney(0, fallbackCurrency, locale, { compact: true });
  return totals.map((tot) => formatMoney(weighted ? tot.weighted : tot.value, tot.currency, locale, { compact: true })).join(" + ");
}

/** moneyTotalsText as a component. */
export function MoneyTotals({ totals, weighted = false, fallbackCurrency }: { totals: ColumnTotal[]; weighted?: boolean; fallbackCurrency: string }) {
  return <>{moneyTotalsText(totals, useLocale(), fallbackCurrency, weighted)}</>;
}
