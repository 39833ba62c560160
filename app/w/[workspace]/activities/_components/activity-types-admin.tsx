"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Archive, ArchiveRestore, Pencil } from "lucide-react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import { FormMessage, SubmitButton, TextField, useErrorText } from "../../../../_components/form";
import { Button, Input } from "../../../../_components/ui";
import { archiveActivityTypeAction, createActivityTypeAction, renameActivityTypeAction } from "../actions";
import { ActivityTypeIcon } from "./type-icon";

type OwnType = { id: string; label: string; archived: boolean };

/** Admins: the workspace's own activity types beside the built-in ones (add, rename, archive, restore). */
export function ActivityTypesAdmin({ slug, types }: { slug: string; types: OwnType[] }) {
  const t = useTranslations("activities");
  const router = useRouter();
  const [formKey, setFormKey] = useState(0);
  const [state, action] = useActionState(async (prev: ActionState<{ id: string }> | undefined, formData: FormData) => {
    const result = await createActivityTypeAction(slug, prev, formData);
    if (result.ok) {
      toast.success(t("typeAdded"));
      setFormKey((k) => k + 1);
      router.refresh();
    }
    return result;
  }, undefined);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-500">{t("typesHint")}</p>
      {types.length ? (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
          {types.map((type) => (
            <TypeRow key={type.id} slug={slug} type={type} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-zinc-500">{t("noOwnTypes")}</p>
      )}
      <form key={formKey} action={action} className="flex flex-wrap items-start gap-2" noValidate>
        <div className="w-full"><FormMessage state={state} /></div>
        <TextField name="label" label={t("newTypeLabel")} state={state} className="min-w-56 flex-1" maxLength={60} placeholder={t("newTypePlaceholder")} />
        <SubmitButton className="mt-7">{t("addType")}</SubmitButton>
      </form>
    </div>
  );
}

function TypeRow({ slug, type }: { slug: string; type: OwnType }) {
  const t = useTranslations("activities");
  const errorText = useErrorText();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(type.label);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<ActionState<unknown>>, after?: () => void) =>
    start(async () => {
      const result = await fn();
      if (!result.ok) {
        setError(errorText(result.fieldErrors?.label?.[0] ?? result.message));
        return;
      }
      setError(null);
      after?.();
      router.refresh();
    });
  return (
    <li className="flex flex-wrap items-center gap-2 px-3 py-2">
      <ActivityTypeIcon type="custom" className="h-4 w-4 text-zinc-400" />
      {editing ? (
        <form
          className="flex flex-1 items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            run(() => renameActivityTypeAction(slug, undefined, { activityTypeId: type.id, label }), () => setEditing(false));
          }}
        >
          <Input value={label} onChange={(e) => setLabel(e.target.value)} aria-label={t("renameType", { label: type.label })} maxLength={60} autoFocus className="h-8" />
          <Button type="submit" size="sm" disabled={pending}>{t("save")}</Button>
          <Button size="sm" variant="ghost" onClick={() => { setEditing(false); setLabel(type.label); setError(null); }}>{t("cancel")}</Button>
        </form>
      ) : (
        <>
          <span className={type.archived ? "flex-1 text-sm text-zinc-400 line-through" : "flex-1 text-sm text-zinc-800"}>{type.label}</span>
          {type.archived ? <span className="text-xs text-zinc-500">{t("archived")}</span> : null}
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)} aria-label={t("renameType", { label: type.label })}>
            <Pencil className="h-4 w-4" aria-hidden />
          </Button>
          <Button size="sm" variant="ghost" disabled={pending} onClick={() => run(() => archiveActivityTypeAction(slug, undefined, { activityTypeId: type.id, archived: !type.archived }))} aria-label={type.archived ? t("restoreType", { label: type.label }) : t("archiveType", { label: type.label })}>
            {type.archived ? <ArchiveRestore className="h-4 w-4" aria-hidden /> : <Archive className="h-4 w-4" aria-hidden />}
          </Button>
        </>
      )}
      {error ? <p className="w-full text-sm text-red-600" role="alert">{error}</p> : null}
    </li>
  );
}
