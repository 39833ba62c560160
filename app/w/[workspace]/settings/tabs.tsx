"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../../../_components/cn";

export function SettingsTabs({ tabs }: { tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  // The tab whose address is the longest prefix of the page's: a sub-page (an import's detail, a workflow) keeps its
  // tab, and a tab at the section's root (/settings, /automations) is not also lit on its siblings' pages.
  const current = tabs
    .filter((tab) => pathname === tab.href || pathname.startsWith(`${tab.href}/`))
    .reduce<string | null>((best, tab) => (best === null || tab.href.length > best.length ? tab.href : best), null);
  return (
    <nav className="-mx-4 overflow-x-auto border-b border-zinc-200 px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-4">
        {tabs.map((tab) => {
          const active = tab.href === current;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn("block border-b-2 px-1 pb-2.5 text-sm whitespace-nowrap", active ? "border-brand-600 font-medium text-zinc-900" : "border-transparent text-zinc-500 hover:text-zinc-800")}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
