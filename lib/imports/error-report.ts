import "server-only";
import type { Writable } from "node:stream";
import type { RowError } from "@/db/schema";
import type { Ctx } from "../context";
import type { Translate } from "../exports/types";
import { writeCsv, type Column } from "../spreadsheets/write";
import { CUSTOM_PREFIX, isCustomField, type ImportKind } from "./fields";
import { getImport, refusedRows } from "./queries";

/** One refused row's reasons in plain words: "Value: must not be negative; Stage: …". */
export function describeRowErrors(kind: ImportKind, errors: RowError[], t: Translate): string {
  return errors
    .map((e) => {
      const message = t(e.key, e.params ?? {});
      if (!e.field) return message;
      const label = isCustomField(e.field) ? String(e.params?.label ?? e.field.slice(CUSTOM_PREFIX.length)) : t(`imports.fields.${kind}.${e.field}`);
      return `${label}: ${message}`;
    })
    .join("; ");
}

/**
 * The downloadable error report (CSV, UTF-8 with BOM): every refused row — its line number in the file, why it
 * was refused, then its cells as uploaded, so the user can fix the rows and import just those again.
 */
export async function writeErrorReport(ctx: Ctx, importId: string, t: Translate, out: Writable): Promise<{ fileName: string }> {
  const imp = await getImport(ctx, importId, { sample: 0, refused: 0 });
  const columns: Column[] = [
    { header: t("imports.errorReport.row"), type: "text" },
    { header: t("imports.errorReport.problems"), type: "text" },
    ...imp.headers.map((h, i) => ({ header: h || t("imports.mapping.untitled", { n: i + 1 }), type: "text" as const })),
  ];
  const rows = async function* () {
    for await (const r of refusedRows(ctx, importId)) {
      yield [String(r.rowNumber), describeRowErrors(imp.kind, r.errors, t), ...imp.headers.map((_, i) => r.cells[i] ?? "")];
    }
  };
  await writeCsv(out, columns, rows());
  return { fileName: imp.fileName };
}
