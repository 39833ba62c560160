"use client";

import { useEffect, useRef, useState, useTransition, type ReactNode } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Loader2, Search, X } from "lucide-react";
import { Button, Input, Select } from "../../../../_components/ui";
import { firstValues, listHref } from "./list-url";

export type ToolbarFilter = { name: string; label: string; options: { value: string; label: string }[] };

type Props = {
  searchLabel: string;
  searchPlaceholder: string;
  filters: ToolbarFilter[];
  clearLabel: string;
  /** Phones have no column headers to click: a sort menu ("field:dir" values) stands in for them there. */
  sort?: { label: string; value: string; options: { value: string; label: string }[] };
  /** Extra controls at the end of the row (the Columns menu). */
  children?: ReactNode;
};

/**
 * Search box and filter selects of a list page. Everything lives in the URL (router.replace, page reset), so
 * the server page re-renders the results and the view can be shared or bookmarked.
 */
export function ListToolbar({ searchLabel, searchPlaceholder, filters, clearLabel, sort, children }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const current = firstValues(Object.fromEntries(searchParams.entries()));
  const urlQ = current.q ?? "";
  const [text, setText] = useState(urlQ);
  const [pending, start] = useTransition();
  const pushed = useRef(urlQ);

  // Follow the URL when it changes from elsewhere (a "clear filters" link, back button), not while typing.
  useEffect(() => {
    if (urlQ !== pushed.current) {
      pushed.current = urlQ;
      setText(urlQ);
    }
  }, [urlQ]);

  const go = (changes: Record<string, string | undefined>) =>
    start(() => router.replace(listHref(pathname, current, changes), { scroll: false }));

  useEffect(() => {
    const value = text.trim();
    if (value === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = value;
      go({ q: value || undefined });
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only typing schedules a search
  }, [text]);

  const active = Boolean(urlQ) || filters.some((f) => current[f.name]);

  return (
    <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center" role="search">
      <div className="relative sm:w-72">
        <Search className="pointer-events-none absolute top-1/2 left-2.5 h-4 w-4 -translate-y-1/2 text-zinc-400" aria-hidden />
        <Input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              pushed.current = text.trim();
              go({ q: text.trim() || undefined });
            }
          }}
          placeholder={searchPlaceholder}
          aria-label={searchLabel}
          className="pl-8"
        />
        {pending ? <Loader2 className="absolute top-1/2 right-2.5 h-4 w-4 -translate-y-1/2 animate-spin text-zinc-400" aria-hidden /> : null}
      </div>
      <div className="flex flex-wrap gap-2">
        {filters.map((f) => (
          <Select
            key={f.name}
            aria-label={f.label}
            value={current[f.name] ?? ""}
            onChange={(e) => go({ [f.name]: e.target.value || undefined })}
            className="w-auto min-w-36 flex-1 sm:flex-none"
          >
            <option value="">{f.label}</option>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        ))}
        {sort ? (
          <Select
            aria-label={sort.label}
            value={sort.options.some((o) => o.value === sort.value) ? sort.value : ""}
            onChange={(e) => {
              const [field, dir] = e.target.value.split(":");
              go({ sort: field, dir });
            }}
            className="w-auto min-w-36 flex-1 md:hidden"
          >
            {sort.options.some((o) => o.value === sort.value) ? null : <option value="">{sort.label}</option>}
            {sort.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        ) : null}
        {active ? (
          <Button
            variant="ghost"
            onClick={() => {
              pushed.current = "";
              setText("");
              go(Object.fromEntries([["q", undefined], ...filters.map((f) => [f.name, undefined])]));
            }}
          >
            <X className="h-4 w-4" aria-hidden /> {clearLabel}
          </Button>
        ) : null}
        {children}
      </div>
    </div>
  );
}
