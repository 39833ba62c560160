"use client";

import { DropdownMenu } from "radix-ui";
import { useTranslations } from "next-intl";
import { Download, FileSpreadsheet, FileText } from "lucide-react";
import { Button } from "../../../../_components/ui";

const item = "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100";

/**
 * "Export" on a list: the list as XLSX or CSV, with the list's current search and filters (its URL query).
 * Plain links to the export route, so the browser downloads the file itself.
 */
export function ExportMenu({ slug, entity, query = {} }: { slug: string; entity: "deals" | "contacts" | "companies" | "activities"; query?: Record<string, string | undefined> }) {
  const t = useTranslations("exports");
  const href = (format: "xlsx" | "csv") => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "" && k !== "page" && k !== "format") params.set(k, v);
    params.set("format", format);
    return `/w/${slug}/exports/${entity}?${params.toString()}`;
  };
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="secondary" aria-label={t("menuLabel")}>
          <Download className="h-4 w-4" aria-hidden />
          {t("button")}
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1 text-xs text-zinc-500">{t("filtersNote")}</DropdownMenu.Label>
          <DropdownMenu.Item asChild className={item}>
            <a href={href("xlsx")} download>
              <FileSpreadsheet className="h-4 w-4" aria-hidden /> {t("xlsx")}
            </a>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className={item}>
            <a href={href("csv")} download>
              <FileText className="h-4 w-4" aria-hidden /> {t("csv")}
            </a>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
