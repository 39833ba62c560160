import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { listApiKeys } from "@/lib/api-keys/queries";
import { Badge, Card, EmptyState } from "../../../../_components/ui";
import { CreateApiKeyForm, RevokeApiKeyButton } from "./api-keys-ui";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("api"))("tab"));
}

export default async function ApiKeysPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "api.manage");
  const keys = await listApiKeys(ctx);
  const t = await getTranslations("api");
  const tr = await getTranslations("roles");
  const format = await getFormatter();
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-6">
      <Card className="space-y-4 p-4 sm:p-6">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="space-y-1">
            <h2 className="text-base font-semibold">{t("keysTitle")}</h2>
            <p className="text-sm text-zinc-600">{t("intro")}</p>
            <p className="text-xs text-zinc-500">{t("historyNote")}</p>
          </div>
          <Link href={`/w/${workspace}/settings/api/reference`} className="text-sm font-medium text-brand-700 hover:underline">
            {t("reference")} →
          </Link>
        </div>
        <CreateApiKeyForm slug={workspace} />
      </Card>
      {keys.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t("keysTitle")}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs uppercase tracking-wide text-zinc-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("colName")}</th>
                <th className="px-4 py-2 font-medium">{t("colKey")}</th>
                <th className="hidden px-4 py-2 font-medium sm:table-cell">{t("colCreatedBy")}</th>
                <th className="hidden px-4 py-2 font-medium md:table-cell">{t("colCreated")}</th>
                <th className="px-4 py-2 font-medium">{t("colLastUsed")}</th>
                <th className="px-4 py-2 font-medium">{t("colStatus")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {keys.map((k) => (
                <tr key={k.id} data-testid="api-key-row">
                  <td className="px-4 py-2 font-medium">{k.name}</td>
                  <td className="px-4 py-2 font-mono text-xs text-zinc-500">{k.prefix}…</td>
                  <td className="hidden px-4 py-2 sm:table-cell">
                    {k.createdByName} <span className="text-xs text-zinc-500">({tr(k.createdByRole as "owner")})</span>
                  </td>
                  <td className="hidden px-4 py-2 whitespace-nowrap text-zinc-500 md:table-cell">{when(k.createdAt)}</td>
                  <td className="px-4 py-2 whitespace-nowrap text-zinc-500">{k.lastUsedAt ? when(k.lastUsedAt) : t("never")}</td>
                  <td className="px-4 py-2">
                    {k.revokedAt ? (
                      <Badge className="bg-zinc-100 text-zinc-600">{t("revoked")}</Badge>
                    ) : (
                      <div className="flex items-center gap-2">
                        <Badge className="bg-emerald-50 text-emerald-700">{t("active")}</Badge>
                        <RevokeApiKeyButton slug={workspace} apiKeyId={k.id} name={k.name} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
