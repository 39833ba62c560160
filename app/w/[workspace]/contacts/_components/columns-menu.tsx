"use client";

import { useTransition } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { DropdownMenu } from "radix-ui";
import { Check, Columns3, Loader2 } from "lucide-react";
import { buttonClass } from "../../../../_components/ui";
import { firstValues, listHref } from "./list-url";

const item =
  "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100";

/**
 * "Columns" menu of the contact and company lists: which custom fields show as columns. The choice lives in the
 * URL (`cols=key1,key2`, in the fields' order), so a view with its columns can be bookmarked and shared.
 */
export function ColumnsMenu({
  fields,
  labels,
  manageHref,
}: {
  fields: { key: string; label: string }[];
  labels: { trigger: string; heading: string; empty: string; manage: string };
  /** Settings → Custom fields, for those who may manage them. */
  manageHref?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, start] = useTransition();
  const current = firstValues(Object.fromEntries(searchParams.entries()));
  const shown = new Set((current.cols ?? "").split(",").filter(Boolean));
  const toggle = (key: string) => {
    const next = new Set(shown);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    const cols = fields.filter((f) => next.has(f.key)).map((f) => f.key);
    // a column choice keeps the page the user is on
    start(() => router.replace(listHref(pathname, current, { cols: cols.join(",") || undefined, page: current.page }), { scroll: false }));
  };
  const count = fields.filter((f) => shown.has(f.key)).length;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className={buttonClass("secondary")}>
        {pending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <Columns3 className="h-4 w-4" aria-hidden />}
        {labels.trigger}
        {count ? <span className="rounded-full bg-brand-50 px-1.5 text-xs font-semibold text-brand-700 tabular-nums">{count}</span> : null}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 max-h-80 min-w-56 overflow-y-auto rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-zinc-500">{labels.heading}</DropdownMenu.Label>
          {fields.length === 0 ? <p className="px-2 py-1.5 text-sm text-zinc-500">{labels.empty}</p> : null}
          {fields.map((f) => (
            <DropdownMenu.CheckboxItem
              key={f.key}
              className={item}
              checked={shown.has(f.key)}
              onCheckedChange={() => toggle(f.key)}
              onSelect={(e) => e.preventDefault()} // keep the menu open to pick several
            >
              <span className="flex h-4 w-4 items-center justify-center rounded border border-zinc-300">
                <DropdownMenu.ItemIndicator>
                  <Check className="h-3 w-3 text-brand-700" aria-hidden />
                </DropdownMenu.ItemIndicator>
              </span>
              <span className="truncate">{f.label}</span>
            </DropdownMenu.CheckboxItem>
          ))}
          {manageHref ? (
            <>
              <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
              <DropdownMenu.Item asChild className={item}>
                <Link href={manageHref}>{labels.manage}</Link>
              </DropdownMenu.Item>
            </>
          ) : null}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
