"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton, TextField } from "../../_components/form";
import { signInAction } from "../actions";

export function LoginForm({ callbackUrl, demo }: { callbackUrl: string; demo: { email: string; password: string } | null }) {
  const t = useTranslations("auth");
  const [state, action] = useActionState(signInAction, undefined);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormMessage state={state} />
      <TextField name="email" type="email" label={t("email")} autoComplete="email" required state={state} defaultValue={demo?.email} />
      <TextField name="password" type="password" label={t("password")} autoComplete="current-password" required state={state} />
      <SubmitButton className="w-full" pendingText={t("signingIn")}>
        {t("signIn")}
      </SubmitButton>
    </form>
  );
}
