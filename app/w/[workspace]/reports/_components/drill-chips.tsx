import Link from "next/link";
import { X } from "lucide-react";

/** One reason a list is filtered: its label and the URL without it. */
export type DrillChip = { key: string; label: string; removeHref: string };

/**
 * The filters a report figure opened a list with, as chips: the user sees why the list is filtered (these filters
 * are not in the filter bar), can drop one, or clear them all. Rendered on the server.
 */
export function DrillChips({ note, chips, clearHref, clearLabel, removeLabel }: { note: string; chips: DrillChip[]; clearHref: string; clearLabel: string; removeLabel: (label: string) => string }) {
  if (chips.length === 0) return null;
  return (
    <div className="mb-3 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-zinc-700" data-testid="drill-chips">
      <p className="mb-1.5">{note}</p>
      <ul className="flex flex-wrap items-center gap-1.5">
        {chips.map((c) => (
          <li key={c.key} className="inline-flex max-w-full items-center gap-1 rounded-full border border-brand-200 bg-white py-0.5 pr-1 pl-2.5 text-xs font-medium text-zinc-800" data-chip={c.key}>
            <span className="[overflow-wrap:anywhere]">{c.label}</span>
            <Link href={c.removeHref} aria-label={removeLabel(c.label)} className="rounded-full p-0.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900">
              <X className="h-3 w-3" aria-hidden />
            </Link>
          </li>
        ))}
        <li>
          <Link href={clearHref} className="ml-1 text-xs font-medium text-brand-700 underline">
            {clearLabel}
          </Link>
        </li>
      </ul>
    </div>
  );
}

/** The URL of `pathname` with `raw`'s parameters minus `drop`. */
export function hrefWithout(pathname: string, raw: Record<string, string | undefined>, drop: string[]): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (v && !drop.includes(k)) q.set(k, v);
  const s = q.toString();
  return s ? `${pathname}?${s}` : pathname;
}

/** A [from, to) range of instants as local dates of `timeZone` (the end is exclusive: the day before it is shown). */
export function localRange(from: string | undefined, to: string | undefined, timeZone: string, locale: string): { from: string | null; to: string | null } {
  const f = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone });
  return { from: from ? f.format(new Date(from)) : null, to: to ? f.format(new Date(new Date(to).getTime() - 1)) : null };
}
