import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ArrowDown, ArrowUp } from "lucide-react";
import type { DealCardDTO, DealSort } from "@/lib/deals/queries";
import { formatCalendarDate, formatMoney } from "@/lib/format";
import { formatCustomValue, type FieldDef } from "@/lib/custom-fields/values";
import { cn } from "../../../../_components/cn";
import { Card, EmptyState } from "../../../../_components/ui";
import { SortLink, PageLinks } from "./table-links";

type Row = DealCardDTO & { stageName: string; pipelineName: string; createdAt: Date };

const PAGE_SIZE = 50;

/** A sortable, paginated table of deals (sort and page live in the URL). */
type Props = {
  slug: string;
  rows: Row[];
  total: number;
  page: number;
  /** A built-in sort key or "cf.<key>" for a custom field. */
  sort: DealSort | string;
  dir: "asc" | "desc";
  showPipeline: boolean;
  /** Custom fields shown as extra columns, and members to name user fields. */
  columns?: FieldDef[];
  members?: { id: string; name: string }[];
};

export async function DealTable({ slug, rows, total, page, sort, dir, showPipeline, columns = [], members = [] }: Props) {
  const t = await getTranslations("dealTable");
  const tb = await getTranslations("board");
  const locale = await getLocale();
  if (total === 0) return <EmptyState title={t("empty")} description={t("emptyText")} />;
  const memberName = (id: string) => members.find((m) => m.id === id)?.name;
  const header = (key: DealSort | string | null, label: string, className = "") => (
    <th scope="col" className={cn("px-3 py-2 font-medium", className)} aria-sort={key === sort ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      {key ? (
        <SortLink sortKey={key} active={key === sort} dir={dir}>
          {label}
          {key === sort ? dir === "asc" ? <ArrowUp className="h-3 w-3" aria-hidden /> : <ArrowDown className="h-3 w-3" aria-hidden /> : null}
        </SortLink>
      ) : (
        label
      )}
    </th>
  );
  return (
    <Card className="overflow-hidden">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[48rem] text-sm">
          <caption className="sr-only">{t("caption", { total })}</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase">
            <tr>
              {/* The deal's name stays in view while a wide table scrolls sideways (custom-field columns). */}
              {header("title", t("title"), "sticky left-0 z-10 bg-zinc-50 shadow-[inset_-1px_0_0_var(--color-zinc-200)]")}
              {header("value", t("value"), "text-right")}
              {header("stage", t("stage"))}
              {showPipeline ? header(null, t("pipeline")) : null}
              {header("owner", t("owner"))}
              {header(null, t("party"))}
              {header("close", t("expectedClose"))}
              {columns.map((f) => header(`cf.${f.key}`, f.label))}
              {header(null, t("status"))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 [&_td]:px-3 [&_td]:py-2 [&_td]:whitespace-nowrap [&_td:first-child]:whitespace-normal">
            {rows.map((d) => (
              <tr key={d.id} className="group hover:bg-zinc-50">
                <td className="sticky left-0 max-w-72 min-w-56 bg-white shadow-[inset_-1px_0_0_var(--color-zinc-200)] group-hover:bg-zinc-50">
                  <Link href={`/w/${slug}/deals/${d.id}`} prefetch={false} className="font-medium text-zinc-900 hover:text-brand-700">{d.title}</Link>
                </td>
                <td className="text-right tabular-nums">{formatMoney(d.value, d.currency, locale)}</td>
                <td>
                  {d.stageName}
                  {d.stuck ? <span className="ml-1.5 rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700">{tb("stuck", { days: d.daysInStage })}</span> : null}
                </td>
                {showPipeline ? <td className="text-zinc-600">{d.pipelineName}</td> : null}
                <td className="text-zinc-600">{d.ownerName ?? "—"}</td>
                <td className="text-zinc-600">{d.orgOrPerson ?? "—"}</td>
                <td className="text-zinc-600">
                  {d.expectedCloseDate ? formatCalendarDate(d.expectedCloseDate, locale) : "—"}
                </td>
                {columns.map((f) => (
                  <td key={f.key} className="max-w-56 truncate text-zinc-600">{formatCustomValue(f, d.custom[f.key], locale, memberName) || "—"}</td>
                ))}
                <td>
                  <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium", d.status === "won" ? "bg-emerald-50 text-emerald-700" : d.status === "lost" ? "bg-red-50 text-red-700" : "bg-zinc-100 text-zinc-600")}>
                    {tb(`status.${d.status}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-sm text-zinc-500">
        <span>{t("range", { from: (page - 1) * PAGE_SIZE + 1, to: Math.min(page * PAGE_SIZE, total), total })}</span>
        <PageLinks page={page} hasNext={page * PAGE_SIZE < total} />
      </div>
    </Card>
  );
}
