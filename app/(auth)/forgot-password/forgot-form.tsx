"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton, TextField } from "../../_components/form";
import { requestResetAction } from "../actions";

export function ForgotPasswordForm() {
  const t = useTranslations("auth");
  const [state, action] = useActionState(requestResetAction, undefined);
  if (state?.ok) {
    return <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{t("resetSent")}</p>;
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <TextField name="email" type="email" label={t("email")} autoComplete="email" required state={state} />
      <SubmitButton className="w-full">{t("sendResetLink")}</SubmitButton>
    </form>
  );
}
