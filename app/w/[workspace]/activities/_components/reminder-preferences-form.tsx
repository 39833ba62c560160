"use client";

import { useActionState, useEffect } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import { reminderLeadChoices } from "@/lib/activities/schema";
import type { NotificationPreferences } from "@/lib/notifications/queries";
import { FormMessage, SelectField, SubmitButton } from "../../../../_components/form";
import { updateNotificationPreferencesAction } from "../actions";

/** Settings → Profile → Reminders: in-app reminder lead time and the 08:00 morning digest. */
export function ReminderPreferencesForm({ slug, preferences, timeZone }: { slug: string; preferences: NotificationPreferences; timeZone: string }) {
  const t = useTranslations("notifications.preferences");
  const [state, action] = useActionState((prev: ActionState<void> | undefined, formData: FormData) => updateNotificationPreferencesAction(slug, prev, formData), undefined);
  useEffect(() => {
    if (state?.ok) toast.success(t("saved"));
  }, [state, t]);
  const echoed = state && !state.ok ? state.values : undefined;
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      <p className="text-sm text-zinc-500 sm:col-span-2">{t("hint", { timeZone })}</p>
      <div className="sm:col-span-2"><FormMessage state={state} /></div>
      <label className="flex items-center gap-2 text-sm text-zinc-800 sm:col-span-2">
        <input type="checkbox" name="remindersEnabled" defaultChecked={echoed ? echoed.remindersEnabled === "on" : preferences.remindersEnabled} className="h-4 w-4 accent-brand-600" />
        {t("remindersEnabled")}
      </label>
      <SelectField name="reminderLeadMinutes" label={t("lead")} state={state} defaultValue={String(preferences.reminderLeadMinutes)} hint={t("allDayHint")}>
        {reminderLeadChoices.map((m) => (
          <option key={m} value={m}>{t("leadChoice", { minutes: m })}</option>
        ))}
      </SelectField>
      <label className="flex items-center gap-2 text-sm text-zinc-800 sm:col-span-2">
        <input type="checkbox" name="digestEnabled" defaultChecked={echoed ? echoed.digestEnabled === "on" : preferences.digestEnabled} className="h-4 w-4 accent-brand-600" />
        {t("digestEnabled")}
      </label>
      <div className="sm:col-span-2"><SubmitButton>{t("save")}</SubmitButton></div>
    </form>
  );
}
