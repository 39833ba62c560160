"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/actions";
import type { FieldDef } from "@/lib/custom-fields/values";
import { CustomFieldInput } from "../../../../../_components/custom-field-input";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { Dialog } from "radix-ui";
import { X } from "lucide-react";
import { toast } from "sonner";
import { FormMessage, SelectField, SubmitButton, TextAreaField, TextField } from "../../../../../_components/form";
import { Button } from "../../../../../_components/ui";
import { createDealAction } from "../../../deals/_actions/deal-actions";
import { useBoardOptions } from "./board-options";

type Props = { slug: string; pipelineId: string; currency: string };

/**
 * The full "New deal" form: every field, contact and organization created on the fly when new. Its pick lists
 * (owners, sources, custom fields) come with the board's options, loaded when the user starts to interact.
 */
export function NewDealDialog({ slug, pipelineId, currency }: Props) {
  const t = useTranslations("board");
  const [open, setOpen] = useState(false);
  const { options, load } = useBoardOptions();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (o) void load();
        setOpen(o);
      }}
    >
      <Dialog.Trigger asChild>
        <Button className="pw-i pw-i-4 pw-i-plus">{t("newDeal")}</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 max-h-[92dvh] overflow-y-auto rounded-t-xl bg-white p-6 shadow-xl sm:inset-auto sm:top-1/2 sm:left-1/2 sm:w-full sm:max-w-2xl sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg">
          <div className="mb-4 flex items-start justify-between">
            <Dialog.Title className="text-base font-semibold">{t("newDeal")}</Dialog.Title>
            <Dialog.Close className="rounded p-1 text-zinc-500 hover:bg-zinc-100" aria-label={t("cancel")}>
              <X className="h-4 w-4" />
            </Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">{t("newDealText")}</Dialog.Description>
          {options ? (
            <NewDealForm slug={slug} pipelineId={pipelineId} stages={options.stages} currency={currency} members={options.members} sources={options.sources} dealFields={options.dealFields} onDone={() => setOpen(false)} />
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500" role="status">{t("loading")}</p>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function NewDealForm({ slug, pipelineId, stages, currency, members, sources, dealFields, onDone }: Props & { stages: { id: string; name: string }[]; members: { id: string; name: string }[]; sources: string[]; dealFields: FieldDef[]; onDone: () => void }) {
  const t = useTranslations("board");
  const td = useTranslations("deal");
  const router = useRouter();
  const [state, action] = useActionState(async (prev: ActionState<{ id: string }> | undefined, formData: FormData) => {
    const result = await createDealAction(slug, prev, formData);
    if (result.ok) {
      onDone();
      toast.success(t("dealAdded"));
      router.refresh();
    }
    return result;
  }, undefined);
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      <input type="hidden" name="pipelineId" value={pipelineId} />
      <div className="sm:col-span-2"><FormMessage state={state} /></div>
      <TextField name="title" label={td("title")} state={state} required className="sm:col-span-2" autoFocus />
      <TextField name="newContactName" label={td("contactPerson")} state={state} hint={td("contactHint")} />
      <TextField name="newContactEmail" type="email" label={td("contactEmail")} state={state} />
      <TextField name="newCompanyName" label={td("organization")} state={state} hint={td("organizationHint")} className="sm:col-span-2" />
      <TextField name="value" label={td("value")} state={state} inputMode="decimal" placeholder="0.00" />
      <TextField name="currency" label={td("currency")} state={state} defaultValue={currency} maxLength={3} />
      <SelectField name="stageId" label={td("stage")} state={state} defaultValue={stages[0]?.id}>
        {stages.map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </SelectField>
      <SelectField name="ownerId" label={td("owner")} state={state} defaultValue="">
        <option value="">{td("ownerMe")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>{m.name}</option>
        ))}
      </SelectField>
      <TextField name="expectedCloseDate" type="date" label={td("expectedClose")} state={state} />
      <SelectField name="source" label={td("source")} state={state} defaultValue="">
        <option value="">—</option>
        {sources.map((s) => (
          <option key={s} value={s}>{s}</option>
        ))}
      </SelectField>
      <TextAreaField name="notes" label={td("notes")} state={state} className="sm:col-span-2" />
      {dealFields.map((f) => (
        <CustomFieldInput key={f.key} field={f} value={undefined} members={members} state={state} className={f.type === "long_text" || f.type === "multi_select" ? "sm:col-span-2" : undefined} />
      ))}
      <div className="flex justify-end gap-2 sm:col-span-2">
        <Dialog.Close asChild>
          <Button variant="secondary">{t("cancel")}</Button>
        </Dialog.Close>
        <SubmitButton>{t("add")}</SubmitButton>
      </div>
    </form>
  );
}
