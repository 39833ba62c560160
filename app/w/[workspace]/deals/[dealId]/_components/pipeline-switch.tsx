"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { useErrorText } from "../../../../../_components/form";
import { Select } from "../../../../../_components/ui";
import { moveDealAction } from "../../_actions/deal-actions";

/** Moves the deal to another pipeline (into that pipeline's first stage; the move is in the history). */
export function PipelineSwitch({ slug, dealId, pipelineId, pipelines }: { slug: string; dealId: string; pipelineId: string; pipelines: { pipelineId: string; name: string; firstStageId: string }[] }) {
  const t = useTranslations("deal");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div className="flex items-center justify-between gap-3">
      <dt><label htmlFor="deal-pipeline" className="text-zinc-500">{t("pipeline")}</label></dt>
      <dd className="min-w-0">
        <Select
          id="deal-pipeline"
          className="h-8 w-44"
          value={pipelineId}
          disabled={pending}
          onChange={(e) => {
            const target = pipelines.find((p) => p.pipelineId === e.target.value);
            if (!target) return;
            start(async () => {
              const result = await moveDealAction(slug, undefined, { dealId, toStageId: target.firstStageId });
              if (!result.ok) return void toast.error(errorText(result.message));
              toast.success(t("movedToPipeline", { name: target.name }));
              router.refresh();
            });
          }}
        >
          {pipelines.map((p) => (
            <option key={p.pipelineId} value={p.pipelineId}>{p.name}</option>
          ))}
        </Select>
      </dd>
    </div>
  );
}
