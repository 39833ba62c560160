import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ListOrdered } from "lucide-react";
import type { Ctx } from "@/lib/context";
import { can } from "@/lib/auth/permissions";
import { listEnrollments, listSequenceOptions, sequenceTimeline } from "@/lib/sequences/queries";
import { Badge, Card } from "../../../../_components/ui";
import { EnrollmentActions } from "./enrollment-actions";
import { EnrollForm } from "./enroll-form";

/**
 * The sequences card of a contact page (or a deal page: the deal's contact, linked to the deal): its
 * enrollments with their actions, "enroll in a sequence", and the sequence timeline (sent, replies, stops).
 */
export async function SequencePanel({ ctx, slug, contactId, dealId }: { ctx: Ctx; slug: string; contactId: string | null; dealId?: string }) {
  const t = await getTranslations("sequences");
  const format = await getFormatter();
  const by = dealId ? { dealId } : { contactId: contactId ?? "" };
  const [enrollments, options, timeline] = await Promise.all([listEnrollments(ctx, by, 20), listSequenceOptions(ctx), sequenceTimeline(ctx, by)]);
  const enroll = can(ctx.role, "sequences.enroll");
  return (
    <Card className="p-5" data-testid="sequence-panel">
      <h2 className="mb-3 flex items-center gap-2 text-base font-semibold">
        <ListOrdered className="h-4 w-4 text-zinc-400" aria-hidden /> {t("panel.title")}
      </h2>
      {enrollments.length ? (
        <ul className="mb-3 space-y-2 text-sm">
          {enrollments.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-2">
              <Link href={`/w/${slug}/sequences/${e.sequenceId}`} className="font-medium hover:underline">
                {e.sequenceName}
              </Link>
              <Badge data-testid="panel-enrollment-status">{t(`status.${e.status}`)}</Badge>
              {enroll ? <EnrollmentActions slug={slug} enrollmentId={e.id} status={e.status} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-3 text-sm text-zinc-500">{t("panel.none")}</p>
      )}
      {enroll && contactId ? (
        <details className="mb-3">
          <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("panel.enroll")}</summary>
          <div className="mt-2">
            <EnrollForm slug={slug} sequences={options} contactIds={[contactId]} dealId={dealId ?? null} />
          </div>
        </details>
      ) : null}
      {timeline.length ? (
        <ol className="space-y-2 border-t border-zinc-100 pt-3 text-xs" aria-label={t("panel.timeline")}>
          {timeline.slice(0, 20).map((entry, i) => (
            <li key={i} className="flex gap-2">
              <time dateTime={entry.at.toISOString()} className="shrink-0 text-zinc-500">{format.dateTime(entry.at, { dateStyle: "medium", timeStyle: "short" })}</time>
              <span className="min-w-0 text-zinc-700">
                {entry.kind === "sent"
                  ? t(`timeline.sent_${entry.channel}`, { subject: entry.subject || entry.text.slice(0, 60), sequence: entry.sequenceName })
                  : entry.kind === "inbound"
                    ? t(`timeline.inbound_${entry.inboundKind}` as "timeline.inbound_reply", { subject: entry.subject || entry.text.slice(0, 60) })
                    : entry.kind === "enrolled"
                      ? t("timeline.enrolled", { sequence: entry.sequenceName })
                      : t("timeline.ended", { sequence: entry.sequenceName, status: t(`status.${entry.status}` as "status.active") })}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </Card>
  );
}
