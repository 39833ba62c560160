"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/actions";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormMessage, SubmitButton, TextField } from "../../../../../_components/form";
import { Button } from "../../../../../_components/ui";
import { createDealAction } from "../../../deals/_actions/deal-actions";

/** The "+" at the top of a column: title and value, straight into this stage. */
export function QuickAdd({ slug, pipelineId, stageId, stageName }: { slug: string; pipelineId: string; stageId: string; stageName: string }) {
  const t = useTranslations("board");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [state, action] = useActionState(async (prev: ActionState<{ id: string }> | undefined, formData: FormData) => {
    const result = await createDealAction(slug, prev, formData);
    if (result.ok) {
      toast.success(t("dealAdded"));
      setOpen(false);
      router.refresh();
    }
    return result;
  }, undefined);
  if (!open) {
    return (
      // a plain button with short classes and a CSS icon: one per column in the board's first HTML
      <button type="button" className="pw-add pw-i pw-i-4 pw-i-plus" onClick={() => setOpen(true)}>
        {t("quickAdd")}
        {/* The visible words lead the accessible name: "Add a deal in Demo". */}
        <span className="sr-only"> {t("quickAddStage", { stage: stageName })}</span>
      </button>
    );
  }
  return (
    <form action={action} className="mt-2 space-y-2 rounded-md border border-zinc-200 bg-white p-2" noValidate onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
      <input type="hidden" name="pipelineId" value={pipelineId} />
      <input type="hidden" name="stageId" value={stageId} />
      <FormMessage state={state} />
      <TextField name="title" label={t("dealTitle")} state={state} autoFocus required />
      <TextField name="value" label={t("value")} state={state} inputMode="decimal" placeholder="0.00" />
      <div className="flex gap-2">
        <SubmitButton className="flex-1">{t("add")}</SubmitButton>
        <Button variant="secondary" onClick={() => setOpen(false)}>{t("cancel")}</Button>
      </div>
    </form>
  );
}
