"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import type { ActionState } from "@/lib/actions";
import type { FieldDef } from "@/lib/custom-fields/values";
import { CustomFieldInput, type Member } from "../../../../_components/custom-field-input";
import { FormMessage, SelectField, SubmitButton, TextAreaField, TextField } from "../../../../_components/form";
import { Button } from "../../../../_components/ui";
import { moveDealAction } from "../_actions/deal-actions";

export type RequirementsRequest = { dealId: string; dealTitle: string; toStageId: string; stageName: string; beforeId?: string | null; afterId?: string | null; missing: string[] };

type Props = {
  slug: string;
  request: RequirementsRequest | null;
  fields: FieldDef[];
  members: Member[];
  sources: string[];
  onDone: () => void;
  onCancel: () => void;
};

/** Field errors of a refused move name the missing fields: "expectedCloseDate", "custom.<key>"… */
export function missingFromRefusal(result: ActionState<unknown>): string[] | null {
  if (result.ok || result.message !== "errors.stageRequirements" || !result.fieldErrors) return null;
  return Object.keys(result.fieldErrors);
}

/**
 * Asks for exactly the fields a stage requires and the deal lacks; saving fills them and makes the move in one
 * transaction. Cancelling leaves the deal where it was.
 */
export function RequirementsDialog(props: Props) {
  return props.request ? <RequirementsForm key={`${props.request.dealId}-${props.request.toStageId}`} {...props} request={props.request} /> : null;
}

function RequirementsForm({ slug, request, fields, members, sources, onDone, onCancel }: Props & { request: RequirementsRequest }) {
  const t = useTranslations("requirements");
  const td = useTranslations("deal");
  const [state, action] = useActionState(async (prev: ActionState<{ stageChanged: boolean }> | undefined, formData: FormData) => {
    const fill: Record<string, unknown> = {};
    for (const [k, v] of formData.entries()) {
      if (typeof v !== "string") continue;
      const prevValue = fill[k];
      fill[k] = prevValue === undefined ? v : Array.isArray(prevValue) ? [...prevValue, v] : [prevValue, v];
    }
    const result = await moveDealAction(slug, prev, { dealId: request.dealId, toStageId: request.toStageId, beforeId: request.beforeId, afterId: request.afterId, fill });
    if (result.ok) onDone();
    // fill errors come back under fill.<field>: show them on the fields themselves
    if (!result.ok) {
      if (result.fieldErrors) result.fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k.replace(/^fill\./, ""), v]));
      // keep what was typed: the form resets after an action, the fields read these back
      result.values = Object.fromEntries(Object.entries(fill).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
    return result;
  }, undefined);
  const field = (name: string) => {
    if (name.startsWith("custom.")) {
      const def = fields.find((f) => f.key === name.slice(7));
      return def ? <CustomFieldInput key={name} field={def} value={undefined} members={members} state={state} /> : null;
    }
    switch (name) {
      case "value":
        return <TextField key={name} name="value" label={td("value")} inputMode="decimal" state={state} />;
      case "expectedCloseDate":
        return <TextField key={name} name="expectedCloseDate" type="date" label={td("expectedClose")} state={state} />;
      case "notes":
        return <TextAreaField key={name} name="notes" label={td("notes")} state={state} />;
      case "ownerId":
        return (
          <SelectField key={name} name="ownerId" label={td("owner")} state={state} defaultValue="">
            <option value="">—</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>{m.name}</option>
            ))}
          </SelectField>
        );
      case "source":
        return (
          <SelectField key={name} name="source" label={td("source")} state={state} defaultValue="">
            <option value="">—</option>
            {sources.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </SelectField>
        );
      default:
        // person / organization: linked on the deal page
        return (
          <p key={name} className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            {t("linkOnDealPage", { field: name === "contactId" ? td("person") : td("organization") })}
          </p>
        );
    }
  };
  return (
    <Dialog.Root open onOpenChange={(o) => !o && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[90dvh] w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-base font-semibold">{t("title", { stage: request.stageName })}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-500">{t("text", { title: request.dealTitle })}</Dialog.Description>
          <form action={action} className="mt-4 space-y-4" noValidate>
            {state && !state.ok && state.message !== "errors.stageRequirements" ? <FormMessage state={state} /> : null}
            {request.missing.map(field)}
            <div className="flex justify-end gap-2 pt-2">
              <Button variant="secondary" onClick={onCancel}>{t("cancel")}</Button>
              <SubmitButton>{t("saveAndMove")}</SubmitButton>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
