import { getFormatter, getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { listAuditLog } from "@/lib/workspaces/queries";
import { Card, EmptyState } from "../../../../_components/ui";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("settings"))("audit"));
}

export default async function AuditPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "audit.read");
  const entries = await listAuditLog(ctx, 200);
  const t = await getTranslations("settings");
  const format = await getFormatter();
  if (entries.length === 0) return <EmptyState title={t("auditEmpty")} />;
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{t("audit")}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="px-4 py-2 font-medium">{t("auditWhen")}</th>
            <th className="px-4 py-2 font-medium">{t("auditWho")}</th>
            <th className="px-4 py-2 font-medium">{t("auditWhat")}</th>
            <th className="px-4 py-2 font-medium">{t("auditDetails")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="px-4 py-2 whitespace-nowrap text-zinc-500">{format.dateTime(e.createdAt, { dateStyle: "medium", timeStyle: "short" })}</td>
              <td className="px-4 py-2">{e.actorName ?? "—"}</td>
              <td className="px-4 py-2" title={e.action}>
                {t.has(`auditActions.${e.action}`) ? t(`auditActions.${e.action}` as "auditActions.workspace.created") : <span className="font-mono text-xs">{e.action}</span>}
              </td>
              <td className="max-w-xs truncate px-4 py-2 font-mono text-xs text-zinc-500">
                {Object.entries(e.details).map(([k, v]) => `${k}: ${detailValue(v)}`).join("; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** A detail's value as text: a list by its items ("—" when empty), other objects as JSON. */
function detailValue(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.map(detailValue).join(", ") : "—";
  if (v === null || v === undefined) return "—";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}
