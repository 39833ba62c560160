"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useRef, useState } from "react";
import { useTimeZone, useTranslations } from "next-intl";
import { Dialog, Popover } from "radix-ui";
import { Search, X } from "lucide-react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/actions";
import type { ActivityDTO } from "@/lib/activities/queries";
import { builtInActivityTypes } from "@/lib/activities/schema";
import { localDate, localTime } from "@/lib/activities/time";
import { cn } from "../../../../_components/cn";
import { FormMessage, SelectField, SubmitButton, TextAreaField, TextField, useErrorText, useFieldErrors } from "../../../../_components/form";
import { Button, Input } from "../../../../_components/ui";
import { createActivityAction, searchActivityDealsAction, updateActivityAction } from "../actions";
import { searchContactsAction } from "../../contacts/actions";
import { ActivityTypeIcon } from "./type-icon";
import type { ActivityDefaults, ActivityFormOptions } from "./types";

/** A type's display name: the built-in one in the user's language, or the workspace's own label. */
export function useTypeLabel() {
  const t = useTranslations("activities");
  return (a: { type: string; customLabel?: string | null }) => (a.type === "custom" ? (a.customLabel ?? "") : t(`types.${a.type as "call"}`));
}

const durations = [15, 30, 45, 60, 90, 120, 180, 240];

type Props = {
  slug: string;
  options: ActivityFormOptions;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Edit this activity; without it the dialog schedules a new one. */
  activity?: ActivityDTO | null;
  defaults?: ActivityDefaults;
  title?: string;
};

/** Schedule or edit an activity: type, subject, date (+ time, or all day), duration, assignee, deal, contact, notes. */
export function ActivityDialog({ slug, options, open, onOpenChange, activity, defaults, title }: Props) {
  const t = useTranslations("activities");
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-900/40" />
        <Dialog.Content className="fixed inset-x-0 bottom-0 z-50 max-h-[92dvh] overflow-y-auto rounded-t-xl bg-white p-6 shadow-xl sm:inset-auto sm:top-1/2 sm:left-1/2 sm:w-full sm:max-w-xl sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-lg">
          <div className="mb-4 flex items-start justify-between gap-3">
            <Dialog.Title className="text-base font-semibold">{title ?? (activity ? t("editTitle") : t("scheduleTitle"))}</Dialog.Title>
            <Dialog.Close className="rounded p-1 text-zinc-500 hover:bg-zinc-100" aria-label={t("cancel")}>
              <X className="h-4 w-4" />
            </Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">{t("formDescription")}</Dialog.Description>
          {open ? <ActivityForm slug={slug} options={options} activity={activity} defaults={defaults} onDone={() => onOpenChange(false)} /> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function ActivityForm({ slug, options, activity, defaults, onDone }: { slug: string; options: ActivityFormOptions; activity?: ActivityDTO | null; defaults?: ActivityDefaults; onDone: () => void }) {
  const t = useTranslations("activities");
  const typeLabel = useTypeLabel();
  const router = useRouter();
  const timeZone = useTimeZone() ?? "UTC";
  const initialType = activity ? (activity.type === "custom" ? activity.customTypeId! : activity.type) : (defaults?.type ?? "call");
  const [type, setType] = useState(initialType);
  const [subject, setSubject] = useState(activity?.subject ?? "");
  const [subjectTouched, setSubjectTouched] = useState(!!activity);
  const dueAt = activity?.dueAt ? new Date(activity.dueAt) : null;
  const subjectId = useId();
  const errorText = useErrorText();
  const [state, action] = useActionState(async (prev: ActionState<unknown> | undefined, formData: FormData) => {
    const result = activity ? await updateActivityAction(slug, prev as ActionState<void> | undefined, formData) : await createActivityAction(slug, prev as ActionState<{ id: string }> | undefined, formData);
    if (result.ok) {
      toast.success(activity ? t("saved") : t("scheduled"));
      onDone();
      router.refresh();
    }
    return result as ActionState<unknown>;
  }, undefined);

  const typeChoices = [
    ...builtInActivityTypes.map((k) => ({ value: k, icon: k, label: typeLabel({ type: k }) })),
    ...options.customTypes.map((c) => ({ value: c.id, icon: "custom", label: c.label })),
    // An archived own type still shows on the activity that has it.
    ...(activity?.type === "custom" && !options.customTypes.some((c) => c.id === activity.customTypeId) ? [{ value: activity.customTypeId!, icon: "custom", label: activity.customLabel ?? "" }] : []),
  ];
  const labelOf = (value: string) => typeChoices.find((c) => c.value === value)?.label ?? "";
  const { errors: subjectErrors, dismiss: dismissSubjectErrors } = useFieldErrors(state && !state.ok ? state.fieldErrors?.subject : undefined);

  return (
    <form action={action} className="grid gap-4 sm:grid-cols-6" noValidate>
      {activity ? <input type="hidden" name="activityId" value={activity.id} /> : null}
      <div className="sm:col-span-6"><FormMessage state={state} /></div>
      <fieldset className="sm:col-span-6">
        <legend className="mb-1.5 block text-sm font-medium text-zinc-700">{t("type")}</legend>
        <div className="flex flex-wrap gap-1.5" role="radiogroup" aria-label={t("type")}>
          {typeChoices.map((c) => (
            <label
              key={c.value}
              className={cn(
                "inline-flex cursor-pointer items-center gap-1.5 rounded-md border px-2.5 py-1.5 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500",
                type === c.value ? "border-brand-500 bg-brand-50 text-brand-700" : "border-zinc-300 text-zinc-700 hover:bg-zinc-50",
              )}
            >
              <input
                type="radio"
                name="type"
                value={c.value}
                checked={type === c.value}
                onChange={() => {
                  setType(c.value);
                }}
                className="sr-only"
              />
              <ActivityTypeIcon type={c.icon} />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="space-y-1.5 sm:col-span-6">
        <label htmlFor={subjectId} className="block text-sm font-medium text-zinc-700">{t("subject")}</label>
        <Input
          id={subjectId}
          name="subject"
          value={subjectTouched ? subject : labelOf(type)}
          onChange={(e) => {
            setSubjectTouched(true);
            setSubject(e.target.value);
            dismissSubjectErrors();
          }}
          maxLength={200}
          autoFocus
          aria-invalid={subjectErrors?.length ? true : undefined}
          aria-describedby={subjectErrors?.length ? `${subjectId}-error` : undefined}
        />
        {subjectErrors?.length ? <p id={`${subjectId}-error`} className="text-sm text-red-600">{subjectErrors.map(errorText).join(" ")}</p> : null}
      </div>
      <TextField name="dueDate" type="date" label={t("date")} state={state} className="sm:col-span-2" defaultValue={activity ? (dueAt ? localDate(dueAt, timeZone) : activity.dueDate!) : (defaults?.dueDate ?? options.today)} required />
      <TextField name="dueTime" type="time" label={t("time")} state={state} className="sm:col-span-2" defaultValue={dueAt ? localTime(dueAt, timeZone) : ""} hint={t("timeHint")} />
      <SelectField name="durationMinutes" label={t("duration")} state={state} className="sm:col-span-2" defaultValue={activity?.durationMinutes ? String(activity.durationMinutes) : ""}>
        <option value="">—</option>
        {[...new Set([...durations, ...(activity?.durationMinutes ? [activity.durationMinutes] : [])])].sort((a, b) => a - b).map((m) => (
          <option key={m} value={m}>{t("durationChoice", { minutes: m })}</option>
        ))}
      </SelectField>
      <SelectField name="assigneeId" label={t("assignee")} state={state} className="sm:col-span-6" defaultValue={activity?.assigneeId ?? options.userId}>
        {options.members.map((m) => (
          <option key={m.id} value={m.id}>{m.id === options.userId ? t("assigneeMe", { name: m.name }) : m.name}</option>
        ))}
      </SelectField>
      <LinkPicker slug={slug} kind="deal" name="dealId" label={t("deal")} initial={activity ? activity.deal : (defaults?.deal ?? null)} error={state && !state.ok ? state.fieldErrors?.dealId : undefined} className="sm:col-span-3" />
      <LinkPicker slug={slug} kind="contact" name="contactId" label={t("contact")} initial={activity ? activity.contact : (defaults?.contact ?? null)} error={state && !state.ok ? state.fieldErrors?.contactId : undefined} className="sm:col-span-3" />
      <TextAreaField name="notes" label={t("notes")} state={state} className="sm:col-span-6" defaultValue={activity?.notes ?? ""} rows={3} />
      <div className="flex justify-end gap-2 sm:col-span-6">
        <Dialog.Close asChild>
          <Button variant="secondary">{t("cancel")}</Button>
        </Dialog.Close>
        <SubmitButton pendingText={t("saving")}>{activity ? t("save") : t("schedule")}</SubmitButton>
      </div>
    </form>
  );
}

type LinkOption = { id: string; name: string; detail?: string | null };

/** A deal or contact picker (searched as you type) that submits the chosen id in a hidden input. */
function LinkPicker({ slug, kind, name, label, initial, error: submitted, className }: { slug: string; kind: "deal" | "contact"; name: string; label: string; initial: { id: string; title?: string; name?: string } | null; error?: string[]; className?: string }) {
  const t = useTranslations("activities");
  const errorText = useErrorText();
  const { errors: error, dismiss } = useFieldErrors(submitted);
  const id = useId();
  const [value, setValue] = useState<LinkOption | null>(initial ? { id: initial.id, name: initial.title ?? initial.name ?? "" } : null);
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [results, setResults] = useState<LinkOption[] | null>(null);
  const ticket = useRef(0);

  useEffect(() => {
    if (!open) return;
    const mine = ++ticket.current;
    const timer = setTimeout(async () => {
      const result = kind === "deal" ? await searchActivityDealsAction(slug, undefined, { q }) : await searchContactsAction(slug, undefined, { q });
      if (mine !== ticket.current || !result.ok || !result.data) return; // a newer search has been typed
      setResults(
        kind === "deal"
          ? (result.data as { id: string; name: string; status: string }[]).map((d) => ({ id: d.id, name: d.name, detail: d.status === "open" ? null : t(`dealStatus.${d.status as "won"}`) }))
          : (result.data as { id: string; name: string; email: string | null; companyName: string | null }[]).map((c) => ({ id: c.id, name: c.name, detail: c.email ?? c.companyName })),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [q, open, kind, slug, t]);

  return (
    <div className={cn("space-y-1.5", className)}>
      <span id={`${id}-label`} className="block text-sm font-medium text-zinc-700">{label}</span>
      <input type="hidden" name={name} value={value?.id ?? ""} />
      <div className="flex items-center gap-1">
        <Popover.Root open={open} onOpenChange={setOpen}>
          <Popover.Trigger
            type="button"
            aria-labelledby={`${id}-label ${id}-value`}
            aria-invalid={error?.length ? true : undefined}
            className="flex h-9 min-w-0 flex-1 items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 text-left text-sm shadow-xs hover:bg-zinc-50 aria-invalid:border-red-500"
          >
            <Search className="h-3.5 w-3.5 shrink-0 text-zinc-400" aria-hidden />
            <span id={`${id}-value`} className={cn("truncate", !value && "text-zinc-400")}>{value?.name ?? t(kind === "deal" ? "pickDeal" : "pickContact")}</span>
          </Popover.Trigger>
          <Popover.Portal>
            <Popover.Content align="start" sideOffset={4} className="z-[60] w-72 rounded-md border border-zinc-200 bg-white p-2 shadow-lg">
              <Input autoFocus value={q} onChange={(e) => setQ(e.target.value)} placeholder={t(kind === "deal" ? "searchDeals" : "searchContacts")} aria-label={t(kind === "deal" ? "searchDeals" : "searchContacts")} />
              <ul className="mt-2 max-h-60 overflow-y-auto" role="listbox" aria-label={label}>
                {results === null ? <li className="px-2 py-1.5 text-sm text-zinc-500">{t("searching")}</li> : null}
                {results?.length === 0 ? <li className="px-2 py-1.5 text-sm text-zinc-500">{t("noMatches")}</li> : null}
                {results?.map((r) => (
                  <li key={r.id} role="option" aria-selected={value?.id === r.id}>
                    <button
                      type="button"
                      className="w-full rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none"
                      onClick={() => {
                        setValue(r);
                        setOpen(false);
                        dismiss();
                      }}
                    >
                      <span className="block truncate">{r.name}</span>
                      {r.detail ? <span className="block truncate text-xs text-zinc-500">{r.detail}</span> : null}
                    </button>
                  </li>
                ))}
              </ul>
            </Popover.Content>
          </Popover.Portal>
        </Popover.Root>
        {value ? (
          <button type="button" className="rounded p-1.5 text-zinc-500 hover:bg-zinc-100" aria-label={t("unlink", { name: value.name })} onClick={() => {
              setValue(null);
              dismiss();
            }}>
            <X className="h-4 w-4" />
          </button>
        ) : null}
      </div>
      {error?.length ? <p className="text-sm text-red-600">{error.map(errorText).join(" ")}</p> : null}
    </div>
  );
}
