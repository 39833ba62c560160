"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton, TextField } from "../../_components/form";
import { createWorkspaceAction } from "../../_actions/user";

export function CreateWorkspaceForm() {
  const t = useTranslations("workspace");
  const [state, action] = useActionState(createWorkspaceAction, undefined);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <TextField name="name" label={t("name")} required state={state} />
      <SubmitButton className="w-full">{t("create")}</SubmitButton>
    </form>
  );
}
