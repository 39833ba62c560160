"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { useErrorText } from "../../../../_components/form";
import { Button } from "../../../../_components/ui";
import { cancelWorkflowRunAction } from "../actions";

/** Stops a run that is waiting: its remaining steps never happen. */
export function CancelRunButton({ slug, runId }: { slug: string; runId: string }) {
  const t = useTranslations("automations.runs");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={pending}
      aria-busy={pending}
      onClick={() =>
        start(async () => {
          if (!window.confirm(t("cancelConfirm"))) return;
          const result = await cancelWorkflowRunAction(slug, undefined, { runId });
          if (result.ok) {
            toast.success(t("cancelled"));
            router.refresh();
          } else toast.error(errorText(result.message));
        })
      }
    >
      {t("cancel")}
    </Button>
  );
}
