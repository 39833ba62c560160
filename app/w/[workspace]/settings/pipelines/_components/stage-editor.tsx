"use client";

import { useActionState, useEffect, useId, useRef, useState, useTransition, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Trash2 } from "lucide-react";
import type { ActionState } from "@/lib/actions";
import type { StageSettingsDTO } from "@/lib/pipelines/queries";
import { stageInputSchema } from "@/lib/pipelines/schema";
import { fieldErrorsOf, type FieldErrors } from "@/lib/validation";
import { cn } from "../../../../../_components/cn";
import { FormMessage, SubmitButton, TextField, useErrorText } from "../../../../../_components/form";
import { Badge, Button, Input } from "../../../../../_components/ui";
import { addStageAction, reorderStageAction, updateStageAction } from "../actions";
import { DeleteStageDialog } from "./delete-stage-dialog";
import { SortableList } from "./sortable-list";

type Draft = { name: string; probability: string; rottingDays: string };

const draftOf = (stage: StageSettingsDTO): Draft => ({
  name: stage.name,
  probability: String(stage.probability),
  rottingDays: stage.rottingDays === null ? "" : String(stage.rottingDays),
});

/** The generic "too large / invalid" of a number field, said precisely: which numbers the field takes. */
function precise(errors: FieldErrors | undefined): FieldErrors {
  const out: FieldErrors = { ...errors };
  if (out.probability?.length) out.probability = ["pipelineSettings.probabilityRange"];
  if (out.rottingDays?.length) out.rottingDays = ["pipelineSettings.rottingRange"];
  return out;
}

/** Client-side check with the server's own schema, so the inline errors are the ones the server would give. */
function validate(draft: Draft): FieldErrors {
  const parsed = stageInputSchema.safeParse(draft);
  return parsed.success ? {} : precise(fieldErrorsOf(parsed.error));
}

export function StageEditor({ slug, pipelineId, stages }: { slug: string; pipelineId: string; stages: StageSettingsDTO[] }) {
  const t = useTranslations("pipelineSettings");
  // By id, so the dialog shows the stage's current deal count after a refresh.
  const [deletingId, setDeletingId] = useState<string | null>(null);
  return (
    <div>
      <div className="hidden grid-cols-[1.5rem_minmax(0,1fr)_6.5rem_7.5rem_5.5rem] gap-3 border-b border-zinc-200 px-4 py-2 text-xs font-medium text-zinc-500 sm:grid sm:px-6" aria-hidden>
        <span />
        <span>{t("stageName")}</span>
        <span>{t("probability")}</span>
        <span>{t("rottingDays")}</span>
        <span className="text-right">{t("deals")}</span>
      </div>
      <SortableList
        items={stages}
        nameOf={(s) => s.name}
        noun="stage"
        label={t("stagesListLabel")}
        className="divide-y divide-zinc-100"
        onMove={(move) => reorderStageAction(slug, undefined, { stageId: move.id, beforeId: move.beforeId, afterId: move.afterId })}
        renderItem={(stage, handle) => (
          <StageRow
            key={`${stage.id}:${stage.name}:${stage.probability}:${stage.rottingDays}`}
            slug={slug}
            stage={stage}
            handle={handle}
            canDelete={stages.length > 1}
            onDelete={() => setDeletingId(stage.id)}
          />
        )}
      />
      <AddStageForm slug={slug} pipelineId={pipelineId} />
      <DeleteStageDialog slug={slug} stage={stages.find((s) => s.id === deletingId) ?? null} stages={stages} onClose={() => setDeletingId(null)} />
    </div>
  );
}

/**
 * One stage, edited in place. The draft is local until saved (Enter or Save); errors show under the field and
 * the typed values stay. A save remounts the row (its key carries the saved values), which resets the draft.
 */
function StageRow({ slug, stage, handle, canDelete, onDelete }: { slug: string; stage: StageSettingsDTO; handle: ReactNode; canDelete: boolean; onDelete: () => void }) {
  const t = useTranslations("pipelineSettings");
  const errorText = useErrorText();
  const [draft, setDraft] = useState<Draft>(() => draftOf(stage));
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [pending, start] = useTransition();
  const saved = draftOf(stage);
  const dirty = draft.name !== saved.name || draft.probability !== saved.probability || draft.rottingDays !== saved.rottingDays;
  const errors = dirty ? { ...validate(draft), ...serverErrors } : serverErrors;
  // Open deals, as the board's column counts them; the closed and deleted ones (which a deletion moves too) are named in the label.
  const dealsLabel = t("dealsInStage", { open: stage.openDealCount, closed: stage.dealCount - stage.openDealCount });

  const set = (field: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setDraft((d) => ({ ...d, [field]: e.target.value }));
    setServerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([key]) => key !== field)));
  };

  function save() {
    if (!dirty || Object.keys(validate(draft)).length > 0) return;
    start(async () => {
      const result = await updateStageAction(slug, undefined, { stageId: stage.id, ...draft });
      if (result.ok) toast.success(t("stageSaved", { name: draft.name.trim() }));
      else if (result.fieldErrors && Object.keys(result.fieldErrors).length > 0) setServerErrors(precise(result.fieldErrors));
      else toast.error(errorText(result.message));
    });
  }

  return (
    <form
      noValidate
      aria-busy={pending}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape" && dirty) {
          e.preventDefault();
          setDraft(saved);
          setServerErrors({});
        }
      }}
      className={cn(
        "grid grid-cols-[1.5rem_minmax(0,1fr)_minmax(0,1fr)_auto] items-start gap-x-3 gap-y-2 px-4 py-3 sm:grid-cols-[1.5rem_minmax(0,1fr)_6.5rem_7.5rem_5.5rem] sm:px-6",
        dirty && "bg-brand-50/40",
      )}
    >
      <div className="mt-5 pt-0.5 sm:mt-0">{handle}</div>
      <InlineField label={t("stageName")} accessibleName={t("stageNameOf", { name: stage.name })} errors={errors.name} className="col-span-2 sm:col-span-1">
        {(props) => <Input {...props} value={draft.name} onChange={set("name")} maxLength={80} autoComplete="off" />}
      </InlineField>
      <InlineField label={t("probability")} accessibleName={t("probabilityOf", { name: stage.name })} errors={errors.probability} suffix="%" className="col-start-2 row-start-2 sm:col-start-auto sm:row-start-auto">
        {(props) => <Input {...props} value={draft.probability} onChange={set("probability")} inputMode="numeric" className="pr-7" />}
      </InlineField>
      <InlineField label={t("rottingDays")} accessibleName={t("rottingDaysOf", { name: stage.name })} errors={errors.rottingDays} suffix={t("daysSuffix")} hint={draft.rottingDays.trim() === "" ? t("never") : undefined} className="col-start-3 row-start-2 sm:col-start-auto sm:row-start-auto">
        {(props) => <Input {...props} value={draft.rottingDays} onChange={set("rottingDays")} inputMode="numeric" placeholder="—" className="pr-10" />}
      </InlineField>
      <div className="col-start-4 row-start-1 mt-5 flex h-9 items-center justify-end gap-1 sm:col-start-auto sm:row-start-auto sm:mt-0">
        <Badge className="tabular-nums" title={dealsLabel}>
          <span className="sr-only">{dealsLabel}</span>
          <span aria-hidden>{stage.openDealCount}</span>
        </Badge>
        <Button
          variant="ghost"
          size="sm"
          className="px-2 text-zinc-500 hover:text-red-700"
          onClick={onDelete}
          disabled={!canDelete || pending}
          title={canDelete ? undefined : t("lastStageHint")}
          aria-label={t("deleteStageNamed", { name: stage.name })}
        >
          <Trash2 className="h-4 w-4" aria-hidden />
        </Button>
      </div>
      {dirty ? (
        <div className="col-span-full flex flex-wrap items-center justify-end gap-2 sm:col-span-4 sm:col-start-2">
          <p className="mr-auto text-xs text-zinc-500">{t("unsavedHint")}</p>
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setDraft(saved);
              setServerErrors({});
            }}
          >
            {t("cancel")}
          </Button>
          <Button type="submit" size="sm" disabled={pending || Object.keys(validate(draft)).length > 0}>
            {pending ? t("saving") : t("save")}
          </Button>
        </div>
      ) : null}
    </form>
  );
}

type FieldRenderProps = { id: string; "aria-label"?: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * A labelled input for a table-like row: the label is visible above the input on narrow screens (the column header
 * carries it visually on wide screens). Screen readers get `accessibleName`, which starts with the label and names
 * the row's stage, so five "Stage name" fields in a row can be told apart.
 */
function InlineField({ label, accessibleName, errors, suffix, hint, className, children }: { label: string; accessibleName: string; errors?: string[]; suffix?: string; hint?: string; className?: string; children: (props: FieldRenderProps) => ReactNode }) {
  const id = useId();
  const errorText = useErrorText();
  const messages = errors?.map(errorText);
  const describedBy = messages?.length ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn("min-w-0 space-y-1", className)}>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600 sm:sr-only">
        {label}
      </label>
      <div className="relative">
        {children({ id, "aria-label": accessibleName, "aria-invalid": messages?.length ? true : undefined, "aria-describedby": describedBy })}
        {suffix ? <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-zinc-400" aria-hidden>{suffix}</span> : null}
      </div>
      {messages?.length ? (
        <p id={`${id}-error`} className="text-xs text-red-600">{messages.join(" ")}</p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-400">{hint}</p>
      ) : null}
    </div>
  );
}

function AddStageForm({ slug, pipelineId }: { slug: string; pipelineId: string }) {
  const t = useTranslations("pipelineSettings");
  const [rawState, action] = useActionState(addStageAction.bind(null, slug), undefined);
  const state: ActionState | undefined = rawState && !rawState.ok ? { ...rawState, fieldErrors: precise(rawState.fieldErrors) } : rawState;
  const formRef = useRef<HTMLFormElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (rawState?.ok) {
      toast.success(t("stageAdded"));
      formRef.current?.querySelector<HTMLInputElement>("input[name=name]")?.focus();
    }
  }, [rawState, t]);
  if (!open) {
    return (
      <div className="border-t border-zinc-200 px-4 py-3 sm:px-6">
        <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
          {t("addStage")}
        </Button>
      </div>
    );
  }
  return (
    <form ref={formRef} action={action} noValidate className="grid gap-3 border-t border-zinc-200 bg-zinc-50/60 px-4 py-4 sm:grid-cols-[minmax(0,1fr)_9.5rem_8rem_auto] sm:items-start sm:px-6">
      <div className="sm:col-span-4">
        <FormMessage state={state} />
      </div>
      <input type="hidden" name="pipelineId" value={pipelineId} />
      <TextField name="name" label={t("newStageName")} state={state} maxLength={80} autoFocus autoComplete="off" />
      <TextField name="probability" label={t("probabilityPercent")} state={state} defaultValue="50" inputMode="numeric" />
      <TextField name="rottingDays" label={t("rottingDays")} state={state} inputMode="numeric" hint={t("rottingHint")} />
      <div className="flex gap-2 sm:pt-6">
        <SubmitButton>{t("add")}</SubmitButton>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
