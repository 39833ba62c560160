"use client";

import { useActionState, useEffect } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { FormMessage, SelectField, SubmitButton, TextField } from "../../../../_components/form";
import { changePasswordAction, updateProfileAction } from "../../../../_actions/user";
import { TimeZoneDatalist } from "../../../../_components/time-zone-datalist";

export function ProfileForm({ user }: { user: { name: string; email: string; locale: string | null; timeZone: string } }) {
  const t = useTranslations("settings");
  const [state, action] = useActionState(updateProfileAction, undefined);
  useEffect(() => {
    if (state?.ok) toast.success(t("saved"));
  }, [state, t]);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      <div className="sm:col-span-2"><FormMessage state={state} /></div>
      <TextField name="name" label={t("yourName")} defaultValue={user.name} state={state} />
      <TextField name="email" label={t("email")} defaultValue={user.email} disabled />
      <SelectField name="locale" label={t("language")} defaultValue={user.locale ?? ""} state={state}>
        <option value="">{t("languageAuto")}</option>
        <option value="en">English</option>
        <option value="zh-CN">简体中文</option>
      </SelectField>
      <TextField name="timeZone" label={t("timeZone")} defaultValue={user.timeZone} state={state} list="time-zones" />
      <TimeZoneDatalist id="time-zones" />
      <div className="sm:col-span-2"><SubmitButton>{t("save")}</SubmitButton></div>
    </form>
  );
}

export function PasswordForm() {
  const t = useTranslations("settings");
  const [state, action] = useActionState(changePasswordAction, undefined);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      <div className="sm:col-span-2"><FormMessage state={state} /></div>
      <TextField name="currentPassword" type="password" label={t("currentPassword")} autoComplete="current-password" state={state} />
      <TextField name="newPassword" type="password" label={t("newPassword")} autoComplete="new-password" state={state} />
      <div className="sm:col-span-2"><SubmitButton>{t("changePassword")}</SubmitButton></div>
    </form>
  );
}
