import type { ImportSummary } from "@/db/schema";
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

/** The counts of a preview ("… to create") or a result ("… created"), one line per kind of record. */
export function summaryLines(summary: ImportSummary, t: T, mode: "preview" | "result"): string[] {
  const lines: string[] = [];
  const c = (k: "deals" | "contacts" | "companies") => summary[k] ?? { created: 0, updated: 0 };
  if (summary.deals || mode === "preview") lines.push(t(`${mode}.deals`, { created: c("deals").created }));
  if (summary.contacts) lines.push(t(`${mode}.contacts`, { created: c("contacts").created, updated: c("contacts").updated }));
  if (summary.companies) lines.push(t(`${mode}.companies`, { created: c("companies").created, updated: c("companies").updated }));
  if (mode === "preview") {
    if (summary.newPipelines?.length) lines.push(t("preview.pipelines", { names: summary.newPipelines.join(", ") }));
    if (summary.newStages?.length) lines.push(t("preview.stages", { names: summary.newStages.join(", ") }));
  } else if (summary.pipelines || summary.stages) {
    lines.push(t("result.pipelines", { created: summary.pipelines?.created ?? 0, stages: summary.stages?.created ?? 0 }));
  }
  return lines;
}
