import type { Writable } from "node:stream";
import type { FieldDef } from "../custom-fields/values";
import { writeXlsx, type Column } from "../spreadsheets/write";
import type { Translate } from "../exports/types";
import { fieldsOf, missingRequired, type ImportKind } from "./fields";

/**
 * The downloadable XLSX template of an import: a data sheet whose headers are the field labels (in the user's
 * language; both languages' headers are recognised on import) and an instructions sheet with, per column,
 * whether it is required, what to write and an example. The data sheet comes first: it is the one imported.
 */
export async function writeImportTemplate(kind: ImportKind, t: Translate, out: Writable, custom: FieldDef[] = []): Promise<void> {
  const fields = fieldsOf[kind].filter((f) => f !== "fullName");
  const required = new Set(missingRequired(kind, []));
  const dataColumns: Column[] = [
    ...fields.map((f) => ({
      header: t(`imports.fields.${kind}.${f}`),
      type: f === "value" ? ("decimal" as const) : ("text" as const),
      width: f === "notes" || f === "stageHistory" ? 40 : 20,
    })),
    // The workspace's own fields, by label (the import recognises them).
    ...custom.map((c) => ({ header: c.label, type: "text" as const, width: 20 })),
  ];
  const help: Column[] = [
    { header: t("imports.template.column"), type: "text", width: 26 },
    { header: t("imports.template.required"), type: "text", width: 12 },
    { header: t("imports.template.meaning"), type: "text", width: 70 },
    { header: t("imports.template.example"), type: "text", width: 36 },
  ];
  const intro = [
    [t("imports.template.introTitle"), "", t(`imports.template.intro.${kind}`), ""],
    [t("imports.template.datesTitle"), "", t("imports.template.dates"), "2025-03-14 / 2025-03-14 09:30"],
    ["", "", "", ""],
  ];
  await writeXlsx(out, [
    { name: t(`imports.template.sheet.${kind}`), columns: dataColumns, rows: [] },
    {
      name: t("imports.template.sheet.instructions"),
      columns: help,
      prose: true,
      rows: [
        ...intro,
        ...fields.map((f) => [
          t(`imports.fields.${kind}.${f}`),
          required.has(f) ? t("imports.template.yes") : "",
          t(`imports.template.help.${kind}.${f}`),
          t(`imports.template.examples.${kind}.${f}`),
        ]),
        ...custom.map((c) => [
          c.label,
          "",
          c.settings.options?.length
            ? `${t("imports.template.customField")} ${t(c.type === "multi_select" ? "imports.template.customOptions" : "imports.template.customOption", { options: c.settings.options.map((o) => o.label).join("; ") })}`
            : t("imports.template.customField"),
          "",
        ]),
      ],
    },
  ]);
}
