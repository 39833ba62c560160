"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Pencil } from "lucide-react";
import { toast } from "sonner";
import { useErrorText } from "../../../../../_components/form";
import { Button, Input, Select, Textarea } from "../../../../../_components/ui";
import { updateDealAction } from "../../_actions/deal-actions";

type Props = {
  slug: string;
  dealId: string;
  field: "title" | "value" | "currency" | "ownerId" | "expectedCloseDate" | "source" | "notes";
  value: string;
  label: string;
  display: ReactNode;
  type?: string;
  inputMode?: "decimal";
  multiline?: boolean;
  options?: { value: string; label: string }[];
};

/** Click to edit one deal field in place; Enter saves, Escape cancels; an error keeps the typed value. */
export function InlineField({ slug, dealId, field, value, label, display, type = "text", inputMode, multiline, options }: Props) {
  const t = useTranslations("deal");
  const errorText = useErrorText();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const inline = field !== "title" && field !== "notes";

  const save = () =>
    start(async () => {
      const result = await updateDealAction(slug, undefined, { dealId, [field]: draft });
      if (!result.ok) {
        const message = errorText(result.fieldErrors?.[field]?.[0] ?? result.message);
        setError(message);
        toast.error(message);
        return;
      }
      setError(null);
      setEditing(false);
      router.refresh();
    });

  if (!editing) {
    const open = (
      <button type="button" className="group inline-flex min-w-0 items-center gap-1.5 text-left" onClick={() => { setDraft(value); setError(null); setEditing(true); }}>
        {/* The visible value leads the accessible name ("Acme deal, Edit Title"), as WCAG 2.5.3 asks. */}
        <span className="min-w-0">{display}</span>
        <span className="sr-only">, {t("editField", { field: label })}</span>
        <Pencil className="h-3.5 w-3.5 shrink-0 text-zinc-300 group-hover:text-zinc-500" aria-hidden />
      </button>
    );
    return inline ? (
      <div className="flex justify-between gap-3">
        <dt className="text-zinc-500">{label}</dt>
        <dd className="min-w-0 text-right">{open}</dd>
      </div>
    ) : (
      open
    );
  }
  const id = `edit-${field}`;
  const control = options ? (
    <Select id={id} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus aria-invalid={!!error}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>{o.label}</option>
      ))}
    </Select>
  ) : multiline ? (
    <Textarea id={id} value={draft} onChange={(e) => setDraft(e.target.value)} rows={6} autoFocus aria-invalid={!!error} />
  ) : (
    <Input id={id} type={type} inputMode={inputMode} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus aria-invalid={!!error} />
  );
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          setError(null);
          setEditing(false);
        }
      }}
    >
      <label htmlFor={id} className="block text-xs font-medium text-zinc-500">{label}</label>
      {control}
      {error ? <p className="text-xs text-red-600" role="alert">{error}</p> : null}
      <div className="flex justify-end gap-2">
        <Button size="sm" variant="secondary" onClick={() => { setError(null); setEditing(false); }}>{t("cancel")}</Button>
        <Button size="sm" type="submit" disabled={pending}>{t("save")}</Button>
      </div>
    </form>
  );
}
