"use client";

import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { cn } from "../../../../../_components/cn";
import type { FieldDef } from "@/lib/custom-fields/values";
import { NewDealDialog } from "./new-deal-dialog";
import { useBoardOptions } from "./board-options";
import { DealFilterBar, useUrlParams } from "../../../deals/_components/filter-bar";
import { ColumnChooser, CustomFieldFilters } from "../../../deals/_components/custom-filters";

type Props = {
  slug: string;
  pipelineId: string;
  pipelines: { id: string; name: string }[];
  /** Members known at first paint (a filtered owner's name); the full list loads with the board's options. */
  members: { id: string; name: string }[];
  currency: string;
  view: "board" | "table";
  summary: ReactNode;
  /** The custom fields the filter bar offers (choice-like ones; every field in the table view, for its columns). */
  filterFields: FieldDef[];
};

/** Pipeline switcher, filters (kept in the URL so a view can be shared), view toggle and "New deal". */
export function BoardToolbar({ slug, pipelineId, pipelines, members: firstPaintMembers, currency, view, summary, filterFields }: Props) {
  const t = useTranslations("board");
  const router = useRouter();
  const setParam = useUrlParams();
  const members = useBoardOptions().options?.members ?? firstPaintMembers;

  return (
    <div className="mb-4 space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <label className="sr-only" htmlFor="pipeline-switch">{t("pipeline")}</label>
        <select
          id="pipeline-switch"
          className="pw-pipeline"
          value={pipelineId}
          onChange={(e) => router.push(`/w/${slug}/pipelines/${e.target.value}`)}
        >
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>{p.name}</option>
          ))}
        </select>
        <p className="text-sm text-zinc-500" data-testid="pipeline-summary">{summary}</p>
        <div className="ml-auto flex items-center gap-2">
          <div className="flex rounded-md border border-zinc-300 bg-white p-0.5" role="group" aria-label={t("viewLabel")}>
            {(["board", "table"] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => setParam({ view: v === "board" ? null : v })}
                className={cn("pw-i pw-i-4 inline-flex items-center gap-1 rounded px-2 py-1 text-sm", `pw-i-view-${v}`, view === v ? "bg-zinc-100 font-medium text-zinc-900" : "text-zinc-500 hover:text-zinc-800")}
              >
                {t(`view.${v}`)}
              </button>
            ))}
          </div>
          <NewDealDialog slug={slug} pipelineId={pipelineId} currency={currency} />
        </div>
      </div>
      <DealFilterBar members={members}>
        <CustomFieldFilters fields={filterFields} members={members} />
        {view === "table" ? <ColumnChooser fields={filterFields} /> : null}
      </DealFilterBar>
    </div>
  );
}
