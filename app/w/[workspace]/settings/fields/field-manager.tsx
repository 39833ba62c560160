"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { ArrowDown, ArrowUp } from "lucide-react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import type { CustomFieldDTO } from "@/lib/custom-fields/queries";
import { customFieldTypes, typeConversion, type CustomFieldType } from "@/lib/custom-fields/values";
import { FormMessage, SelectField, SubmitButton, TextAreaField, TextField, useErrorText } from "../../../../_components/form";
import { Badge, Button, Select } from "../../../../_components/ui";
import { archiveFieldAction, changeFieldTypeAction, createFieldAction, moveFieldAction, updateFieldAction } from "./actions";

export function AddFieldForm({ slug, entity, currency }: { slug: string; entity: "deal" | "contact" | "company"; currency: string }) {
  const t = useTranslations("customFields");
  const router = useRouter();
  const [type, setType] = useState<CustomFieldType>("text");
  const [round, setRound] = useState(0); // a new, empty form after each field added
  const [state, action] = useActionState(async (prev: ActionState<{ id: string }> | undefined, formData: FormData) => {
    const result = await createFieldAction(slug, prev, formData);
    if (result.ok) {
      toast.success(t("added"));
      setRound((r) => r + 1);
      setType("text");
      router.refresh();
    }
    return result;
  }, undefined);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate key={round}>
      <input type="hidden" name="entity" value={entity} />
      <div className="sm:col-span-2"><FormMessage state={state} /></div>
      <TextField name="label" label={t("label")} state={state} required />
      <SelectField name="type" label={t("type")} state={state} value={type} onChange={(e) => setType(e.target.value as CustomFieldType)}>
        {customFieldTypes.map((ty) => (
          <option key={ty} value={ty}>{t(`types.${ty}`)}</option>
        ))}
      </SelectField>
      {type === "single_select" || type === "multi_select" ? <TextAreaField name="options" label={t("options")} hint={t("optionsHint")} state={state} className="sm:col-span-2" /> : null}
      {type === "money" ? <TextField name="currency" label={t("currency")} defaultValue={currency} maxLength={3} state={state} /> : null}
      <div className="sm:col-span-2"><SubmitButton>{t("add")}</SubmitButton></div>
    </form>
  );
}

export function FieldRow({ slug, field, first, last }: { slug: string; field: CustomFieldDTO; first: boolean; last: boolean }) {
  const t = useTranslations("customFields");
  const errorText = useErrorText();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<ActionState<unknown>>, success?: string) =>
    start(async () => {
      const result = await fn();
      if (!result.ok) return void toast.error(errorText(result.message));
      if (success) toast.success(success);
      router.refresh();
    });
  const [state, action] = useActionState(async (prev: ActionState<void> | undefined, formData: FormData) => {
    const result = await updateFieldAction(slug, prev, formData);
    if (result.ok) {
      setEditing(false);
      router.refresh();
    }
    return result;
  }, undefined);
  const targets = customFieldTypes.filter((ty) => ty !== field.type && typeConversion(field.type, ty));
  return (
    <li className="px-6 py-3" aria-busy={pending}>
      <div className="flex flex-wrap items-center gap-3">
        {/* a row of its own on a phone, the controls below it; beside them from sm up */}
        <div className="min-w-0 flex-1 basis-full sm:basis-0">
          <p className="text-sm font-medium">{field.label}</p>
          <p className="text-xs text-zinc-500">
            {t(`types.${field.type}`)} · <code>{field.key}</code>
            {field.settings.options?.length ? ` · ${field.settings.options.map((o) => o.label).join(", ")}` : ""}
            {field.settings.currency ? ` · ${field.settings.currency}` : ""}
          </p>
        </div>
        {field.archived ? (
          <>
            <Badge>{t("archived")}</Badge>
            <Button size="sm" variant="secondary" disabled={pending} onClick={() => run(() => archiveFieldAction(slug, undefined, { fieldId: field.id, archived: false }), t("restored"))}>{t("restore")}</Button>
          </>
        ) : (
          <>
            <Button size="sm" variant="ghost" disabled={pending || first} aria-label={t("moveUp", { label: field.label })} onClick={() => run(() => moveFieldAction(slug, undefined, { fieldId: field.id, direction: "up" }))}>
              <ArrowUp className="h-4 w-4" aria-hidden />
            </Button>
            <Button size="sm" variant="ghost" disabled={pending || last} aria-label={t("moveDown", { label: field.label })} onClick={() => run(() => moveFieldAction(slug, undefined, { fieldId: field.id, direction: "down" }))}>
              <ArrowDown className="h-4 w-4" aria-hidden />
            </Button>
            {targets.length ? (
              <Select
                aria-label={t("changeTypeOf", { label: field.label })}
                className="h-8 w-40"
                value=""
                disabled={pending}
                onChange={(e) => e.target.value && run(() => changeFieldTypeAction(slug, undefined, { fieldId: field.id, type: e.target.value }), t("typeChanged"))}
              >
                <option value="">{t("changeType")}</option>
                {targets.map((ty) => (
                  <option key={ty} value={ty}>{t(`types.${ty}`)}</option>
                ))}
              </Select>
            ) : null}
            <Button size="sm" variant="secondary" onClick={() => setEditing((v) => !v)}>{t("edit")}</Button>
            <Button size="sm" variant="ghost" disabled={pending} onClick={() => run(() => archiveFieldAction(slug, undefined, { fieldId: field.id, archived: true }), t("archivedToast"))}>{t("archive")}</Button>
          </>
        )}
      </div>
      {editing ? (
        <form action={action} className="mt-3 grid gap-3 sm:grid-cols-2" noValidate>
          <input type="hidden" name="fieldId" value={field.id} />
          <div className="sm:col-span-2"><FormMessage state={state} /></div>
          <TextField name="label" label={t("label")} defaultValue={field.label} state={state} />
          {field.type === "single_select" || field.type === "multi_select" ? (
            <TextAreaField name="options" label={t("options")} hint={t("optionsEditHint")} defaultValue={(field.settings.options ?? []).map((o) => o.label).join("\n")} state={state} className="sm:col-span-2" />
          ) : null}
          <div className="flex gap-2 sm:col-span-2">
            <SubmitButton>{t("save")}</SubmitButton>
            <Button variant="secondary" onClick={() => setEditing(false)}>{t("cancel")}</Button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
