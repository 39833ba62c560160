"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { Building2, CircleDollarSign, Search, UserRound } from "lucide-react";
import type { SearchHit } from "@/lib/search/queries";
import { cn } from "../../../_components/cn";
import { globalSearchAction } from "../search/actions";

const OPEN_EVENT = "pipewise:open-search";

const noSubscription = () => () => {};
/** Apple keyboards say ⌘, the others Ctrl; the server's HTML (and a first paint) says ⌘. */
const usesCommandKey = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** The sidebar's search button: opens the one palette the shell mounts (the sidebar exists twice: desktop, phone). */
export function SearchButton() {
  const t = useTranslations("search");
  const commandKey = useSyncExternalStore(noSubscription, usesCommandKey, () => true);
  return (
    <button
      type="button"
      onClick={() => window.dispatchEvent(new Event(OPEN_EVENT))}
      className="pw-i pw-i-4 pw-i-search flex w-full items-center gap-2 rounded-md border border-zinc-200 px-2.5 py-1.5 text-sm text-zinc-500 hover:bg-zinc-50"
    >
      <span className="flex-1 text-left">{t("trigger")}</span>
      <kbd className="rounded border border-zinc-200 px-1 text-[10px] text-zinc-600">{commandKey ? "⌘K" : "Ctrl K"}</kbd>
    </button>
  );
}

const icons = { deal: CircleDollarSign, contact: UserRound, company: Building2 } as const;
const paths = { deal: "deals", contact: "contacts", company: "companies" } as const;

/**
 * The command palette: Ctrl/⌘+K anywhere in a workspace (or the sidebar button), results as you type, arrow keys
 * to choose, Enter to open, Escape to close. A WAI-ARIA combobox over a listbox.
 */
export function CommandPalette({ slug }: { slug: string }) {
  const t = useTranslations("search");
  const router = useRouter();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [active, setActive] = useState(0);
  const ticket = useRef(0);
  // Every opening starts from an empty box, however the palette was closed last (Escape, a chosen result, ⌘K).
  const [openedAs, setOpenedAs] = useState(open);
  if (openedAs !== open) {
    setOpenedAs(open);
    if (open) {
      setQ("");
      setHits(null);
      setActive(0);
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        ticket.current++; // a search still on its way is for the text of the palette being toggled
        setOpen((o) => !o);
      }
    };
    const onOpen = () => setOpen(true);
    window.addEventListener("keydown", onKey);
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener(OPEN_EVENT, onOpen);
    };
  }, []);

  const search = (text: string) => {
    setQ(text);
    const mine = ++ticket.current;
    if (text.trim().length < 2) {
      setHits(null);
      return;
    }
    setTimeout(async () => {
      if (mine !== ticket.current) return; // typed on: only the latest text is searched
      const result = await globalSearchAction(slug, undefined, { q: text });
      if (mine !== ticket.current) return;
      setHits(result.ok ? (result.data ?? []) : []);
      setActive(0);
    }, 120);
  };

  const go = (hit: SearchHit | undefined) => {
    if (!hit) return;
    ticket.current++;
    setOpen(false);
    router.push(`/w/${slug}/${paths[hit.kind]}/${hit.id}`);
  };

  const list = hits ?? [];
  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (!o) ticket.current++;
        setOpen(o);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed top-[12vh] left-1/2 z-50 w-[calc(100vw-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-lg bg-white shadow-2xl" aria-describedby={undefined}>
          <Dialog.Title className="sr-only">{t("title")}</Dialog.Title>
          <div className="flex items-center gap-2 border-b border-zinc-200 px-3">
            <Search className="h-4 w-4 text-zinc-400" aria-hidden />
            <input
              autoFocus
              role="combobox"
              aria-expanded={list.length > 0}
              aria-controls={listId}
              aria-activedescendant={list.length ? optionId(active) : undefined}
              aria-label={t("title")}
              placeholder={t("placeholder")}
              className="h-12 flex-1 bg-transparent text-sm outline-none"
              value={q}
              onChange={(e) => search(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "ArrowDown") {
                  e.preventDefault();
                  setActive((i) => Math.min(i + 1, list.length - 1));
                } else if (e.key === "ArrowUp") {
                  e.preventDefault();
                  setActive((i) => Math.max(i - 1, 0));
                } else if (e.key === "Enter") {
                  e.preventDefault();
                  go(list[active]);
                }
              }}
            />
          </div>
          <ul id={listId} role="listbox" aria-label={t("results")} className="max-h-[60vh] overflow-y-auto p-1">
            {list.map((hit, i) => {
              const Icon = icons[hit.kind];
              return (
                <li
                  key={`${hit.kind}-${hit.id}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => go(hit)}
                  className={cn("flex cursor-pointer items-center gap-3 rounded-md px-3 py-2", i === active && "bg-brand-50")}
                >
                  <Icon className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center gap-1.5">
                      <span className="truncate text-sm text-zinc-900">{hit.title}</span>
                      {hit.closed ? (
                        <span className={cn("shrink-0 rounded px-1.5 py-0.5 text-[11px] leading-none font-medium", hit.closed === "won" ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700")}>
                          {t(`closed.${hit.closed}`)}
                        </span>
                      ) : null}
                    </span>
                    {hit.subtitle ? <span className="block truncate text-xs text-zinc-500">{hit.subtitle}</span> : null}
                  </span>
                  <span className="text-xs text-zinc-400">{t(`kind.${hit.kind}`)}</span>
                </li>
              );
            })}
          </ul>
          {hits !== null && list.length === 0 ? <p className="px-4 pb-4 text-sm text-zinc-500">{t("noResults", { q })}</p> : null}
          {hits === null ? <p className="px-4 pb-4 text-xs text-zinc-400">{t("hint")}</p> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
