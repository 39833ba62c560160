import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeft, Download } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { describeRowErrors } from "@/lib/imports/error-report";
import { fieldsOf, isCustomField, missingRequired } from "@/lib/imports/fields";
import { customFieldsOf } from "@/lib/imports/custom";
import { getImport, type ImportDetail } from "@/lib/imports/queries";
import { REVERT_WINDOW_DAYS } from "@/lib/imports/commands";
import type { Translate } from "@/lib/exports/types";
import { cn } from "../../../../../_components/cn";
import { Card } from "../../../../../_components/ui";
import { CheckAgain, DiscardImport, RevertImport, StartImport } from "../_components/import-actions";
import { MappingForm } from "../_components/mapping-form";
import { RunProgress } from "../_components/run-progress";
import { StatusBadge, summaryLines } from "../_components/status";

export async function generateMetadata() {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

const PREVIEW_ROWS = 5;
const SHOWN_REFUSED = 100;

/**
 * One import, step by step: match columns → check rows (preview: what will be created or updated, every
 * refused row in plain words) → import (progress) → result, with revert and the error report.
 */
export default async function ImportDetailPage({ params, searchParams }: { params: Promise<{ workspace: string; importId: string }>; searchParams: Promise<{ edit?: string }> }) {
  const { workspace: slug, importId } = await params;
  const ctx = await requireMember(slug, "data.import");
  let imp: ImportDetail;
  try {
    imp = await getImport(ctx, importId, { sample: PREVIEW_ROWS, refused: SHOWN_REFUSED });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const editing = (await searchParams).edit === "1" && ["ready", "failed", "interrupted"].includes(imp.status);
  const t = await getTranslations("imports");
  const tr = (await getTranslations()) as unknown as Translate;
  const format = await getFormatter();
  const base = `/w/${slug}/settings/import`;
  const step = imp.status === "uploaded" || editing ? 0 : imp.status === "validating" || imp.status === "ready" ? 1 : 2;
  const okRows = imp.rowCount - imp.errorRows;
  const custom = (await customFieldsOf(ctx, imp.kind)).columns;
  const fieldLabel = (field: string) => (isCustomField(field) ? (custom.find((c) => c.field === field)?.label ?? field) : t(`fields.${imp.kind}.${field}` as never));
  const mapped = imp.mapping.flatMap((field, i) => (field ? [{ field, i }] : []));
  const errorsLink = `/w/${slug}/imports/${imp.id}/errors`;

  const refusedList = imp.refused.length ? (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-red-700">{t("preview.refusedRows", { count: imp.errorRows })}</h3>
        <a href={errorsLink} download className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-700 hover:underline">
          <Download className="h-4 w-4" aria-hidden />
          {t("preview.downloadErrors")}
        </a>
      </div>
      <div className="max-h-96 overflow-auto rounded-lg border border-zinc-200">
        <table className="w-full text-sm">
          <caption className="sr-only">{t("preview.refusedRows", { count: imp.errorRows })}</caption>
          <thead className="sticky top-0 border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase">
            <tr>
              <th className="w-16 px-3 py-2 font-medium">{t("preview.row")}</th>
              <th className="px-3 py-2 font-medium">{t("preview.problems")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {imp.refused.map((r) => (
              <tr key={r.rowNumber} className="align-top">
                <td className="px-3 py-2 text-zinc-500 tabular-nums">{r.rowNumber}</td>
                <td className="px-3 py-2 text-zinc-800">{describeRowErrors(imp.kind, r.errors, tr)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {imp.errorRows > imp.refused.length ? <p className="text-xs text-zinc-500">{t("preview.moreRefused", { count: imp.errorRows - imp.refused.length })}</p> : null}
    </div>
  ) : null;

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <Link href={base} className="inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
          <ArrowLeft className="h-4 w-4" aria-hidden />
          {t("back")}
        </Link>
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="min-w-0 truncate text-base font-semibold text-zinc-900">{imp.fileName}</h2>
          <StatusBadge status={imp.status} label={t(`status.${imp.status}`)} />
        </div>
        <p className="text-sm text-zinc-500">
          {t(`kindRows.${imp.kind}`, { count: imp.rowCount })} · {imp.createdByName ?? t("history.unknownUser")} ·{" "}
          {format.dateTime(imp.createdAt, { dateStyle: "medium", timeStyle: "short" })}
        </p>
        <ol aria-label={t("steps.label")} className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          {(["mapping", "preview", "import"] as const).map((s, i) => (
            <li key={s} aria-current={i === step ? "step" : undefined} className={cn("flex items-center gap-2", i === step ? "font-medium text-zinc-900" : i < step ? "text-zinc-500" : "text-zinc-400")}>
              <span className={cn("flex h-5 w-5 items-center justify-center rounded-full text-xs", i === step ? "bg-brand-600 text-white" : "bg-zinc-100 text-zinc-500")}>{i + 1}</span>
              {t(`steps.${s}`)}
            </li>
          ))}
        </ol>
      </div>

      {step === 0 ? (
        <Card className="space-y-4 p-5">
          <div>
            <h3 className="text-sm font-semibold text-zinc-900">{t("mapping.title")}</h3>
            <p className="mt-1 text-sm text-zinc-500">{t("mapping.description")}</p>
          </div>
          <MappingForm
            slug={slug}
            importId={imp.id}
            kind={imp.kind}
            headers={imp.headers}
            samples={imp.sample.map((r) => r.cells)}
            mapping={imp.mapping}
            fields={[...fieldsOf[imp.kind]]}
            customFields={custom}
            required={missingRequired(imp.kind, [])}
            options={imp.options}
            cancelHref={editing ? `${base}/${imp.id}` : undefined}
          />
          {imp.status === "uploaded" ? (
            <div className="border-t border-zinc-100 pt-3">
              <DiscardImport slug={slug} importId={imp.id} />
            </div>
          ) : null}
        </Card>
      ) : imp.status === "validating" || imp.status === "importing" ? (
        <Card className="p-5">
          <RunProgress phase={imp.status} processed={imp.processedRows} total={imp.rowCount} />
        </Card>
      ) : imp.status === "ready" ? (
        <Card className="space-y-5 p-5">
          <div>
            <h3 className="text-sm font-semibold text-zinc-900">{t("preview.title")}</h3>
            <ul className="mt-2 list-inside list-disc space-y-1 text-sm text-zinc-700">
              {summaryLines(imp.summary, t as never, "preview", imp.kind).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <p className="mt-2 text-sm text-zinc-600">{imp.errorRows === 0 ? t("preview.noneRefused") : t("preview.okRows", { count: okRows })}</p>
          </div>
          {refusedList}
          {imp.errorRows > 0 ? <p className="text-sm text-zinc-600">{t("preview.fixHint")}</p> : null}
          {imp.sample.length ? (
            <div className="space-y-2">
              <h3 className="text-sm font-semibold text-zinc-900">{t("preview.firstRows")}</h3>
              <div className="overflow-x-auto rounded-lg border border-zinc-200">
                <table className="w-full text-sm">
                  <caption className="sr-only">{t("preview.firstRows")}</caption>
                  <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase">
                    <tr>
                      <th className="px-3 py-2 font-medium">{t("preview.row")}</th>
                      {mapped.map(({ field }) => (
                        <th key={field} className="px-3 py-2 font-medium whitespace-nowrap">
                          {fieldLabel(field)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100">
                    {imp.sample.map((r) => (
                      <tr key={r.rowNumber}>
                        <td className="px-3 py-2 text-zinc-500 tabular-nums">{r.rowNumber}</td>
                        {mapped.map(({ field, i }) => (
                          <td key={field} className="max-w-56 truncate px-3 py-2 whitespace-nowrap text-zinc-800" title={r.cells[i] ?? ""}>
                            {r.cells[i] ?? ""}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ) : null}
          <p className="text-xs text-zinc-500">{t("preview.allOrNothing")}</p>
          <div className="flex flex-wrap items-end justify-between gap-3 border-t border-zinc-100 pt-4">
            <StartImport slug={slug} importId={imp.id} okRows={okRows} refusedRows={imp.errorRows} />
            <div className="flex flex-wrap items-center gap-2">
              <Link href={`${base}/${imp.id}?edit=1`} className="text-sm font-medium text-zinc-600 hover:text-zinc-900 hover:underline">
                {t("preview.changeMapping")}
              </Link>
              <DiscardImport slug={slug} importId={imp.id} />
            </div>
          </div>
        </Card>
      ) : imp.status === "completed" || imp.status === "reverted" ? (
        <Card className="space-y-4 p-5">
          <div>
            <h3 className="text-sm font-semibold text-zinc-900">{imp.status === "completed" ? t("result.title") : t("result.revertedTitle")}</h3>
            <ul className="mt-2 list-inside list-disc space-y-1 text-sm text-zinc-700">
              {summaryLines(imp.summary, t as never, "result", imp.kind).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {imp.errorRows > 0 ? <p className="mt-2 text-sm text-zinc-600">{t("result.skipped", { count: imp.errorRows })}</p> : null}
            {imp.status === "reverted" && imp.revertedAt ? (
              <p className="mt-2 text-sm text-zinc-600">{t("result.revertedText", { date: format.dateTime(imp.revertedAt, { dateStyle: "medium", timeStyle: "short" }), name: imp.revertedByName ?? t("history.unknownUser") })}</p>
            ) : null}
          </div>
          {refusedList}
          {imp.status === "completed" ? (
            <div className="flex flex-wrap items-center gap-3 border-t border-zinc-100 pt-4">
              <Link href={`/w/${slug}/${imp.kind}`} className="text-sm font-medium text-brand-700 hover:underline">
                {t(`result.open${imp.kind === "deals" ? "Deals" : imp.kind === "contacts" ? "Contacts" : "Companies"}`)}
              </Link>
              {imp.revertible && imp.finishedAt ? (
                <>
                  <RevertImport slug={slug} importId={imp.id} />
                  <span className="text-xs text-zinc-500">
                    {t("history.revertUntil", { date: format.dateTime(new Date(imp.finishedAt.getTime() + REVERT_WINDOW_DAYS * 86_400_000), { dateStyle: "medium" }) })}
                  </span>
                </>
              ) : null}
            </div>
          ) : null}
        </Card>
      ) : (
        <Card className="space-y-4 p-5">
          <div>
            <h3 className="text-sm font-semibold text-red-700">{imp.status === "interrupted" ? t("result.interruptedTitle") : t("result.failedTitle")}</h3>
            <p className="mt-1 text-sm text-zinc-700">{t(((imp.status === "interrupted" ? "failures.interrupted" : imp.failure?.replace(/^imports\./, "")) ?? "failures.unexpected") as never)}</p>
          </div>
          {refusedList}
          <div className="flex flex-wrap items-center gap-3 border-t border-zinc-100 pt-4">
            <CheckAgain slug={slug} importId={imp.id} mapping={imp.mapping} options={imp.options} />
            <Link href={`${base}/${imp.id}?edit=1`} className="text-sm font-medium text-zinc-600 hover:text-zinc-900 hover:underline">
              {t("preview.changeMapping")}
            </Link>
            <DiscardImport slug={slug} importId={imp.id} />
          </div>
        </Card>
      )}
    </div>
  );
}
