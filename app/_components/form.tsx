"use client";

import { useId, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/actions";
import { Button, Input, Select, Textarea } from "./ui";
import { cn } from "./cn";

/** Translates an i18n key from a server error, falling back to a generic message for unknown keys. */
export function useErrorText() {
  const t = useTranslations();
  return (key: string) => (t.has(key) ? t(key) : t("errors.invalid"));
}

export function FormMessage({ state }: { state: ActionState | undefined }) {
  const text = useErrorText();
  // The generic "correct the highlighted fields" adds nothing next to inline errors; a specific message always shows.
  if (!state || state.ok || (state.message === "errors.VALIDATION" && state.fieldErrors && Object.keys(state.fieldErrors).some((k) => k !== "_form"))) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {text(state.message)}
    </p>
  );
}

type FieldProps = {
  name: string;
  label: ReactNode;
  state?: ActionState;
  hint?: ReactNode;
  className?: string;
};

/**
 * A field's errors from the last submission, hidden once the user edits the field (call `dismiss` from its change
 * handler) so a fixed field stops looking wrong before the next submit. The next submission brings a new `errors`
 * array, even with the same message, and shows again: dismissal is tied to that array's identity, so a form's own
 * client-side check must build a fresh array per submit (a literal does).
 */
export function useFieldErrors<E>(errors: E[] | undefined): { errors: E[] | undefined; dismiss: () => void } {
  const [dismissed, setDismissed] = useState<E[] | undefined>(undefined);
  return { errors: errors?.length && errors !== dismissed ? errors : undefined, dismiss: () => setDismissed(errors) };
}

function useField(name: string, state: ActionState | undefined) {
  const id = useId();
  const text = useErrorText();
  const { errors, dismiss } = useFieldErrors(state && !state.ok ? state.fieldErrors?.[name] : undefined);
  const echoed = state && !state.ok ? state.values?.[name] : undefined;
  const invalid = !!errors?.length;
  return {
    id,
    errors: errors?.map(text),
    echoed,
    /** The control's id, name and error wiring (a caller's own props may still override them). */
    control: { id, name, "aria-invalid": invalid || undefined, "aria-describedby": invalid ? `${id}-error` : undefined },
    /** The control's change handler: the field's error goes, then the caller's own handler runs. */
    changed:
      <E,>(onChange?: (event: E) => void) =>
      (event: E) => {
        dismiss();
        onChange?.(event);
      },
  };
}

function FieldShell({ id, label, hint, errors, className, children }: { id: string; label: ReactNode; hint?: ReactNode; errors?: string[]; className?: string; children: ReactNode }) {
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700">
        {label}
      </label>
      {children}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : hint ? (
        <p className="text-xs text-zinc-500">{hint}</p>
      ) : null}
    </div>
  );
}

export function TextField({ name, label, state, hint, className, defaultValue, onChange, ...rest }: FieldProps & Omit<React.ComponentProps<"input">, "name">) {
  const { id, errors, echoed, control, changed } = useField(name, state);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} className={className}>
      <Input {...control} defaultValue={rest.type === "password" ? undefined : (echoed ?? defaultValue)} {...rest} onChange={changed(onChange)} />
    </FieldShell>
  );
}

export function TextAreaField({ name, label, state, hint, className, defaultValue, onChange, ...rest }: FieldProps & Omit<React.ComponentProps<"textarea">, "name">) {
  const { id, errors, echoed, control, changed } = useField(name, state);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} className={className}>
      <Textarea {...control} defaultValue={echoed ?? defaultValue} {...rest} onChange={changed(onChange)} />
    </FieldShell>
  );
}

export function SelectField({ name, label, state, hint, className, defaultValue, children, onChange, ...rest }: FieldProps & Omit<React.ComponentProps<"select">, "name">) {
  const { id, errors, echoed, control, changed } = useField(name, state);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} className={className}>
      <Select {...control} defaultValue={echoed ?? defaultValue} key={echoed} {...rest} onChange={changed(onChange)}>
        {children}
      </Select>
    </FieldShell>
  );
}

export function SubmitButton({ children, pendingText, variant, className }: { children: ReactNode; pendingText?: ReactNode; variant?: "primary" | "secondary" | "danger"; className?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending} variant={variant} className={className} aria-busy={pending}>
      {pending && pendingText ? pendingText : children}
    </Button>
  );
}
