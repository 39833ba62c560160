"use client";

import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { Select } from "../../../../_components/ui";
import { useUrlParams } from "./filter-bar";

export function PipelineFilter({ pipelines }: { pipelines: { id: string; name: string }[] }) {
  const t = useTranslations("dealTable");
  const params = useSearchParams();
  const setParam = useUrlParams();
  return (
    <Select aria-label={t("pipeline")} className="w-auto" value={params.get("pipelineId") ?? ""} onChange={(e) => setParam({ pipelineId: e.target.value })}>
      <option value="">{t("allPipelines")}</option>
      {pipelines.map((p) => (
        <option key={p.id} value={p.id}>{p.name}</option>
      ))}
    </Select>
  );
}
