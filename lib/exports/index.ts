import "server-only";
import type { Writable } from "node:stream";
import type { Ctx } from "../context";
import { assertCan } from "../auth/membership";
import { activityFiltersSchema } from "../activities/schema";
import { companyListParamsSchema } from "../companies/schema";
import { contactListParamsSchema } from "../contacts/schema";
import { dealFiltersSchema } from "../deals/schema";
import { customFiltersFrom } from "../custom-fields/filters";
import { listCustomFields, toFieldDef } from "../custom-fields/queries";
import { instantToWall } from "../spreadsheets/dates";
import { writeCsv, writeXlsx, type CellValue, type Column } from "../spreadsheets/write";
import { z } from "../validation";
import { activityColumns, activityRows } from "./activities";
import { customColumns } from "./custom";
import { dealColumns, dealRows } from "./deals";
import { companyColumns, companyRows, contactColumns, contactRows } from "./parties";
import type { ExportEntity, ExportFormat, Translate } from "./types";

const pipelineParam = z.object({ pipelineId: z.uuid().optional().catch(undefined) });

/**
 * One list as a spreadsheet: the list's own URL parameters (search, filters, sort) are read with the list's
 * own schema, so the file holds what the list shows — every page of it. Visibility rules come with the
 * queries (a rep limited to own deals exports only those). Streams into `out`.
 */
export async function writeListExport(
  ctx: Ctx,
  entity: ExportEntity,
  format: ExportFormat,
  params: Record<string, string | undefined>,
  t: Translate,
  out: Writable,
): Promise<void> {
  assertCan(ctx, "data.export");
  let columns: Column[];
  let rows: AsyncIterable<CellValue[]>;
  switch (entity) {
    case "deals": {
      const custom = await customColumns(ctx, "deal");
      columns = [...dealColumns(t), ...custom.columns];
      // Custom-field filters (cf.<key>=…) are read as the deals list reads them.
      rows = dealRows(
        ctx,
        { ...dealFiltersSchema.parse(params), ...pipelineParam.parse(params), custom: customFiltersFrom(params, (await listCustomFields(ctx, "deal")).map(toFieldDef)) },
        t,
        custom.cells,
      );
      break;
    }
    case "contacts": {
      assertCan(ctx, "contacts.read");
      const custom = await customColumns(ctx, "contact");
      columns = [...contactColumns(t), ...custom.columns];
      rows = contactRows(ctx, contactListParamsSchema.parse(params), t, custom.cells);
      break;
    }
    case "companies": {
      assertCan(ctx, "contacts.read");
      const custom = await customColumns(ctx, "company");
      columns = [...companyColumns(t), ...custom.columns];
      rows = companyRows(ctx, companyListParamsSchema.parse(params), custom.cells);
      break;
    }
    case "activities":
      columns = activityColumns(t);
      rows = activityRows(ctx, activityFiltersSchema.parse(params), t);
      break;
  }
  if (format === "csv") {
    await writeCsv(out, columns, rows);
    out.end();
  } else {
    await writeXlsx(out, [{ name: t(`exports.entities.${entity}`), columns, rows }]);
  }
}

/** "deals-2026-03-10.xlsx": the list's name and today's date in the workspace's time zone. */
export function exportFileName(ctx: Pick<Ctx, "now" | "workspace">, base: string, extension: string): string {
  const w = instantToWall(ctx.now, ctx.workspace.timeZone);
  const date = `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
  return `${base}-${date}.${extension}`;
}
