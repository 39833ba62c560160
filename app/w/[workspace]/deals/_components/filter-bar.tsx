"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Search } from "lucide-react";
import { Input, Select } from "../../../../_components/ui";

/** Returns a setter that changes URL search params in place (filters are shareable links); resets the page. */
export function useUrlParams() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in changes)) next.delete("page");
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };
}

/** Pause after the last key before the list follows the search box. */
const SEARCH_DELAY_MS = 350;

/** Search, owner, status, expected close range and "stuck only" — the deal filters, kept in the URL. */
export function DealFilterBar({ members, children, defaultStatus = "open" }: { members: { id: string; name: string }[]; children?: ReactNode; defaultStatus?: "open" | "all" }) {
  const t = useTranslations("board");
  const params = useSearchParams();
  const setParam = useUrlParams();
  const currentQ = params.get("q") ?? "";
  // The list follows the search box as you type (SEARCH_DELAY_MS after the last key; Enter or leaving the box at
  // once). The box keeps what is typed — also the keys pressed while the URL catches up with an earlier search —
  // and takes the URL's text only when that changes from elsewhere (back, a link, "clear filters").
  const [text, setText] = useState(currentQ);
  const [urlQ, setUrlQ] = useState(currentQ);
  const [sent, setSent] = useState(currentQ);
  if (urlQ !== currentQ) {
    setUrlQ(currentQ);
    if (currentQ !== sent) setText(currentQ);
  }
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const searchNow = (value: string) => {
    clearTimeout(typing.current);
    const q = value.trim();
    if (q === currentQ.trim()) return;
    setSent(q);
    setParam({ q });
  };
  // the pause ends with the filters as they are then (another filter may have changed meanwhile)
  const latestSearch = useRef(searchNow);
  useEffect(() => {
    latestSearch.current = searchNow;
  });
  useEffect(() => () => clearTimeout(typing.current), []);
  const closeFrom = params.get("closeFrom") ?? "";
  const closeTo = params.get("closeTo") ?? "";
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        searchNow(text);
      }}
    >
      <div className="relative w-full sm:w-56">
        <Search className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-zinc-400" aria-hidden />
        <Input
          name="q"
          type="search"
          aria-label={t("search")}
          placeholder={t("searchPlaceholder")}
          className="pl-8"
          value={text}
          onChange={(e) => {
            const value = e.target.value;
            setText(value);
            clearTimeout(typing.current);
            typing.current = setTimeout(() => latestSearch.current(value), SEARCH_DELAY_MS);
          }}
          onBlur={() => searchNow(text)}
        />
      </div>
      {children}
      <Select aria-label={t("owner")} className="w-auto" value={params.get("owner") ?? ""} onChange={(e) => setParam({ owner: e.target.value })}>
        <option value="">{t("everyone")}</option>
        <option value="me">{t("me")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>{m.name}</option>
        ))}
      </Select>
      <Select aria-label={t("statusLabel")} className="w-auto" value={params.get("status") ?? defaultStatus} onChange={(e) => setParam({ status: e.target.value === defaultStatus ? null : e.target.value })}>
        {(["open", "won", "lost", "all"] as const).map((s) => (
          <option key={s} value={s}>{t(`statusFilter.${s}`)}</option>
        ))}
      </Select>
      <label className="flex items-center gap-1 text-sm text-zinc-600">
        <span className="whitespace-nowrap">{t("closeFrom")}</span>
        <Input type="date" className="w-36" value={closeFrom} onChange={(e) => setParam({ closeFrom: e.target.value })} />
      </label>
      <label className="flex items-center gap-1 text-sm text-zinc-600">
        <span className="whitespace-nowrap">{t("closeTo")}</span>
        <Input type="date" className="w-36" value={closeTo} onChange={(e) => setParam({ closeTo: e.target.value })} />
      </label>
      <label className="flex h-9 items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-700">
        <input type="checkbox" checked={params.get("stuck") === "1"} onChange={(e) => setParam({ stuck: e.target.checked ? "1" : null })} />
        {t("stuckOnly")}
      </label>
      {closeFrom && closeTo && closeFrom > closeTo ? (
        <p role="status" className="w-full text-sm text-amber-700">
          {t("closeRangeReversed")}
        </p>
      ) : null}
    </form>
  );
}
