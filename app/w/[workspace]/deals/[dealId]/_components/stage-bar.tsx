"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { FieldDef } from "@/lib/custom-fields/values";
import type { Member } from "../../../../../_components/custom-field-input";
import { missingFromRefusal, RequirementsDialog, type RequirementsRequest } from "../../_components/requirements-dialog";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { cn } from "../../../../../_components/cn";
import { useErrorText } from "../../../../../_components/form";
import { moveDealAction } from "../../_actions/deal-actions";
import { offerNextActivity } from "../../../activities/_components/next-activity";
import type { ActivityDefaults } from "../../../activities/_components/types";

const DAY = 86_400_000;

/** The pipeline's stages as one bar: where the deal is, how long it spent in each; click a stage to move it. */
type Props = {
  slug: string;
  dealId: string;
  dealTitle: string;
  currentStageId: string;
  stages: { id: string; name: string; probability: number; ms: number }[];
  disabled: boolean;
  nextActivity?: ActivityDefaults;
  /** For a stage that requires fields the deal lacks. */
  requirementOptions: { fields: FieldDef[]; members: Member[]; sources: string[] };
};

export function StageBar({ slug, dealId, dealTitle, currentStageId, stages, disabled, nextActivity, requirementOptions }: Props) {
  const [requirement, setRequirement] = useState<RequirementsRequest | null>(null);
  const t = useTranslations("deal");
  const ta = useTranslations("activities");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const currentIndex = stages.findIndex((s) => s.id === currentStageId);
  return (
    <nav aria-label={t("stages")} aria-busy={pending}>
      <ol className="flex overflow-x-auto rounded-md border border-zinc-200 bg-white">
        {stages.map((s, i) => {
          const days = Math.floor(s.ms / DAY);
          const reached = i <= currentIndex;
          return (
            <li key={s.id} className="min-w-28 flex-1">
              <button
                type="button"
                disabled={disabled || pending || s.id === currentStageId}
                aria-current={s.id === currentStageId ? "step" : undefined}
                title={t("moveTo", { stage: s.name })}
                onClick={() =>
                  start(async () => {
                    const result = await moveDealAction(slug, undefined, { dealId, toStageId: s.id });
                    const missing = missingFromRefusal(result);
                    if (missing) return void setRequirement({ dealId, dealTitle, toStageId: s.id, stageName: s.name, missing });
                    if (!result.ok) return void toast.error(errorText(result.message));
                    // As Pipedrive does: a deal that moved on gets its next step planned.
                    if (nextActivity) offerNextActivity(ta("stageMoved", { stage: s.name }), ta("scheduleNext"), nextActivity);
                    router.refresh();
                  })
                }
                className={cn(
                  "flex h-full w-full flex-col items-start border-r border-zinc-200 px-3 py-2 text-left text-xs last:border-r-0 disabled:cursor-default",
                  reached ? "bg-brand-50 text-brand-700" : "text-zinc-500 hover:bg-zinc-50",
                  s.id === currentStageId && "bg-brand-600 text-white",
                )}
              >
                <span className="truncate font-medium">{s.name}</span>
                <span className={cn("mt-0.5", s.id === currentStageId ? "text-white/90" : "text-zinc-600")}>{s.ms > 0 ? t("daysIn", { days }) : "—"}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <RequirementsDialog
        slug={slug}
        request={requirement}
        fields={requirementOptions.fields}
        members={requirementOptions.members}
        sources={requirementOptions.sources}
        onDone={() => {
          setRequirement(null);
          router.refresh();
        }}
        onCancel={() => setRequirement(null)}
      />
    </nav>
  );
}
