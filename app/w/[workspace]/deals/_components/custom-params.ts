import { customFiltersFrom, type CustomFilter } from "@/lib/custom-fields/filters";
import type { FieldDef } from "@/lib/custom-fields/values";
import { dealSorts, type DealSort } from "@/lib/deals/queries";

/**
 * The custom-field parts of a deal list URL: filters (`cf.<key>=…`), a sort on a custom field (`sort=cf.<key>`)
 * and the extra table columns (`cols=key,key`). Unknown keys are ignored.
 */
export function readDealListParams(raw: Record<string, string | undefined>, fields: FieldDef[]): { custom: CustomFilter[]; sort: DealSort; sortField?: FieldDef; sortParam: string; columns: FieldDef[] } {
  const custom = customFiltersFrom(raw, fields);
  const sortParam = raw.sort ?? "updated";
  const sortField = sortParam.startsWith("cf.") ? fields.find((f) => f.key === sortParam.slice(3)) : undefined;
  const sort: DealSort = !sortField && sortParam in dealSorts ? (sortParam as DealSort) : "updated";
  const columns = (raw.cols ?? "")
    .split(",")
    .map((k) => fields.find((f) => f.key === k))
    .filter((f): f is FieldDef => f !== undefined);
  return { custom, sort, sortField, sortParam: sortField ? sortParam : sort, columns };
}
