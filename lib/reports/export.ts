import type { Writable } from "node:stream";
import { minorToInput } from "../format";
import { writeCsv, writeXlsx, type CellValue, type Column, type SheetSpec } from "../spreadsheets/write";
import type { PipelineReview } from "./review";

/** Translator over the "reports" namespace (next-intl's getTranslations or createTranslator). */
export type ReportsTranslate = (key: string, values?: Record<string, string | number>) => string;

const KPI_MONEY = new Set(["wonRevenue", "averageDealSize", "customerLifetimeValue", "salesVelocity"]);

/** A KPI as a spreadsheet cell: money as a decimal in major units, rates 0–1, days and counts as numbers. */
function kpiCell(key: string, v: number | null, currency: string): CellValue {
  if (v === null) return null;
  if (KPI_MONEY.has(key)) return minorToInput(Math.round(v), currency);
  if (key === "winRate" || key === "leadConversion") return Number(v.toFixed(4));
  if (key === "salesCycleDays") return Number(v.toFixed(2));
  return v;
}

const days = (v: number | null) => (v === null ? null : Number(v.toFixed(2)));
const money = (v: number, currency: string) => minorToInput(Math.round(v), currency);

/**
 * The review as sheets (the same figures as the page: one definition, lib/reports/review.ts): summary KPIs
 * with the previous period, the funnel with time in stage, won/lost breakdowns and activity. Used by the
 * download and by the monthly pack's attachment.
 */
export function reviewSheets(r: PipelineReview, t: ReportsTranslate): SheetSpec[] {
  const cur = r.currency;
  const summary: SheetSpec = {
    name: t("export.sheets.summary"),
    columns: [
      { header: t("export.columns.measure"), type: "text", width: 34 },
      { header: t("export.columns.valueOf", { period: r.period.key, currency: cur }), type: "decimal", width: 22 },
      { header: t("export.columns.previousOf", { period: r.previousPeriod.key }), type: "decimal", width: 22 },
    ],
    rows: [
      ...r.kpis.map((k): CellValue[] => [t(`kpi.${k.key}`), kpiCell(k.key, k.value, cur) as CellValue, kpiCell(k.key, k.previous, cur) as CellValue]),
      ...r.current.excludedCurrencies.map((e): CellValue[] => [t("export.excluded", { currency: e.currency }), minorToInput(e.wonValue, e.currency), null]),
      ...(r.accuracy
        ? ([
            [t("accuracy.weighted"), money(r.accuracy.weighted, cur), null],
            [t("accuracy.won"), money(r.accuracy.won, cur), null],
          ] as CellValue[][])
        : []),
    ].map((row) => row.map((c) => (typeof c === "number" ? String(c) : c))),
  };
  const funnel: SheetSpec = {
    name: t("export.sheets.funnel"),
    columns: [
      { header: t("funnel.stage"), type: "text" },
      { header: t("funnel.entered"), type: "integer" },
      { header: t("funnel.converted"), type: "integer" },
      { header: t("funnel.conversion"), type: "decimal" },
      { header: t("funnel.openNow"), type: "integer" },
      { header: t("funnel.stuck"), type: "integer" },
      { header: t("timeInStage.stays"), type: "integer" },
      { header: t("timeInStage.average"), type: "decimal" },
      { header: t("timeInStage.median"), type: "decimal" },
      { header: t("timeInStage.openAge"), type: "decimal" },
      { header: t("timeInStage.openMedian"), type: "decimal" },
    ],
    rows: (r.stages?.funnel ?? []).map((s) => [
      s.name,
      s.entered,
      s.converted,
      s.conversion === null ? null : s.conversion.toFixed(4),
      s.openDeals,
      s.stuckDeals,
      s.stays,
      s.averageDays === null ? null : days(s.averageDays)!.toFixed(2),
      s.medianDays === null ? null : days(s.medianDays)!.toFixed(2),
      s.averageAgeDays === null ? null : days(s.averageAgeDays)!.toFixed(2),
      s.medianAgeDays === null ? null : days(s.medianAgeDays)!.toFixed(2),
    ]),
  };
  const breakdownColumns: Column[] = [
    { header: t("export.columns.breakdown"), type: "text" },
    { header: t("export.columns.item"), type: "text" },
    { header: t("export.columns.count"), type: "integer" },
    { header: t("export.columns.valueIn", { currency: cur }), type: "decimal" },
  ];
  const w = r.wonLost;
  const breakdownRows: CellValue[][] = [
    ...w.lostByReason.map((b) => [t("wonLost.byReason"), b.label ?? t("wonLost.noReason"), b.count, money(b.value, cur)]),
    ...w.wonByOwner.map((b) => [t("export.wonByOwner"), b.label ?? t("noOwner"), b.count, money(b.value, cur)]),
    ...w.lostByOwner.map((b) => [t("export.lostByOwner"), b.label ?? t("noOwner"), b.count, money(b.value, cur)]),
    ...w.wonBySource.map((b) => [t("export.wonBySource"), b.label ?? t("wonLost.noSource"), b.count, money(b.value, cur)]),
    ...w.lostBySource.map((b) => [t("export.lostBySource"), b.label ?? t("wonLost.noSource"), b.count, money(b.value, cur)]),
  ];
  const wonLost: SheetSpec = { name: t("export.sheets.wonLost"), columns: breakdownColumns, rows: breakdownRows };
  const activity: SheetSpec = {
    name: t("export.sheets.activity"),
    columns: [
      { header: t("activity.rep"), type: "text" },
      { header: t("activity.type"), type: "text" },
      { header: t("activity.completed"), type: "integer" },
    ],
    rows: [
      ...r.activity.byRepType.map((a): CellValue[] => [a.assigneeName ?? t("noOwner"), a.type === "custom" ? (a.customLabel ?? a.type) : a.type, a.count]),
      [t("export.noNextActivity"), null, r.activity.noNextActivity.count],
    ],
  };
  return [summary, funnel, wonLost, activity];
}

/** The review as an XLSX workbook (one sheet per section). */
export async function writeReviewXlsx(out: Writable, r: PipelineReview, t: ReportsTranslate): Promise<void> {
  await writeXlsx(out, reviewSheets(r, t));
}

/**
 * The review as one CSV: a long table (section, row, column, value), since CSV has no sheets. Values are the
 * same as the XLSX cells.
 */
export async function writeReviewCsv(out: Writable, r: PipelineReview, t: ReportsTranslate): Promise<void> {
  const columns: Column[] = [
    { header: t("export.columns.section"), type: "text" },
    { header: t("export.columns.item"), type: "text" },
    { header: t("export.columns.measure"), type: "text" },
    { header: t("export.columns.value"), type: "text" },
  ];
  const rows: CellValue[][] = [];
  for (const sheet of reviewSheets(r, t)) {
    for (const row of sheet.rows as Iterable<CellValue[]>) {
      const label = row[0];
      sheet.columns.slice(1).forEach((c, i) => {
        const v = row[i + 1];
        if (v !== null && v !== undefined) rows.push([sheet.name, label === null || label === undefined ? "" : String(label), c.header, String(v)]);
      });
    }
  }
  await writeCsv(out, columns, rows);
  out.end();
}
