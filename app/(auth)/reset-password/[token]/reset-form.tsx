"use client";

import Link from "next/link";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton, TextField } from "../../../_components/form";
import { buttonClass } from "../../../_components/ui";
import { resetPasswordAction } from "../../actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("auth");
  const [state, action] = useActionState(resetPasswordAction, undefined);
  if (state?.ok) {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{t("passwordChanged")}</p>
        <Link href="/login" className={buttonClass()}>{t("signIn")}</Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <TextField name="password" type="password" label={t("newPassword")} autoComplete="new-password" required state={state} hint={t("passwordHint")} />
      <SubmitButton className="w-full">{t("setPassword")}</SubmitButton>
    </form>
  );
}
