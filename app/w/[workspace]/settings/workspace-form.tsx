"use client";

import { useActionState, useEffect } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { FormMessage, SelectField, SubmitButton, TextField } from "../../../_components/form";
import { updateWorkspaceAction } from "./actions";
import { TimeZoneDatalist } from "../../../_components/time-zone-datalist";

type Props = { slug: string; workspace: { name: string; timeZone: string; currency: string; dealVisibility: "all" | "own" } };

export function WorkspaceForm({ slug, workspace }: Props) {
  const t = useTranslations("settings");
  const [state, action] = useActionState(updateWorkspaceAction.bind(null, slug), undefined);
  useEffect(() => {
    if (state?.ok) toast.success(t("saved"));
  }, [state, t]);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      <div className="sm:col-span-2"><FormMessage state={state} /></div>
      <TextField name="name" label={t("workspaceName")} defaultValue={workspace.name} state={state} className="sm:col-span-2" />
      <TextField name="timeZone" label={t("timeZone")} defaultValue={workspace.timeZone} state={state} list="time-zones" hint={t("timeZoneHint")} />
      <TextField name="currency" label={t("currency")} defaultValue={workspace.currency} state={state} maxLength={3} hint={t("currencyHint")} />
      <SelectField name="dealVisibility" label={t("dealVisibility")} defaultValue={workspace.dealVisibility} state={state} className="sm:col-span-2" hint={t("dealVisibilityHint")}>
        <option value="all">{t("visibilityAll")}</option>
        <option value="own">{t("visibilityOwn")}</option>
      </SelectField>
      <TimeZoneDatalist id="time-zones" />
      <div className="sm:col-span-2"><SubmitButton>{t("save")}</SubmitButton></div>
    </form>
  );
}
