import type { ImportSummary } from "@/db/schema";
import type { ImportKind } from "@/lib/imports/fields";
import type { ImportStatus } from "@/lib/imports/queries";
import { cn } from "../../../../../_components/cn";

const tone: Record<ImportStatus, string> = {
  uploaded: "bg-zinc-100 text-zinc-700",
  validating: "bg-sky-50 text-sky-700",
  ready: "bg-amber-50 text-amber-800",
  importing: "bg-sky-50 text-sky-700",
  completed: "bg-emerald-50 text-emerald-700",
  failed: "bg-red-50 text-red-700",
  reverted: "bg-zinc-100 text-zinc-500",
  interrupted: "bg-red-50 text-red-700",
};

export function StatusBadge({ status, label }: { status: ImportStatus; label: string }) {
  return <span className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", tone[status])}>{label}</span>;
}

type T = (key: string, values?: Record<string, string | number>) => string;

/**
 * The counts of a preview ("… to create") or a result ("… created"), one line per kind of record the import touches.
 * The engine records a kind only once it counts one, so a preview always names the import's own `kind` (a "No
 * contacts to create" line beats an empty list), and the other kinds only when the rows create or update some: a
 * contacts import never mentions deals.
 */
export function summaryLines(summary: ImportSummary, t: T, mode: "preview" | "result", kind: ImportKind): string[] {
  const lines: string[] = [];
  const shown = (k: ImportKind) => Boolean(summary[k]) || (mode === "preview" && k === kind);
  const c = (k: ImportKind) => summary[k] ?? { created: 0, updated: 0 };
  if (shown("deals")) lines.push(t(`${mode}.deals`, { created: c("deals").created }));
  if (shown("contacts")) lines.push(t(`${mode}.contacts`, { created: c("contacts").created, updated: c("contacts").updated }));
  if (shown("companies")) lines.push(t(`${mode}.companies`, { created: c("companies").created, updated: c("companies").updated }));
  if (mode === "preview") {
    if (summary.newPipelines?.length) lines.push(t("preview.pipelines", { names: summary.newPipelines.join(", ") }));
    if (summary.newStages?.length) lines.push(t("preview.stages", { names: summary.newStages.join(", ") }));
  } else if (summary.pipelines || summary.stages) {
    lines.push(t("result.pipelines", { created: summary.pipelines?.created ?? 0, stages: summary.stages?.created ?? 0 }));
  }
  return lines;
}
