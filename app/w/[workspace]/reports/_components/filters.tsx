import { getTranslations } from "next-intl/server";
import { addDaysToDate } from "@/lib/activities/time";
import type { Period } from "@/lib/reports/period";
import { buttonClass, inputClass } from "../../../../_components/ui";

/**
 * The report filters as a plain GET form: works without JavaScript, and the URL it produces is the report's
 * address (shareable, printable). Period: month (default), quarter or a custom range; pipeline; owner.
 */
export async function ReportFilters({
  period,
  pipelineId,
  ownerId,
  pipelines,
  owners,
  months,
  quarters,
  showPeriod = true,
}: {
  period?: Period;
  pipelineId: string | null;
  ownerId: string | null;
  pipelines: { id: string; name: string }[];
  owners: { id: string; name: string }[] | null;
  months?: string[];
  quarters?: string[];
  showPeriod?: boolean;
}) {
  const t = await getTranslations("reports.filters");
  const label = "mb-1 block text-xs font-medium text-zinc-600";
  return (
    <form method="get" className="mb-6 grid grid-cols-2 gap-3 rounded-lg border border-zinc-200 bg-white p-3 shadow-xs sm:grid-cols-4 sm:items-end 2xl:grid-cols-8" aria-label={t("label")}>
      {showPeriod && period ? (
        <>
          <div>
            <label htmlFor="rf-kind" className={label}>
              {t("periodKind")}
            </label>
            <select id="rf-kind" name="kind" defaultValue={period.kind} className={inputClass}>
              <option value="month">{t("kinds.month")}</option>
              <option value="quarter">{t("kinds.quarter")}</option>
              <option value="range">{t("kinds.range")}</option>
            </select>
          </div>
          <div>
            <label htmlFor="rf-month" className={label}>
              {t("month")}
            </label>
            <select id="rf-month" name="month" defaultValue={period.kind === "month" ? period.key : months?.[0]} className={inputClass}>
              {months?.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="rf-quarter" className={label}>
              {t("quarter")}
            </label>
            <select id="rf-quarter" name="quarter" defaultValue={period.kind === "quarter" ? period.key : quarters?.[0]} className={inputClass}>
              {quarters?.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="rf-from" className={label}>
              {t("from")}
            </label>
            <input id="rf-from" type="date" name="from" defaultValue={period.startDate} className={inputClass} />
          </div>
          <div>
            <label htmlFor="rf-to" className={label}>
              {t("to")}
            </label>
            <input id="rf-to" type="date" name="to" defaultValue={addDaysToDate(period.endDate, -1)} className={inputClass} />
          </div>
        </>
      ) : null}
      <div>
        <label htmlFor="rf-pipeline" className={label}>
          {t("pipeline")}
        </label>
        <select id="rf-pipeline" name="pipelineId" defaultValue={pipelineId ?? ""} className={inputClass}>
          <option value="">{t("allPipelines")}</option>
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {owners ? (
        <div>
          <label htmlFor="rf-owner" className={label}>
            {t("owner")}
          </label>
          <select id="rf-owner" name="ownerId" defaultValue={ownerId ?? ""} className={inputClass}>
            <option value="">{t("allOwners")}</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="col-span-2 sm:col-span-1">
        <button type="submit" className={buttonClass("secondary") + " w-full"}>
          {t("apply")}
        </button>
      </div>
    </form>
  );
}
