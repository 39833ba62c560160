/**
 * Whether a bar chart's category names fit under its columns (presentation only). Recharts draws every name
 * (interval 0), so names wider than their slot run into each other ("Lead inQualified leadDemo" on a phone);
 * then the chart draws rows of bars with the names on the left instead.
 */

/** Rough width in px of a label at the charts' 11px font: CJK characters are about twice as wide as Latin ones. */
export function estimateLabelWidth(label: string): number {
  let px = 0;
  for (const ch of label) px += ch.codePointAt(0)! >= 0x2e80 ? 11 : 6.5;
  return px;
}

/** Columns fit when each category's slot holds its longest name and a gap (and is not too thin for its bars). */
export function columnsFit(chartWidth: number, labels: string[]): boolean {
  if (labels.length === 0) return true;
  const longest = Math.max(...labels.map(estimateLabelWidth));
  return chartWidth / labels.length >= Math.max(48, longest + 12);
}
