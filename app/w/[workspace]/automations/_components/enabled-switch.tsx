"use client";

import { useOptimistic, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { useErrorText } from "../../../../_components/form";
import { cn } from "../../../../_components/cn";
import { setWorkflowEnabledAction } from "../actions";

/** On/off switch of a workflow (optimistic; reverts with a toast when refused). */
export function EnabledSwitch({ slug, workflowId, name, enabled }: { slug: string; workflowId: string; name: string; enabled: boolean }) {
  const t = useTranslations("automations");
  const errorText = useErrorText();
  const [pending, start] = useTransition();
  const [on, setOn] = useOptimistic(enabled);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={on ? t("disable", { name }) : t("enable", { name })}
      disabled={pending}
      onClick={() =>
        start(async () => {
          setOn(!on);
          const result = await setWorkflowEnabledAction(slug, undefined, { workflowId, enabled: !on });
          if (!result.ok) toast.error(errorText(result.message));
        })
      }
      className="inline-flex items-center gap-2 text-sm text-zinc-700 disabled:opacity-60"
    >
      <span className={cn("relative inline-flex h-5 w-9 shrink-0 rounded-full transition-colors", on ? "bg-brand-600" : "bg-zinc-300")}>
        <span className={cn("absolute top-0.5 left-0.5 h-4 w-4 rounded-full bg-white shadow transition-transform", on && "translate-x-4")} />
      </span>
      <span className="w-14 text-left">{on ? t("enabledState") : t("disabledState")}</span>
    </button>
  );
}
