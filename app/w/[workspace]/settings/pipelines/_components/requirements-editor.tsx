"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Popover } from "radix-ui";
import { toast } from "sonner";
import type { FieldDef } from "@/lib/custom-fields/values";
import { useErrorText } from "../../../../../_components/form";
import { Badge, Button } from "../../../../../_components/ui";
import { setCardFieldsAction, setStageRequirementsAction } from "../actions";

const builtIns = ["value", "expectedCloseDate", "ownerId", "contactId", "companyId", "source", "notes"] as const;
const MAX_CARD_FIELDS = 4;

type Props = {
  slug: string;
  pipelineId: string;
  stages: { id: string; name: string; requiredFields: string[] }[];
  dealFields: FieldDef[];
  cardFields: string[];
};

/** Which fields each stage requires before a deal may enter it, and which custom fields this pipeline's cards show. */
export function RequirementsEditor({ slug, pipelineId, stages, dealFields, cardFields }: Props) {
  const t = useTranslations("pipelineRules");
  const td = useTranslations("deal");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const label = (field: string) => {
    if (field.startsWith("custom:")) return dealFields.find((f) => f.key === field.slice(7))?.label ?? field.slice(7);
    const names: Record<string, string> = { value: td("value"), expectedCloseDate: td("expectedClose"), ownerId: td("owner"), contactId: td("person"), companyId: td("organization"), source: td("source"), notes: td("notes") };
    return names[field] ?? field;
  };
  const all = [...builtIns, ...dealFields.map((f) => `custom:${f.key}`)];
  const save = (fn: () => ReturnType<typeof setStageRequirementsAction>, message: string) =>
    start(async () => {
      const result = await fn();
      if (!result.ok) return void toast.error(errorText(result.message));
      toast.success(message);
      router.refresh();
    });
  return (
    <div className="grid gap-6 p-4 sm:p-6 lg:grid-cols-2">
      <section aria-labelledby="req-title">
        <h3 id="req-title" className="text-sm font-semibold">{t("requiredTitle")}</h3>
        <p className="mt-1 mb-3 text-sm text-zinc-500">{t("requiredText")}</p>
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
          {stages.map((stage) => (
            <li key={stage.id} className="flex flex-wrap items-center gap-2 px-3 py-2">
              <span className="min-w-24 flex-1 text-sm font-medium">{stage.name}</span>
              <span className="flex flex-wrap gap-1">
                {stage.requiredFields.length ? stage.requiredFields.map((f) => <Badge key={f}>{label(f)}</Badge>) : <span className="text-xs text-zinc-400">{t("none")}</span>}
              </span>
              <ChooseFields
                title={t("requiredFor", { stage: stage.name })}
                options={all.map((f) => ({ value: f, label: label(f) }))}
                chosen={stage.requiredFields}
                disabled={pending}
                onSave={(fields) => save(() => setStageRequirementsAction(slug, undefined, { stageId: stage.id, fields }), t("saved"))}
              />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="cards-title">
        <h3 id="cards-title" className="text-sm font-semibold">{t("cardsTitle")}</h3>
        <p className="mt-1 mb-3 text-sm text-zinc-500">{t("cardsText", { max: MAX_CARD_FIELDS })}</p>
        {dealFields.length === 0 ? (
          <p className="rounded-md border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500">{t("noCustomFields")}</p>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            {cardFields.length ? cardFields.map((k) => <Badge key={k}>{label(`custom:${k}`)}</Badge>) : <span className="text-xs text-zinc-400">{t("none")}</span>}
            <ChooseFields
              title={t("cardsTitle")}
              options={dealFields.map((f) => ({ value: f.key, label: f.label }))}
              chosen={cardFields}
              max={MAX_CARD_FIELDS}
              disabled={pending}
              onSave={(keys) => save(() => setCardFieldsAction(slug, undefined, { pipelineId, keys }), t("saved"))}
            />
          </div>
        )}
      </section>
    </div>
  );
}

function ChooseFields({ title, options, chosen, max, disabled, onSave }: { title: string; options: { value: string; label: string }[]; chosen: string[]; max?: number; disabled: boolean; onSave: (values: string[]) => void }) {
  const t = useTranslations("pipelineRules");
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<string[]>(chosen);
  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setPicked(chosen);
      }}
    >
      <Popover.Trigger asChild>
        <Button size="sm" variant="secondary" disabled={disabled} aria-label={title}>
          {t("choose")}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={6} className="z-50 w-64 rounded-md border border-zinc-200 bg-white p-3 shadow-lg">
          <fieldset>
            <legend className="mb-2 text-sm font-medium">{title}</legend>
            <div className="max-h-64 space-y-1 overflow-y-auto">
              {options.map((o) => {
                const checked = picked.includes(o.value);
                return (
                  <label key={o.value} className="flex items-center gap-2 text-sm text-zinc-700">
                    <input
                      type="checkbox"
                      checked={checked}
                      disabled={!checked && max !== undefined && picked.length >= max}
                      onChange={(e) => setPicked((p) => (e.target.checked ? [...p, o.value] : p.filter((v) => v !== o.value)))}
                    />
                    {o.label}
                  </label>
                );
              })}
            </div>
          </fieldset>
          <div className="mt-3 flex justify-end gap-2">
            <Button size="sm" variant="secondary" onClick={() => setOpen(false)}>{t("cancel")}</Button>
            <Button
              size="sm"
              onClick={() => {
                setOpen(false);
                onSave(picked);
              }}
            >
              {t("save")}
            </Button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
