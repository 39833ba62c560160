"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { RotateCcw, ThumbsDown, Trash2, Trophy } from "lucide-react";
import { toast } from "sonner";
import { useErrorText } from "../../../../../_components/form";
import { Button } from "../../../../../_components/ui";
import type { ActionState } from "@/lib/actions";
import { LostReasonDialog } from "../../../pipelines/[pipelineId]/_components/lost-reason-dialog";
import { deleteDealAction, markLostAction, markWonAction, reopenDealAction, restoreDealAction } from "../../_actions/deal-actions";

/** Won / Lost / Reopen / Delete (with an Undo that restores the deal). */
export function DealActions({ slug, dealId, title, status, lostReason, lostReasons, pipelineId }: { slug: string; dealId: string; title: string; status: "open" | "won" | "lost"; lostReason: string | null; lostReasons: string[]; pipelineId: string }) {
  const t = useTranslations("deal");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [askLost, setAskLost] = useState(false);
  const run = (fn: () => Promise<ActionState<unknown>>, done?: () => void) =>
    start(async () => {
      const result = await fn();
      if (!result.ok) return void toast.error(errorText(result.message));
      done?.();
      router.refresh();
    });
  return (
    <div className="flex flex-wrap items-center gap-2">
      {status === "open" ? (
        <>
          <Button className="bg-emerald-700 hover:bg-emerald-800" disabled={pending} onClick={() => run(() => markWonAction(slug, undefined, { dealId }))}>
            <Trophy className="h-4 w-4" aria-hidden /> {t("won")}
          </Button>
          <Button variant="danger" disabled={pending} onClick={() => setAskLost(true)}>
            <ThumbsDown className="h-4 w-4" aria-hidden /> {t("lost")}
          </Button>
        </>
      ) : (
        <>
          <span className={status === "won" ? "rounded-md bg-emerald-50 px-2.5 py-1.5 text-sm font-medium text-emerald-700" : "rounded-md bg-red-50 px-2.5 py-1.5 text-sm font-medium text-red-700"}>
            {status === "won" ? t("statusWon") : t("statusLost", { reason: lostReason ?? "—" })}
          </span>
          <Button variant="secondary" disabled={pending} onClick={() => run(() => reopenDealAction(slug, undefined, { dealId }))}>
            <RotateCcw className="h-4 w-4" aria-hidden /> {t("reopen")}
          </Button>
        </>
      )}
      <Button
        variant="ghost"
        disabled={pending}
        aria-label={t("delete")}
        onClick={() =>
          run(
            () => deleteDealAction(slug, undefined, { dealId }),
            () => {
              toast(t("deleted"), {
                duration: 10_000,
                action: {
                  label: t("undo"),
                  onClick: async () => {
                    const result = await restoreDealAction(slug, undefined, { dealId });
                    if (result.ok) router.push(`/w/${slug}/deals/${dealId}`);
                    else toast.error(errorText(result.message));
                  },
                },
              });
              router.push(`/w/${slug}/pipelines/${pipelineId}`);
            },
          )
        }
      >
        <Trash2 className="h-4 w-4" aria-hidden />
      </Button>
      <LostReasonDialog
        open={askLost}
        title={title}
        reasons={lostReasons}
        onCancel={() => setAskLost(false)}
        onConfirm={(reason) => {
          setAskLost(false);
          run(() => markLostAction(slug, undefined, { dealId, lostReason: reason }));
        }}
      />
    </div>
  );
}
