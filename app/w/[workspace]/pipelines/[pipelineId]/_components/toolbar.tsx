"use client";

import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Columns3, Rows3 } from "lucide-react";
import { cn } from "../../../../../_components/cn";
import { Select } from "../../../../../_components/ui";
import type { FieldDef } from "@/lib/custom-fields/values";
import { NewDealDialog } from "./new-deal-dialog";
import { DealFilterBar, useUrlParams } from "../../../deals/_components/filter-bar";
import { ColumnChooser, CustomFieldFilters } from "../../../deals/_components/custom-filters";

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
  dealFields: FieldDef[];
};

/** Pipeline switcher, filters (kept in the URL so a view can be shared), view toggle and "New deal". */
export function BoardToolbar({ slug, pipeline, pipelines, stages, members, sources, currency, view, summary, dealFields }: Props) {
  const t = useTranslations("board");
  const router = useRouter();
  const setParam = useUrlParams();

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
          <NewDealDialog slug={slug} pipelineId={pipeline.id} stages={stages} members={members} sources={sources} currency={currency} dealFields={dealFields} />
        </div>
      </div>
      <DealFilterBar members={members}>
        <CustomFieldFilters fields={dealFields} members={members} />
        {view === "table" ? <ColumnChooser fields={dealFields} /> : null}
      </DealFilterBar>
    </div>
  );
}
