"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../../../_components/cn";

export function SettingsTabs({ tabs }: { tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className="-mx-4 overflow-x-auto border-b border-zinc-200 px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-4">
        {tabs.map((tab) => {
          // sub-pages (an import's detail) keep their tab; the general tab is the settings root itself
          const active = pathname === tab.href || (!tab.href.endsWith("/settings") && pathname.startsWith(`${tab.href}/`));
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
