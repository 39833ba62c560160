"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { toast } from "sonner";
import type { StageSettingsDTO } from "@/lib/pipelines/queries";
import { useErrorText } from "../../../../../_components/form";
import { Button, Select } from "../../../../../_components/ui";
import { deleteStageAction } from "../actions";

/**
 * Confirms a stage deletion. A stage that holds deals (open, won, lost or deleted) asks where they go: another
 * stage of the same pipeline, the neighbour above by default. Nothing is deleted until the server has moved them.
 */
export function DeleteStageDialog({ slug, stage, stages, onClose }: { slug: string; stage: StageSettingsDTO | null; stages: StageSettingsDTO[]; onClose: () => void }) {
  return (
    <Dialog.Root open={stage !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          {/* Keyed by stage, so the chosen target starts fresh for every stage. */}
          {stage ? <DeleteStageForm key={stage.id} slug={slug} stage={stage} stages={stages} onClose={onClose} /> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function DeleteStageForm({ slug, stage, stages, onClose }: { slug: string; stage: StageSettingsDTO; stages: StageSettingsDTO[]; onClose: () => void }) {
  const t = useTranslations("pipelineSettings");
  const errorText = useErrorText();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const index = stages.findIndex((s) => s.id === stage.id);
  const others = stages.filter((s) => s.id !== stage.id);
  const [target, setTarget] = useState(() => (stages[index - 1] ?? stages[index + 1])?.id ?? "");
  const router = useRouter();
  // The count may be stale (a deal was added since the page loaded): the server's refusal turns the target on.
  const [needsTarget, setNeedsTarget] = useState(false);
  const holdsDeals = stage.dealCount > 0 || needsTarget;

  function confirm() {
    start(async () => {
      const result = await deleteStageAction(slug, undefined, { stageId: stage.id, moveToStageId: holdsDeals ? target : null });
      if (result.ok) {
        toast.success(holdsDeals ? t("stageDeletedMoved", { name: stage.name, count: stage.dealCount, target: others.find((s) => s.id === target)?.name ?? "" }) : t("stageDeleted", { name: stage.name }));
        onClose();
      } else if (result.fieldErrors?.moveToStageId) {
        setNeedsTarget(true);
        setError(errorText(result.fieldErrors.moveToStageId[0]!));
        router.refresh();
      } else {
        setError(errorText(result.message));
      }
    });
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        confirm();
      }}
    >
      <Dialog.Title className="text-base font-semibold">{t("deleteStageTitle", { name: stage.name })}</Dialog.Title>
      <Dialog.Description className="mt-1 text-sm text-zinc-600">
        {stage.dealCount > 0 ? t("deleteStageHolds", { count: stage.dealCount }) : needsTarget ? t("deleteStageHoldsNow") : t("deleteStageEmpty")}
      </Dialog.Description>
      {holdsDeals ? (
        <label className="mt-4 block space-y-1.5 text-sm font-medium text-zinc-700">
          <span>{t("moveDealsTo")}</span>
          <Select value={target} onChange={(e) => setTarget(e.target.value)} aria-invalid={error ? true : undefined} required>
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </label>
      ) : null}
      {error ? (
        <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-end gap-2">
        <Dialog.Close asChild>
          <Button variant="secondary" disabled={pending}>
            {t("cancel")}
          </Button>
        </Dialog.Close>
        <Button type="submit" variant="danger" disabled={pending || (holdsDeals && !target)} aria-busy={pending}>
          {stage.dealCount > 0 ? t("moveAndDelete", { count: stage.dealCount }) : needsTarget ? t("moveAndDeleteUnknown") : t("deleteStage")}
        </Button>
      </div>
    </form>
  );
}
