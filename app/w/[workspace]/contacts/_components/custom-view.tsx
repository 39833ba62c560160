import { formatCustomValue, type FieldDef } from "@/lib/custom-fields/values";
import type { ToolbarFilter } from "./list-toolbar";

/**
 * Server-side pieces shared by the contact and company pages for custom fields: which columns and filters a
 * list shows, and the read-only list of values on a detail page.
 */

/** The fields chosen in the URL's `cols`, in the fields' own order (unknown keys dropped). */
export function visibleCustomColumns<F extends FieldDef>(fields: F[], cols: string[] | undefined): F[] {
  const chosen = new Set(cols ?? []);
  return fields.filter((f) => chosen.has(f.key));
}

/** Amounts and numbers line up on the right, like the built-in count columns. */
export function isNumericField(field: FieldDef): boolean {
  return field.type === "number" || field.type === "money";
}

/** One toolbar select per choice or checkbox field (`cf.<key>` in the URL). */
export function customToolbarFilters(fields: FieldDef[], labels: { yes: string; no: string }): ToolbarFilter[] {
  return fields.flatMap((f): ToolbarFilter[] => {
    if (f.type === "checkbox") return [{ name: `cf.${f.key}`, label: f.label, options: [{ value: "true", label: labels.yes }, { value: "false", label: labels.no }] }];
    if (f.type === "single_select" || f.type === "multi_select") {
      return [{ name: `cf.${f.key}`, label: f.label, options: (f.settings.options ?? []).map((o) => ({ value: o.id, label: o.label })) }];
    }
    return [];
  });
}

/** A stored value as text, user ids resolved to names ("" when empty). */
export function customText(field: FieldDef, custom: Record<string, unknown>, locale: string, userNames: Record<string, string>): string {
  return formatCustomValue(field, custom[field.key], locale, (id) => userNames[id]);
}

/**
 * The record's custom values as a definition list (label, formatted value); links for URLs and emails.
 * `showEmpty` lists every field with "—" (the read-only details), otherwise only filled ones (the side panel).
 */
export function CustomValueList({
  fields,
  custom,
  locale,
  userNames,
  showEmpty,
  className,
}: {
  fields: FieldDef[];
  custom: Record<string, unknown>;
  locale: string;
  userNames: Record<string, string>;
  showEmpty?: boolean;
  className?: string;
}) {
  const rows = fields.map((f) => ({ field: f, text: customText(f, custom, locale, userNames) })).filter((r) => showEmpty || r.text !== "");
  if (rows.length === 0) return null;
  return (
    <dl className={className}>
      {rows.map(({ field, text }) => {
        const raw = custom[field.key];
        return (
          <div key={field.key} className="min-w-0">
            <dt className="text-zinc-500">{field.label}</dt>
            <dd className="mt-0.5 break-words whitespace-pre-line text-zinc-900">
              {text === "" ? (
                "—"
              ) : field.type === "url" && typeof raw === "string" ? (
                <a href={raw} target="_blank" rel="noopener noreferrer" className="text-zinc-700 hover:text-brand-700 hover:underline">
                  {text}
                </a>
              ) : field.type === "email" && typeof raw === "string" ? (
                <a href={`mailto:${raw}`} className="text-zinc-700 hover:text-brand-700 hover:underline">
                  {text}
                </a>
              ) : (
                text
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
