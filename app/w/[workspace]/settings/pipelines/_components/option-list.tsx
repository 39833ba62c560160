"use client";

import { useState, useTransition, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Pencil, X } from "lucide-react";
import type { OptionDTO, OptionKind } from "@/lib/pipelines/options";
import { useErrorText } from "../../../../../_components/form";
import { Button } from "../../../../../_components/ui";
import { cn } from "../../../../../_components/cn";
import { addOptionAction, moveOptionAction, removeOptionAction, renameOptionAction } from "../actions";
import { LabelForm } from "./label-form";
import { SortableList } from "./sortable-list";

/** One pick list (deal sources or lost reasons): add, rename in place, drag to reorder, remove. */
export function OptionList({ slug, kind, options }: { slug: string; kind: OptionKind; options: OptionDTO[] }) {
  const t = useTranslations("pipelineSettings");
  const title = kind === "deal_source" ? t("sourcesTitle") : t("lostReasonsTitle");
  return (
    <section aria-labelledby={`${kind}-title`} className="flex flex-col">
      <header className="border-b border-zinc-200 px-4 py-4 sm:px-6">
        <h2 id={`${kind}-title`} className="text-base font-semibold">{title}</h2>
        <p className="mt-1 text-sm text-zinc-500">{kind === "deal_source" ? t("sourcesText") : t("lostReasonsText")}</p>
      </header>
      {options.length === 0 ? (
        <p className="px-4 py-8 text-center text-sm text-zinc-500 sm:px-6">{kind === "deal_source" ? t("sourcesEmpty") : t("lostReasonsEmpty")}</p>
      ) : (
        <SortableList
          items={options}
          nameOf={(o) => o.label}
          noun="option"
          label={title}
          className="divide-y divide-zinc-100"
          onMove={(move) => moveOptionAction(slug, undefined, { optionId: move.id, beforeId: move.beforeId, afterId: move.afterId })}
          renderItem={(option, handle) => <OptionRow key={`${option.id}:${option.label}`} slug={slug} option={option} handle={handle} />}
        />
      )}
      <AddOptionForm slug={slug} kind={kind} />
    </section>
  );
}

function OptionRow({ slug, option, handle }: { slug: string; option: OptionDTO; handle: ReactNode }) {
  const t = useTranslations("pipelineSettings");
  const errorText = useErrorText();
  const [editing, setEditing] = useState(false);
  const [pending, start] = useTransition();

  function remove() {
    start(async () => {
      const result = await removeOptionAction(slug, undefined, { optionId: option.id });
      if (result.ok) toast.success(t("optionRemoved", { label: option.label }));
      else toast.error(errorText(result.message));
    });
  }

  return (
    <div className={cn("flex items-center gap-2 px-4 py-1.5 sm:px-6", pending && "opacity-60")} aria-busy={pending}>
      {handle}
      {editing ? (
        <LabelForm
          initial={option.label}
          inputLabel={t("renameOptionLabel", { label: option.label })}
          submitLabel={t("save")}
          onCancel={() => setEditing(false)}
          submit={(label) => renameOptionAction(slug, undefined, { optionId: option.id, label })}
          onDone={() => {
            toast.success(t("optionRenamed"));
            setEditing(false);
          }}
        />
      ) : (
        <>
          <span className="min-w-0 flex-1 truncate py-1.5 text-sm text-zinc-800">{option.label}</span>
          <Button variant="ghost" size="sm" className="px-2 text-zinc-500" onClick={() => setEditing(true)} aria-label={t("renameOptionNamed", { label: option.label })} disabled={pending}>
            <Pencil className="h-4 w-4" aria-hidden />
          </Button>
          <Button variant="ghost" size="sm" className="px-2 text-zinc-500 hover:text-red-700" onClick={remove} aria-label={t("removeOptionNamed", { label: option.label })} disabled={pending}>
            <X className="h-4 w-4" aria-hidden />
          </Button>
        </>
      )}
    </div>
  );
}

function AddOptionForm({ slug, kind }: { slug: string; kind: OptionKind }) {
  const t = useTranslations("pipelineSettings");
  return (
    <div className="mt-auto border-t border-zinc-200 px-4 py-3 sm:px-6">
      <LabelForm
        keepOpen
        inputLabel={kind === "deal_source" ? t("newSource") : t("newLostReason")}
        placeholder={kind === "deal_source" ? t("newSourcePlaceholder") : t("newLostReasonPlaceholder")}
        submitLabel={t("add")}
        submit={(label) => addOptionAction(slug, undefined, { kind, label })}
        onDone={() => toast.success(t("optionAdded"))}
      />
    </div>
  );
}
