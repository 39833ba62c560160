"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Mail } from "lucide-react";
import { FormMessage, SubmitButton } from "../../../../_components/form";
import { setReportSubscriptionAction } from "../actions";

/** "Email me this review on the 1st of each month" (the monthly pack), or stop it. */
export function SubscribeForm({ slug, subscribed }: { slug: string; subscribed: boolean }) {
  const t = useTranslations("reports.pack");
  const [state, action] = useActionState(setReportSubscriptionAction.bind(null, slug), undefined);
  const on = state?.ok ? Boolean((state.data as { subscribed?: boolean } | undefined)?.subscribed) : subscribed;
  return (
    <form action={action} className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-xs sm:flex-row sm:items-center sm:justify-between">
      <div className="flex items-start gap-3">
        <Mail className="mt-0.5 h-5 w-5 text-zinc-400" aria-hidden />
        <div>
          <p className="text-sm font-medium text-zinc-900">{t("title")}</p>
          <p className="text-sm text-zinc-500" role="status">
            {on ? t("on") : t("off")}
          </p>
          <FormMessage state={state} />
        </div>
      </div>
      <input type="hidden" name="subscribed" value={on ? "false" : "true"} />
      <SubmitButton variant="secondary">{on ? t("unsubscribe") : t("subscribe")}</SubmitButton>
    </form>
  );
}
