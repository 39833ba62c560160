import { getFormatter, getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { listWebhookDeliveries, listWebhookSubscriptions } from "@/lib/webhooks/queries";
import { WEBHOOK_DISABLE_AFTER } from "@/lib/webhooks/deliver";
import { Badge, Card, EmptyState } from "../../../../_components/ui";
import { SecretField, WebhookControls, WebhookForm } from "./webhooks-ui";
import { settingsMetadata } from "../metadata";

export async function generateMetadata() {
  return settingsMetadata((await getTranslations("webhooks"))("tab"));
}

const statusColour = { pending: "bg-amber-50 text-amber-700", succeeded: "bg-emerald-50 text-emerald-700", failed: "bg-red-50 text-red-700" } as const;

export default async function WebhooksPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "webhooks.manage");
  const [subscriptions, deliveries] = await Promise.all([listWebhookSubscriptions(ctx), listWebhookDeliveries(ctx, { limit: 50 })]);
  const t = await getTranslations("webhooks");
  const format = await getFormatter();
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-6">
      <Card className="space-y-4 p-4 sm:p-6">
        <div className="space-y-1">
          <h2 className="text-base font-semibold">{t("addTitle")}</h2>
          <p className="text-sm text-zinc-600">{t("intro")}</p>
        </div>
        <WebhookForm slug={workspace} />
      </Card>

      {subscriptions.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <section className="space-y-3" aria-labelledby="webhooks-list">
          <h2 id="webhooks-list" className="text-base font-semibold">{t("listTitle")}</h2>
          {subscriptions.map((s) => (
            <Card key={s.id} className="space-y-3 p-4" data-testid="webhook-subscription">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0 space-y-1">
                  <p className="font-mono text-sm break-all">{s.url}</p>
                  <div className="flex flex-wrap gap-1">
                    {s.events.map((e) => (
                      <Badge key={e} className="bg-zinc-100 text-zinc-700">{e}</Badge>
                    ))}
                  </div>
                </div>
                <Badge className={s.enabled ? "bg-emerald-50 text-emerald-700" : "bg-zinc-100 text-zinc-600"}>{s.enabled ? t("enabled") : t("disabled")}</Badge>
              </div>
              {!s.enabled && s.disabledAt ? (
                <p role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
                  {t("autoDisabled", { count: WEBHOOK_DISABLE_AFTER, when: when(s.disabledAt) })}
                </p>
              ) : null}
              <SecretField secret={s.secret} />
              <details className="text-sm">
                <summary className="cursor-pointer text-brand-700">{t("edit")}</summary>
                <div className="mt-3">
                  <WebhookForm slug={workspace} subscription={{ id: s.id, url: s.url, events: s.events }} />
                </div>
              </details>
              <WebhookControls slug={workspace} id={s.id} enabled={s.enabled} url={s.url} />
            </Card>
          ))}
        </section>
      )}

      <section className="space-y-3" aria-labelledby="webhooks-log">
        <h2 id="webhooks-log" className="text-base font-semibold">{t("logTitle")}</h2>
        {deliveries.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("logEmpty")}</p>
        ) : (
          <Card className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t("logTitle")}</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th className="px-4 py-2 font-medium">{t("colWhen")}</th>
                  <th className="px-4 py-2 font-medium">{t("colEvent")}</th>
                  <th className="hidden px-4 py-2 font-medium md:table-cell">{t("colUrl")}</th>
                  <th className="px-4 py-2 font-medium">{t("colStatus")}</th>
                  <th className="px-4 py-2 font-medium">{t("colResponse")}</th>
                  <th className="px-4 py-2 font-medium">{t("colAttempts")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {deliveries.map((d) => (
                  <tr key={d.id} data-testid="webhook-delivery">
                    <td className="px-4 py-2 whitespace-nowrap text-zinc-500">{when(d.createdAt)}</td>
                    <td className="px-4 py-2 font-mono text-xs">{d.event}</td>
                    <td className="hidden max-w-xs truncate px-4 py-2 font-mono text-xs text-zinc-500 md:table-cell">{d.url}</td>
                    <td className="px-4 py-2">
                      <Badge className={statusColour[d.status]}>{t(`status.${d.status}`)}</Badge>
                    </td>
                    <td className="px-4 py-2 text-xs text-zinc-600" title={d.lastError ?? undefined}>
                      {d.responseStatus ?? (d.lastError ? t("noResponse") : "—")}
                    </td>
                    <td className="px-4 py-2 text-zinc-600">{d.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </section>
    </div>
  );
}
