import Link from "next/link";
import type { ReactNode } from "react";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from "lucide-react";
import { cn } from "../../../../_components/cn";
import { buttonClass } from "../../../../_components/ui";
import { listHref, pageRange, sortHref, type ListQuery } from "./list-url";

/** A sortable column header: a link that flips / sets the sort, with aria-sort on the active column. */
export function SortHeader<S extends string>({
  label,
  column,
  base,
  query,
  active,
  defaultDir,
  className,
}: {
  label: string;
  column: S;
  base: string;
  query: ListQuery;
  active: { sort: S; dir: "asc" | "desc" };
  defaultDir: (sort: S) => "asc" | "desc";
  className?: string;
}) {
  const isActive = active.sort === column;
  const Icon = !isActive ? ArrowUpDown : active.dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <th scope="col" aria-sort={isActive ? (active.dir === "asc" ? "ascending" : "descending") : undefined} className={cn("px-4 py-2.5 font-medium whitespace-nowrap", className)}>
      <Link
        href={sortHref(base, query, column, active, defaultDir)}
        scroll={false}
        className={cn("group inline-flex items-center gap-1 hover:text-zinc-900", isActive && "text-zinc-900")}
      >
        {label}
        <Icon className={cn("h-3.5 w-3.5", isActive ? "text-zinc-700" : "text-zinc-300 group-hover:text-zinc-500")} aria-hidden />
      </Link>
    </th>
  );
}

export function PlainHeader({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <th scope="col" className={cn("px-4 py-2.5 font-medium whitespace-nowrap", className)}>
      {children}
    </th>
  );
}

/** "Showing 1–50 of 122" with previous / next links; hidden parts when there is one page. */
export function Pagination({
  base,
  query,
  page,
  pageCount,
  pageSize,
  total,
  labels,
}: {
  base: string;
  query: ListQuery;
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  labels: { showing: (range: { from: number; to: number; total: number }) => string; previous: string; next: string; pageOf: string; nav: string };
}) {
  const { from, to } = pageRange(page, pageSize, total);
  const link = (target: number) => listHref(base, query, { page: String(target) });
  const disabled = "pointer-events-none opacity-40";
  return (
    <nav aria-label={labels.nav} className="flex flex-col items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm text-zinc-500 sm:flex-row">
      <p aria-live="polite">{labels.showing({ from, to, total })}</p>
      {pageCount > 1 ? (
        <div className="flex items-center gap-2">
          <span className="mr-1 hidden sm:inline">{labels.pageOf}</span>
          <Link
            href={link(page - 1)}
            aria-disabled={page <= 1}
            tabIndex={page <= 1 ? -1 : undefined}
            className={cn(buttonClass("secondary", "sm"), page <= 1 && disabled)}
            rel="prev"
          >
            <ChevronLeft className="h-4 w-4" aria-hidden /> {labels.previous}
          </Link>
          <Link
            href={link(page + 1)}
            aria-disabled={page >= pageCount}
            tabIndex={page >= pageCount ? -1 : undefined}
            className={cn(buttonClass("secondary", "sm"), page >= pageCount && disabled)}
            rel="next"
          >
            {labels.next} <ChevronRight className="h-4 w-4" aria-hidden />
          </Link>
        </div>
      ) : null}
    </nav>
  );
}

const lifecycleStyles = {
  lead: "bg-sky-50 text-sky-700 ring-sky-600/20",
  qualified: "bg-amber-50 text-amber-800 ring-amber-600/20",
  customer: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
} as const;

export function LifecycleBadge({ lifecycle, label }: { lifecycle: keyof typeof lifecycleStyles; label: string }) {
  return (
    <span className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", lifecycleStyles[lifecycle])}>
      {label}
    </span>
  );
}

const dealStatusStyles = {
  open: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  won: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  lost: "bg-red-50 text-red-700 ring-red-600/20",
} as const;

export function DealStatusBadge({ status, label }: { status: keyof typeof dealStatusStyles; label: string }) {
  return (
    <span className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", dealStatusStyles[status])}>
      {label}
    </span>
  );
}

/** Round initials avatar (people) or rounded-square (companies). */
export function Avatar({ text, square, size = "md" }: { text: string; square?: boolean; size?: "md" | "lg" }) {
  return (
    <span
      aria-hidden
      className={cn(
        "flex shrink-0 items-center justify-center bg-brand-50 font-semibold text-brand-700",
        square ? "rounded-md" : "rounded-full",
        size === "lg" ? "h-12 w-12 text-base" : "h-8 w-8 text-xs",
      )}
    >
      {text}
    </span>
  );
}
