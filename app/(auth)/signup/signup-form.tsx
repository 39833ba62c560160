"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton, TextField } from "../../_components/form";
import { signUpAction } from "../actions";

export function SignUpForm({ callbackUrl, email }: { callbackUrl: string; email: string }) {
  const t = useTranslations("auth");
  const [state, action] = useActionState(signUpAction, undefined);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormMessage state={state} />
      <TextField name="name" label={t("name")} autoComplete="name" required state={state} />
      <TextField name="email" type="email" label={t("email")} autoComplete="email" required state={state} defaultValue={email} />
      <TextField name="password" type="password" label={t("password")} autoComplete="new-password" required state={state} hint={t("passwordHint")} />
      {callbackUrl.startsWith("/invite/") ? null : <TextField name="workspaceName" label={t("workspaceName")} required state={state} hint={t("workspaceNameHint")} />}
      <SubmitButton className="w-full" pendingText={t("creatingAccount")}>
        {t("createAccount")}
      </SubmitButton>
    </form>
  );
}
