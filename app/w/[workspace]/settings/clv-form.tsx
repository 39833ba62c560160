"use client";

import { useActionState, useEffect } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { FormMessage, SubmitButton, TextField } from "../../../_components/form";
import { CUSTOMER_LIFESPAN_MONTHS } from "@/lib/reports/math";
import { updateCustomerLifespanAction } from "./clv-actions";

/** The lifespan (months) the customer lifetime value gives a customer who has bought once. */
export function CustomerLifespanForm({ slug, months }: { slug: string; months: number }) {
  const t = useTranslations("settings");
  const [state, action] = useActionState(updateCustomerLifespanAction.bind(null, slug), undefined);
  useEffect(() => {
    if (state?.ok) toast.success(t("saved"));
  }, [state, t]);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <TextField
        name="customerLifespanMonths"
        label={t("clvLifespan")}
        type="number"
        inputMode="numeric"
        min={CUSTOMER_LIFESPAN_MONTHS.min}
        max={CUSTOMER_LIFESPAN_MONTHS.max}
        step={1}
        defaultValue={String(months)}
        state={state}
        hint={t("clvLifespanHint", { default: CUSTOMER_LIFESPAN_MONTHS.default })}
      />
      <div className="sm:col-span-2">
        <SubmitButton>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}
