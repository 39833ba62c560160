"use client";

import { useId } from "react";
import { useTranslations } from "next-intl";
import type { ActionState } from "@/lib/actions";
import { customValueToInput, type FieldDef } from "@/lib/custom-fields/values";
import { useErrorText } from "./form";
import { Input, Select, Textarea } from "./ui";
import { cn } from "./cn";

export type Member = { id: string; name: string };

/**
 * One custom field as a labelled form control named "custom.<key>" (what the deal/contact/company schemas
 * collect). Shows the field's error from the action state and keeps what the user typed after an error.
 */
export function CustomFieldInput({ field, value, members, state, className, autoFocus }: { field: FieldDef; value: unknown; members: Member[]; state?: ActionState; className?: string; autoFocus?: boolean }) {
  const id = useId();
  const t = useTranslations("customFields");
  const text = useErrorText();
  const name = `custom.${field.key}`;
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  const echoed = state && !state.ok ? state.values?.[name] : undefined;
  const current = echoed ?? customValueToInput(field, value);
  const invalid = errors?.length ? true : undefined;
  // React resets a form after its action; a remount makes selects and checkboxes show the echoed input again
  const remount = echoed === undefined ? "stored" : `echo:${JSON.stringify(echoed)}`;
  const describedBy = errors?.length ? `${id}-error` : undefined;
  let control: React.ReactNode;
  switch (field.type) {
    case "long_text":
      control = <Textarea key={remount} id={id} name={name} defaultValue={String(current)} aria-invalid={invalid} aria-describedby={describedBy} autoFocus={autoFocus} />;
      break;
    case "single_select":
    case "user":
      control = (
        <Select key={remount} id={id} name={name} defaultValue={String(current)} aria-invalid={invalid} aria-describedby={describedBy} autoFocus={autoFocus}>
          <option value="">—</option>
          {field.type === "user"
            ? members.map((m) => (
                <option key={m.id} value={m.id}>{m.name}</option>
              ))
            : (field.settings.options ?? []).map((o) => (
                <option key={o.id} value={o.id}>{o.label}</option>
              ))}
        </Select>
      );
      break;
    case "multi_select": {
      const chosen = new Set(Array.isArray(current) ? current : []);
      control = (
        <fieldset key={remount} id={id} aria-invalid={invalid} aria-describedby={describedBy} className="flex flex-wrap gap-x-4 gap-y-1 pt-1">
          <legend className="sr-only">{field.label}</legend>
          {(field.settings.options ?? []).map((o) => (
            <label key={o.id} className="flex items-center gap-1.5 text-sm text-zinc-700">
              <input type="checkbox" name={name} value={o.id} defaultChecked={chosen.has(o.id)} />
              {o.label}
            </label>
          ))}
        </fieldset>
      );
      break;
    }
    case "checkbox":
      control = (
        <label className="flex h-9 items-center gap-2 text-sm text-zinc-700">
          <input type="hidden" name={name} value="false" />
          <input key={remount} id={id} type="checkbox" name={name} value="true" defaultChecked={current === "true"} aria-invalid={invalid} autoFocus={autoFocus} />
          {t("yes")}
        </label>
      );
      break;
    default:
      control = (
        <Input
          key={remount}
          id={id}
          name={name}
          type={field.type === "date" ? "date" : field.type === "email" ? "email" : field.type === "url" ? "url" : field.type === "phone" ? "tel" : "text"}
          inputMode={field.type === "number" || field.type === "money" ? "decimal" : undefined}
          defaultValue={String(current)}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          autoFocus={autoFocus}
        />
      );
  }
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700">
        {field.label}
        {field.type === "money" && field.settings.currency ? <span className="ml-1 font-normal text-zinc-400">({field.settings.currency})</span> : null}
      </label>
      {control}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {errors.map(text).join(" ")}
        </p>
      ) : null}
    </div>
  );
}
