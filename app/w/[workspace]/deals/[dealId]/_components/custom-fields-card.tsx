"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { ActionState } from "@/lib/actions";
import { formatCustomValue, type FieldDef } from "@/lib/custom-fields/values";
import { CustomFieldInput, type Member } from "../../../../../_components/custom-field-input";
import { FormMessage, SubmitButton } from "../../../../../_components/form";
import { Button } from "../../../../../_components/ui";
import { updateDealAction } from "../../_actions/deal-actions";

/** The deal's custom fields: values as text, and one form to edit them all (each change lands in the history). */
export function CustomFieldsCard({ slug, dealId, fields, values, members }: { slug: string; dealId: string; fields: FieldDef[]; values: Record<string, unknown>; members: Member[] }) {
  const t = useTranslations("customFields");
  const locale = useLocale();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [state, action] = useActionState(async (prev: ActionState<void> | undefined, formData: FormData) => {
    formData.set("dealId", dealId);
    const result = await updateDealAction(slug, prev, formData);
    if (result.ok) {
      setEditing(false);
      router.refresh();
    }
    return result;
  }, undefined);
  if (fields.length === 0) return null;
  const name = (id: string) => members.find((m) => m.id === id)?.name;
  return (
    <div>
      <div className="mb-3 flex items-center justify-between">
        <h2 className="text-sm font-semibold text-zinc-900">{t("section")}</h2>
        {!editing ? (
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>{t("edit")}</Button>
        ) : null}
      </div>
      {editing ? (
        <form action={action} className="space-y-3" noValidate>
          <FormMessage state={state} />
          {fields.map((f, i) => (
            <CustomFieldInput key={f.key} field={f} value={values[f.key]} members={members} state={state} autoFocus={i === 0} />
          ))}
          <div className="flex justify-end gap-2">
            <Button size="sm" variant="secondary" onClick={() => setEditing(false)}>{t("cancel")}</Button>
            <SubmitButton>{t("save")}</SubmitButton>
          </div>
        </form>
      ) : (
        <dl className="space-y-2 text-sm">
          {fields.map((f) => {
            const text = formatCustomValue(f, values[f.key], locale, name);
            return (
              <div key={f.key} className="flex justify-between gap-3">
                <dt className="text-zinc-500">{f.label}</dt>
                <dd className="min-w-0 text-right break-words">{text || <span className="text-zinc-300">—</span>}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </div>
  );
}
