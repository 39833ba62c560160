"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Columns3, Rows3, Search } from "lucide-react";
import { cn } from "../../../../../_components/cn";
import { Input, Select } from "../../../../../_components/ui";
import { NewDealDialog } from "./new-deal-dialog";

type Props = {
  slug: string;
  pipeline: { id: string; name: string };
  pipelines: { id: string; name: string }[];
  stages: { id: string; name: string }[];
  members: { id: string; name: string }[];
  sources: string[];
  currency: string;
  view: "board" | "table";
  summary: ReactNode;
};

/** Pipeline switcher, filters (kept in the URL so a view can be shared), view toggle and "New deal". */
export function BoardToolbar({ slug, pipeline, pipelines, stages, members, sources, currency, view, summary }: Props) {
  const t = useTranslations("board");
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  useEffect(() => setQ(params.get("q") ?? ""), [params]);

  const setParam = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in changes)) next.delete("page");
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };

  return (
    <div className="mb-4 space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <label className="sr-only" htmlFor="pipeline-switch">{t("pipeline")}</label>
        <Select
          id="pipeline-switch"
          className="h-9 w-auto max-w-64 border-transparent bg-transparent text-lg font-semibold shadow-none hover:bg-zinc-100"
          value={pipeline.id}
          onChange={(e) => router.push(`/w/${slug}/pipelines/${e.target.value}`)}
        >
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>{p.name}</option>
          ))}
        </Select>
        <p className="text-sm text-zinc-500" data-testid="pipeline-summary">{summary}</p>
        <div className="ml-auto flex items-center gap-2">
          <div className="flex rounded-md border border-zinc-300 bg-white p-0.5" role="group" aria-label={t("viewLabel")}>
            {(["board", "table"] as const).map((v) => {
              const Icon = v === "board" ? Columns3 : Rows3;
              return (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => setParam({ view: v === "board" ? null : v })}
                  className={cn("inline-flex items-center gap-1 rounded px-2 py-1 text-sm", view === v ? "bg-zinc-100 font-medium text-zinc-900" : "text-zinc-500 hover:text-zinc-800")}
                >
                  <Icon className="h-4 w-4" aria-hidden /> {t(`view.${v}`)}
                </button>
              );
            })}
          </div>
          <NewDealDialog slug={slug} pipelineId={pipeline.id} stages={stages} members={members} sources={sources} currency={currency} />
        </div>
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParam({ q });
        }}
      >
        <div className="relative w-full sm:w-56">
          <Search className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-zinc-400" aria-hidden />
          <Input aria-label={t("search")} placeholder={t("searchPlaceholder")} className="pl-8" value={q} onChange={(e) => setQ(e.target.value)} onBlur={() => q !== (params.get("q") ?? "") && setParam({ q })} />
        </div>
        <Select aria-label={t("owner")} className="w-auto" value={params.get("owner") ?? ""} onChange={(e) => setParam({ owner: e.target.value })}>
          <option value="">{t("everyone")}</option>
          <option value="me">{t("me")}</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>{m.name}</option>
          ))}
        </Select>
        <Select aria-label={t("statusLabel")} className="w-auto" value={params.get("status") ?? "open"} onChange={(e) => setParam({ status: e.target.value === "open" ? null : e.target.value })}>
          {(["open", "won", "lost", "all"] as const).map((s) => (
            <option key={s} value={s}>{t(`statusFilter.${s}`)}</option>
          ))}
        </Select>
        <label className="flex items-center gap-1 text-sm text-zinc-600">
          <span className="whitespace-nowrap">{t("closeFrom")}</span>
          <Input type="date" className="w-auto" value={params.get("closeFrom") ?? ""} onChange={(e) => setParam({ closeFrom: e.target.value })} />
        </label>
        <label className="flex items-center gap-1 text-sm text-zinc-600">
          <span className="whitespace-nowrap">{t("closeTo")}</span>
          <Input type="date" className="w-auto" value={params.get("closeTo") ?? ""} onChange={(e) => setParam({ closeTo: e.target.value })} />
        </label>
        <label className="flex h-9 items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-700">
          <input type="checkbox" checked={params.get("stuck") === "1"} onChange={(e) => setParam({ stuck: e.target.checked ? "1" : null })} />
          {t("stuckOnly")}
        </label>
      </form>
    </div>
  );
}
