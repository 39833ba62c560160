"use client";

import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { Popover } from "radix-ui";
import { Columns3 } from "lucide-react";
import type { FieldDef } from "@/lib/custom-fields/values";
import { Button, Select } from "../../../../_components/ui";
import { useUrlParams } from "./filter-bar";

/** Filters for the choice-like custom fields (select, checkbox, user), in the URL as cf.<key>. */
export function CustomFieldFilters({ fields, members }: { fields: FieldDef[]; members: { id: string; name: string }[] }) {
  const t = useTranslations("dealTable");
  const params = useSearchParams();
  const setParam = useUrlParams();
  return (
    <>
      {fields
        .filter((f) => f.type === "single_select" || f.type === "multi_select" || f.type === "checkbox" || f.type === "user")
        .map((f) => (
          <Select key={f.key} aria-label={f.label} className="w-auto" value={params.get(`cf.${f.key}`) ?? ""} onChange={(e) => setParam({ [`cf.${f.key}`]: e.target.value })}>
            <option value="">{t("anyValue", { field: f.label })}</option>
            {f.type === "checkbox" ? (
              <>
                <option value="true">{t("fieldYes", { field: f.label })}</option>
                <option value="false">{t("fieldNo", { field: f.label })}</option>
              </>
            ) : f.type === "user" ? (
              members.map((m) => (
                <option key={m.id} value={m.id}>{m.name}</option>
              ))
            ) : (
              (f.settings.options ?? []).map((o) => (
                <option key={o.id} value={o.id}>{o.label}</option>
              ))
            )}
          </Select>
        ))}
    </>
  );
}

/** Which custom fields the table shows as columns (cols=key,key in the URL). */
export function ColumnChooser({ fields }: { fields: FieldDef[] }) {
  const t = useTranslations("dealTable");
  const params = useSearchParams();
  const setParam = useUrlParams();
  if (fields.length === 0) return null;
  const chosen = (params.get("cols") ?? "").split(",").filter(Boolean);
  const toggle = (key: string, on: boolean) => {
    const next = on ? [...chosen, key] : chosen.filter((k) => k !== key);
    setParam({ cols: next.join(",") || null, page: params.get("page") });
  };
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button variant="secondary">
          <Columns3 className="h-4 w-4" aria-hidden /> {t("columns")}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={6} className="z-50 w-60 rounded-md border border-zinc-200 bg-white p-3 shadow-lg">
          <fieldset>
            <legend className="mb-2 text-sm font-medium">{t("columnsTitle")}</legend>
            {fields.map((f) => (
              <label key={f.key} className="flex items-center gap-2 py-0.5 text-sm text-zinc-700">
                <input type="checkbox" checked={chosen.includes(f.key)} onChange={(e) => toggle(f.key, e.target.checked)} />
                {f.label}
              </label>
            ))}
          </fieldset>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
