"use client";

import { useState } from "react";
import { columnsFit } from "@/lib/reports/chart-layout";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * Report charts (Recharts). They receive ready series computed on the server, with labels already formatted
 * where they are shown; the page renders a table of the same figures beside each chart, so nothing depends on
 * the chart for reading (or printing, or screen readers).
 */
export type SeriesSpec = { key: string; label: string; color: string; money?: boolean };

const palette = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6"];

function formatter(locale: string, currency: string | undefined) {
  const money = currency ? new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }) : null;
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return (v: number, isMoney?: boolean) => (isMoney && money ? money.format(v) : plain.format(v));
}

/**
 * Legend and tooltip items in the order of the series, which is the order of the bars (Recharts sorts them by name
 * by default: in zh-CN the funnel's legend read "moved on, open now, entered" under bars "entered, moved on, open").
 */
function seriesOrder(series: SeriesSpec[]) {
  return (item: { dataKey?: unknown }) => series.findIndex((s) => s.key === item.dataKey);
}

/**
 * Bars per category, e.g. the stage funnel or won by owner. `horizontal` draws columns, and turns into rows of bars
 * (names on the left, wrapped when long) when the names would not fit under the columns, as on a phone
 * (lib/reports/chart-layout.ts); `vertical` always draws rows.
 */
export function BarsChart({
  data,
  series,
  locale,
  currency,
  layout = "horizontal",
  height = 260,
}: {
  data: Record<string, string | number>[];
  series: SeriesSpec[];
  locale: string;
  currency?: string;
  layout?: "horizontal" | "vertical";
  height?: number;
}) {
  const fmt = formatter(locale, currency);
  const [narrow, setNarrow] = useState(false);
  const vertical = layout === "vertical" || narrow;
  // rows of bars need room for each category's bars (12px a series) and a gap, plus the axis and the legend
  const rowsHeight = layout === "horizontal" && narrow ? Math.max(height, data.length * (series.length * 12 + 16) + 64) : height;
  return (
    <ResponsiveContainer width="100%" height={rowsHeight} onResize={(width) => setNarrow(width > 0 && !columnsFit(width, data.map((d) => String(d.name))))}>
      <BarChart accessibilityLayer={false} data={data} layout={vertical ? "vertical" : "horizontal"} margin={{ top: 8, right: 12, bottom: 8, left: vertical ? 8 : 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
        {vertical ? (
          <>
            <XAxis type="number" tickFormatter={(v: number) => fmt(v, series[0]?.money)} fontSize={11} />
            <YAxis type="category" dataKey="name" width={96} fontSize={11} />
          </>
        ) : (
          <>
            <XAxis dataKey="name" fontSize={11} interval={0} tick={{ fontSize: 11 }} />
            <YAxis tickFormatter={(v: number) => fmt(v, series[0]?.money)} fontSize={11} width={56} />
          </>
        )}
        <Tooltip itemSorter={seriesOrder(series)} formatter={(v, name) => [fmt(Number(v), series.find((s) => s.label === name)?.money), String(name)]} />
        {series.length > 1 ? <Legend itemSorter={seriesOrder(series)} wrapperStyle={{ fontSize: 12 }} /> : null}
        {series.map((s, i) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color || palette[i % palette.length]} radius={2} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Lines over months, e.g. the forecast's weighted and unweighted totals. */
export function LinesChart({ data, series, locale, currency, height = 260 }: { data: Record<string, string | number>[]; series: SeriesSpec[]; locale: string; currency?: string; height?: number }) {
  const fmt = formatter(locale, currency);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
        <XAxis dataKey="name" fontSize={11} />
        <YAxis tickFormatter={(v: number) => fmt(v, series[0]?.money)} fontSize={11} width={56} />
        <Tooltip itemSorter={seriesOrder(series)} formatter={(v, name) => [fmt(Number(v), series.find((s) => s.label === name)?.money), String(name)]} />
        <Legend itemSorter={seriesOrder(series)} wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, i) => (
          <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color || palette[i % palette.length]} strokeWidth={2} dot />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
