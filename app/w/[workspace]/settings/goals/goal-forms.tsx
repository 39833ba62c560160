"use client";

import { useActionState, useEffect, useRef, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Trash2 } from "lucide-react";
import { FormMessage, SelectField, SubmitButton, TextField } from "../../../../_components/form";
import { Button } from "../../../../_components/ui";
import { deleteGoalAction, saveGoalAction } from "./actions";

const metrics = ["won_value", "won_count", "new_deals", "activities_done"] as const;

/** Set a goal: who (workspace or a member), metric, per month or quarter, target. */
export function GoalForm({ slug, members, currency }: { slug: string; members: { id: string; name: string }[]; currency: string }) {
  const t = useTranslations("goals");
  const [state, action] = useActionState(saveGoalAction.bind(null, slug), undefined);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) {
      toast.success(t("saved"));
      form.current?.reset();
    }
  }, [state, t]);
  return (
    <form ref={form} action={action} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4 lg:items-start" noValidate>
      <div className="sm:col-span-2 lg:col-span-4">
        <FormMessage state={state} />
      </div>
      <SelectField name="userId" label={t("who")} state={state} defaultValue="">
        <option value="">{t("workspace")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
      <SelectField name="metric" label={t("metric")} state={state} defaultValue="won_value">
        {metrics.map((m) => (
          <option key={m} value={m}>
            {t(`metrics.${m}`)}
          </option>
        ))}
      </SelectField>
      <SelectField name="period" label={t("period")} state={state} defaultValue="month">
        <option value="month">{t("periods.month")}</option>
        <option value="quarter">{t("periods.quarter")}</option>
      </SelectField>
      <TextField name="target" label={t("target")} hint={t("targetHint", { currency })} state={state} inputMode="decimal" required />
      <div className="sm:col-span-2 lg:col-span-4">
        <SubmitButton pendingText={t("saving")}>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}

export function DeleteGoalButton({ slug, goalId, label }: { slug: string; goalId: string; label: string }) {
  const t = useTranslations("goals");
  const [pending, start] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={label}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await deleteGoalAction(slug, undefined, { goalId });
          if (result.ok) toast.success(t("deleted"));
          else toast.error(t("deleteFailed"));
        })
      }
    >
      <Trash2 className="h-4 w-4" aria-hidden />
    </Button>
  );
}
