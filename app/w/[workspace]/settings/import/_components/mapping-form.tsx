"use client";

import { useActionState, useEffect, useId } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ActionState } from "@/lib/actions";
import { FormMessage, SubmitButton, useErrorText } from "../../../../../_components/form";
import { Select } from "../../../../../_components/ui";
import { saveMappingAction } from "../actions";

type Props = {
  slug: string;
  importId: string;
  kind: "deals" | "contacts" | "companies";
  headers: string[];
  samples: string[][];
  mapping: (string | null)[];
  fields: string[];
  /** The workspace's custom fields ("custom:<key>" by label). */
  customFields: { field: string; label: string }[];
  required: string[];
  options: { createMissing: boolean; updateExisting: boolean; dateFormat: "ymd" | "dmy" | "mdy" };
  cancelHref?: string;
};

/** Step 2: each column of the file → a Pipewise field (guessed), the options, then "Check the rows". */
export function MappingForm({ slug, importId, kind, headers, samples, mapping, fields, customFields, required, options, cancelHref }: Props) {
  const t = useTranslations("imports");
  const errorText = useErrorText();
  const router = useRouter();
  const pathname = usePathname();
  const id = useId();
  const [state, action] = useActionState<ActionState<{ background: boolean }> | undefined, FormData>(saveMappingAction.bind(null, slug), undefined);
  useEffect(() => {
    if (state?.ok) router.replace(pathname);
  }, [state, router, pathname]);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const label = (field: string) => t(`fields.${kind}.${field}` as never);
  return (
    <form action={action} className="space-y-6">
      <input type="hidden" name="importId" value={importId} />
      <FormMessage state={state} />
      {fieldErrors?._form ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {fieldErrors._form.map(errorText).join(" ")}
        </p>
      ) : null}
      <div className="overflow-hidden rounded-lg border border-zinc-200">
        <table className="w-full text-sm">
          <caption className="sr-only">{t("mapping.title")}</caption>
          <thead className="hidden border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase sm:table-header-group">
            <tr>
              <th className="px-4 py-2 font-medium">{t("mapping.column")}</th>
              <th className="px-4 py-2 font-medium">{t("mapping.samples")}</th>
              <th className="w-64 px-4 py-2 font-medium">{t("mapping.field")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {headers.map((header, i) => {
              const selectId = `${id}-col${i}`;
              const errors = fieldErrors?.[`col${i}`];
              const values = samples.map((row) => row[i] ?? "").filter((v) => v.trim() !== "").slice(0, 3);
              return (
                <tr key={i} className="flex flex-col gap-1.5 px-4 py-3 sm:table-row sm:px-0 sm:py-0">
                  <td className="sm:px-4 sm:py-2.5">
                    <label htmlFor={selectId} className="font-medium text-zinc-900">
                      {header || t("mapping.untitled", { n: i + 1 })}
                    </label>
                  </td>
                  <td className="max-w-72 text-xs text-zinc-500 sm:px-4 sm:py-2.5">
                    <span className="line-clamp-2 break-words">{values.join(" · ") || "—"}</span>
                  </td>
                  <td className="sm:px-4 sm:py-2">
                    <Select id={selectId} name={`col${i}`} defaultValue={mapping[i] ?? ""} aria-invalid={errors ? true : undefined} aria-describedby={errors ? `${selectId}-error` : undefined}>
                      <option value="">{t("mapping.ignore")}</option>
                      {fields.map((field) => (
                        <option key={field} value={field}>
                          {label(field)}
                          {required.includes(field) ? ` (${t("mapping.required")})` : ""}
                        </option>
                      ))}
                      {customFields.length ? (
                        <optgroup label={t("mapping.customFields")}>
                          {customFields.map((c) => (
                            <option key={c.field} value={c.field}>
                              {c.label}
                            </option>
                          ))}
                        </optgroup>
                      ) : null}
                    </Select>
                    {errors ? (
                      <p id={`${selectId}-error`} className="mt-1 text-xs text-red-600">
                        {errors.map(errorText).join(" ")}
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-zinc-900">{t("mapping.options")}</legend>
        {kind !== "companies" ? (
          <label className="flex items-start gap-2 text-sm text-zinc-700">
            <input type="checkbox" name="createMissing" defaultChecked={options.createMissing} className="mt-0.5 h-4 w-4 rounded border-zinc-300 accent-brand-600" />
            <span>
              {t(`mapping.createMissing.${kind}`)}
              <span className="block text-xs text-zinc-500">{t("mapping.createMissingHint")}</span>
            </span>
          </label>
        ) : null}
        {kind !== "deals" ? (
          <label className="flex items-start gap-2 text-sm text-zinc-700">
            <input type="checkbox" name="updateExisting" defaultChecked={options.updateExisting} className="mt-0.5 h-4 w-4 rounded border-zinc-300 accent-brand-600" />
            <span>{t(`mapping.updateExisting.${kind}`)}</span>
          </label>
        ) : null}
        <div className="max-w-sm space-y-1.5">
          <label htmlFor={`${id}-dates`} className="block text-sm text-zinc-700">
            {t("mapping.dateFormat")}
          </label>
          <Select id={`${id}-dates`} name="dateFormat" defaultValue={options.dateFormat}>
            <option value="ymd">{t("mapping.dateFormats.ymd")}</option>
            <option value="dmy">{t("mapping.dateFormats.dmy")}</option>
            <option value="mdy">{t("mapping.dateFormats.mdy")}</option>
          </Select>
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingText={t("mapping.submitting")}>{t("mapping.submit")}</SubmitButton>
        {cancelHref ? (
          <a href={cancelHref} className="text-sm font-medium text-zinc-600 hover:text-zinc-900 hover:underline">
            {t("mapping.cancel")}
          </a>
        ) : null}
      </div>
    </form>
  );
}
