import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { FileSpreadsheet } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { listImports } from "@/lib/imports/queries";
import { Card, EmptyState } from "../../../../_components/ui";
import { RevertImport } from "./_components/import-actions";
import { StatusBadge, summaryLines } from "./_components/status";
import { UploadForm } from "./_components/upload-form";

export async function generateMetadata() {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

/** Settings → Import: upload a spreadsheet (with ready-made templates), and every import so far with revert. */
export default async function ImportPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "data.import");
  const list = await listImports(ctx);
  const t = await getTranslations("imports");
  const format = await getFormatter();
  const base = `/w/${slug}/settings/import`;
  const templates = [
    { kind: "deals", label: t("upload.templateDeals") },
    { kind: "contacts", label: t("upload.templateContacts") },
    { kind: "companies", label: t("upload.templateCompanies") },
  ];
  return (
    <div className="space-y-8">
      <section aria-labelledby="import-upload" className="space-y-3">
        <div>
          <h2 id="import-upload" className="text-base font-semibold text-zinc-900">
            {t("title")}
          </h2>
          <p className="mt-1 text-sm text-zinc-500">{t("description")}</p>
        </div>
        <Card className="grid gap-6 p-5 lg:grid-cols-[1fr_15rem]">
          <UploadForm slug={slug} />
          <div className="space-y-2 border-t border-zinc-100 pt-4 lg:border-t-0 lg:border-l lg:pt-0 lg:pl-6">
            <h3 className="text-sm font-medium text-zinc-900">{t("upload.templates")}</h3>
            <p className="text-xs text-zinc-500">{t("upload.templatesHint")}</p>
            <ul className="space-y-1.5">
              {templates.map((tpl) => (
                <li key={tpl.kind}>
                  <a href={`/w/${slug}/imports/template?kind=${tpl.kind}`} download className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-700 hover:underline">
                    <FileSpreadsheet className="h-4 w-4 shrink-0" aria-hidden />
                    {tpl.label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </Card>
      </section>

      <section aria-labelledby="import-history" className="space-y-3">
        <h2 id="import-history" className="text-base font-semibold text-zinc-900">
          {t("history.title")}
        </h2>
        {list.length === 0 ? (
          <EmptyState icon={<FileSpreadsheet className="h-8 w-8" aria-hidden />} title={t("history.empty")} />
        ) : (
          <Card className="overflow-hidden">
            <ul className="divide-y divide-zinc-100">
              {list.map((imp) => {
                const lines = imp.status === "completed" || imp.status === "reverted" ? summaryLines(imp.summary, t as never, "result", imp.kind) : [];
                return (
                  <li key={imp.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:gap-4">
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <Link href={`${base}/${imp.id}`} className="truncate font-medium text-zinc-900 hover:text-brand-700 hover:underline">
                          {imp.fileName}
                        </Link>
                        <StatusBadge status={imp.status} label={t(`status.${imp.status}`)} />
                      </div>
                      <p className="mt-0.5 text-xs text-zinc-500">
                        {t(`kindRows.${imp.kind}`, { count: imp.rowCount })} · {imp.createdByName ?? t("history.unknownUser")} ·{" "}
                        <time dateTime={imp.createdAt.toISOString()}>{format.dateTime(imp.createdAt, { dateStyle: "medium", timeStyle: "short" })}</time>
                      </p>
                      {lines.length ? <p className="mt-0.5 text-xs text-zinc-600">{lines.join(" · ")}</p> : null}
                    </div>
                    <div className="flex shrink-0 flex-wrap items-center gap-3">
                      {imp.errorRows > 0 ? (
                        <a href={`/w/${slug}/imports/${imp.id}/errors`} download className="text-sm font-medium text-zinc-600 hover:text-zinc-900 hover:underline">
                          {t("history.errors")}
                        </a>
                      ) : null}
                      {imp.revertible ? <RevertImport slug={slug} importId={imp.id} size="sm" /> : null}
                      <Link href={`${base}/${imp.id}`} className="text-sm font-medium text-brand-700 hover:underline">
                        {t("history.open")}
                      </Link>
                    </div>
                  </li>
                );
              })}
            </ul>
          </Card>
        )}
      </section>
    </div>
  );
}
