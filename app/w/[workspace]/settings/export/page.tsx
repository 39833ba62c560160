import { getTranslations } from "next-intl/server";
import { Archive, FileSpreadsheet, FileText } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { buttonClass, Card } from "../../../../_components/ui";

export async function generateMetadata() {
  const t = await getTranslations("exports");
  return { title: t("title") };
}

const lists = [
  { entity: "deals", query: "status=all" },
  { entity: "contacts", query: "" },
  { entity: "companies", query: "" },
  { entity: "activities", query: "assignee=all" },
] as const;

/** Settings → Export: every list in full (what the member may see), and the whole workspace as a ZIP for admins. */
export default async function ExportPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "data.export");
  const t = await getTranslations("exports");
  const link = (entity: string, query: string, format: "xlsx" | "csv") => `/w/${slug}/exports/${entity}?${query ? `${query}&` : ""}format=${format}`;
  return (
    <div className="space-y-8">
      <div>
        <h2 className="text-base font-semibold text-zinc-900">{t("title")}</h2>
        <p className="mt-1 text-sm text-zinc-500">{t("description")}</p>
      </div>

      <section aria-labelledby="export-lists" className="space-y-3">
        <div>
          <h3 id="export-lists" className="text-sm font-semibold text-zinc-900">
            {t("lists")}
          </h3>
          <p className="mt-1 text-sm text-zinc-500">{t("listsText")}</p>
        </div>
        <Card>
          <ul className="divide-y divide-zinc-100">
            {lists.map(({ entity, query }) => (
              <li key={entity} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <p className="text-sm font-medium text-zinc-900">{t(`entities.${entity}`)}</p>
                  {entity === "deals" ? <p className="text-xs text-zinc-500">{t("allDeals")}</p> : null}
                </div>
                <div className="flex gap-2">
                  <a href={link(entity, query, "xlsx")} download className={buttonClass("secondary", "sm")}>
                    <FileSpreadsheet className="h-4 w-4" aria-hidden /> {t("xlsx")}
                  </a>
                  <a href={link(entity, query, "csv")} download className={buttonClass("secondary", "sm")}>
                    <FileText className="h-4 w-4" aria-hidden /> {t("csv")}
                  </a>
                </div>
              </li>
            ))}
          </ul>
        </Card>
      </section>

      <section aria-labelledby="export-full" className="space-y-3">
        <h3 id="export-full" className="text-sm font-semibold text-zinc-900">
          {t("full")}
        </h3>
        <Card className="space-y-3 p-5">
          <p className="text-sm text-zinc-600">{t("fullText")}</p>
          {can(ctx.role, "data.exportAll") ? (
            <a href={`/w/${slug}/exports/all`} download className={buttonClass("primary")}>
              <Archive className="h-4 w-4" aria-hidden /> {t("fullButton")}
            </a>
          ) : (
            <p className="text-sm text-zinc-500">{t("fullAdminsOnly")}</p>
          )}
        </Card>
      </section>
    </div>
  );
}
