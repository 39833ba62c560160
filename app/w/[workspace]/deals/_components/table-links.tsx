"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { buttonClass } from "../../../../_components/ui";

function useHref() {
  const pathname = usePathname();
  const params = useSearchParams();
  return (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `${pathname}${next.size ? `?${next}` : ""}`;
  };
}

/** A column header link that keeps the current filters and toggles the direction. */
export function SortLink({ sortKey, active, dir, children }: { sortKey: string; active: boolean; dir: "asc" | "desc"; children: ReactNode }) {
  const href = useHref();
  return (
    <Link href={href({ sort: sortKey, dir: active && dir === "asc" ? "desc" : "asc", page: null })} className="inline-flex items-center gap-1 hover:text-zinc-900" scroll={false}>
      {children}
    </Link>
  );
}

export function PageLinks({ page, hasNext }: { page: number; hasNext: boolean }) {
  const href = useHref();
  const t = useTranslations("dealTable");
  return (
    <nav className="flex gap-2" aria-label={t("pagination")}>
      {page > 1 ? <Link className={buttonClass("secondary", "sm")} href={href({ page: page === 2 ? null : String(page - 1) })}>{t("previous")}</Link> : null}
      {hasNext ? <Link className={buttonClass("secondary", "sm")} href={href({ page: String(page + 1) })}>{t("next")}</Link> : null}
    </nav>
  );
}
