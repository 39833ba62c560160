import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Inbox } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { isDemoMode } from "@/lib/demo";
import { listOutbox } from "@/lib/sequences/queries";
import { Badge, Card, EmptyState, PageHeader } from "../../../../_components/ui";
import { SimulateReplyButton } from "../_components/enrollment-actions";

export async function generateMetadata() {
  const t = await getTranslations("sequences");
  return { title: t("outbox.title") };
}

const statuses = ["queued", "sending", "sent", "captured", "failed", "cancelled"] as const;

/** The outbox: every rendered sequence message; without SMTP/SMS settings they stay here as "captured". */
export default async function OutboxPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<{ status?: string }> }) {
  const { workspace: slug } = await params;
  const { status } = await searchParams;
  const ctx = await requireMember(slug, "contacts.read");
  const list = await listOutbox(ctx, { status });
  const t = await getTranslations("sequences");
  const format = await getFormatter();
  const demo = isDemoMode() && can(ctx.role, "sequences.enroll");
  return (
    <>
      <PageHeader title={t("outbox.title")} description={t("outbox.description")} />
      <nav className="mb-4 flex flex-wrap gap-2 text-sm" aria-label={t("outbox.filter")}>
        {[undefined, ...statuses].map((s) => (
          <Link key={s ?? "all"} href={s ? `/w/${slug}/sequences/outbox?status=${s}` : `/w/${slug}/sequences/outbox`} aria-current={status === s ? "page" : undefined} className={`rounded-full border px-3 py-1 ${status === s ? "border-brand-600 bg-brand-50 text-brand-700" : "border-zinc-300 text-zinc-700 hover:bg-zinc-50"}`}>
            {s ? t(`messageStatus.${s}`) : t("outbox.all")}
          </Link>
        ))}
      </nav>
      {list.length === 0 ? (
        <EmptyState icon={<Inbox className="h-8 w-8" aria-hidden />} title={t("outbox.emptyTitle")} description={t("outbox.emptyText")} />
      ) : (
        <Card>
          <ul className="divide-y divide-zinc-100">
            {list.map((m) => (
              <li key={m.id} className="space-y-1 p-4 text-sm" data-testid="outbox-message">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge>{t(`builder.kinds.${m.channel}`)}</Badge>
                  <Badge data-testid="message-status">{t(`messageStatus.${m.status}`)}</Badge>
                  {m.repliedAt ? <Badge className="bg-emerald-100 text-emerald-800">{t("outbox.repliedBadge")}</Badge> : null}
                  <Link href={`/w/${slug}/contacts/${m.contactId}`} className="font-medium hover:underline">
                    {m.contactName}
                  </Link>
                  <span className="text-xs text-zinc-500">{m.toAddress}</span>
                  <span className="ml-auto text-xs text-zinc-500">{format.dateTime(m.sentAt ?? m.createdAt, { dateStyle: "medium", timeStyle: "short" })}</span>
                </div>
                <div className="text-xs text-zinc-500">{t("outbox.fromSequence", { name: m.sequenceName })}</div>
                {m.subject ? <p className="font-medium text-zinc-900">{m.subject}</p> : null}
                <details>
                  <summary className="cursor-pointer text-xs text-zinc-600">{t("outbox.showBody")}</summary>
                  <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-zinc-50 p-3 font-sans text-xs text-zinc-700">{m.text}</pre>
                </details>
                {m.lastError ? <p className="text-xs text-red-600">{m.lastError}</p> : null}
                {demo && m.sentAt && !m.repliedAt && ["active", "paused", "completed"].includes(m.enrollmentStatus) ? <SimulateReplyButton slug={slug} messageId={m.id} /> : null}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
