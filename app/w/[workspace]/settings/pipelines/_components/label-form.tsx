"use client";

import { useId, useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useErrorText } from "../../../../../_components/form";
import { Button, Input } from "../../../../../_components/ui";

export type LabelSubmit = (label: string) => Promise<{ ok: boolean; message?: string; fieldErrors?: Record<string, string[]> }>;

/** A one-field form (new label, or a rename): the typed text stays after a refusal, with the error under it. */
export function LabelForm({ initial = "", inputLabel, submitLabel, submit, onDone, onCancel, placeholder, keepOpen = false }: { initial?: string; inputLabel: string; submitLabel: string; submit: LabelSubmit; onDone: () => void; onCancel?: () => void; placeholder?: string; keepOpen?: boolean }) {
  const t = useTranslations("pipelineSettings");
  const errorText = useErrorText();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const inputRef = useRef<HTMLInputElement>(null);
  const errorId = `${useId()}-error`;

  return (
    <form
      noValidate
      className="min-w-0 flex-1"
      onSubmit={(e) => {
        e.preventDefault();
        const label = value.trim();
        if (!label) return setError(errorText("errors.required"));
        start(async () => {
          const result = await submit(label);
          if (result.ok) {
            setError(null);
            if (keepOpen) setValue("");
            onDone();
            inputRef.current?.focus();
          } else setError(errorText(result.fieldErrors?.label?.[0] ?? result.message ?? "errors.invalid"));
        });
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape" && onCancel) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <div className="flex items-center gap-2">
        <Input
          ref={inputRef}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          aria-label={inputLabel}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          placeholder={placeholder}
          maxLength={80}
          autoFocus={!keepOpen}
          autoComplete="off"
          className="h-8"
        />
        <Button type="submit" size="sm" variant={keepOpen ? "secondary" : "primary"} disabled={pending}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button variant="ghost" size="sm" onClick={onCancel} disabled={pending}>
            {t("cancel")}
          </Button>
        ) : null}
      </div>
      {error ? (
        <p id={errorId} className="mt-1 text-xs text-red-600">{error}</p>
      ) : null}
    </form>
  );
}
