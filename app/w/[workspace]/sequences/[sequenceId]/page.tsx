import { cache } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Pencil } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { limitedToOwnDeals } from "@/lib/deals/scope";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getSequence, listEnrollments, searchContactsForEnroll } from "@/lib/sequences/queries";
import { getSequenceStats, getStepStats } from "@/lib/sequences/stats";
import { Badge, Card, PageHeader, buttonClass } from "../../../../_components/ui";
import { ArchiveSequenceButton, EnrollmentActions } from "../_components/enrollment-actions";
import { EnrollForm } from "../_components/enroll-form";

/** The member and the sequence, read once per request for both the tab title and the page. */
const load = cache(async (slug: string, sequenceId: string) => {
  const ctx = await requireMember(slug, "contacts.read");
  const seq = await getSequence(ctx, sequenceId).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  return { ctx, seq };
});

export async function generateMetadata({ params }: { params: Promise<{ workspace: string; sequenceId: string }> }) {
  const { workspace: slug, sequenceId } = await params;
  return { title: (await load(slug, sequenceId)).seq.name };
}

/** One sequence: its numbers (per step and A/B variant), its enrollments, and bulk enrolment. */
export default async function SequencePage({ params }: { params: Promise<{ workspace: string; sequenceId: string }> }) {
  const { workspace: slug, sequenceId } = await params;
  const { ctx, seq } = await load(slug, sequenceId);
  const manage = can(ctx.role, "sequences.manage");
  const enroll = can(ctx.role, "sequences.enroll");
  const [stats, stepStats, enrollments, choices] = await Promise.all([
    getSequenceStats(ctx.db, ctx.workspaceId, { sequenceIds: [seq.id] }),
    getStepStats(ctx.db, ctx.workspaceId, seq.id),
    listEnrollments(ctx, { sequenceId: seq.id }),
    enroll ? searchContactsForEnroll(ctx, "") : Promise.resolve([]),
  ]);
  const t = await getTranslations("sequences");
  const format = await getFormatter();
  const pct = (r: number | null) => (r === null ? "—" : format.number(r, { style: "percent", maximumFractionDigits: 1 }));
  const s = stats[0];
  const headline = [
    ["enrolled", s?.enrolled ?? 0],
    ["active", s?.active ?? 0],
    ["sent", s?.sent ?? 0],
    ["replied", s?.replied ?? 0],
    ["replyRate", pct(s?.replyRate ?? null)],
    ["bounced", s?.bounced ?? 0],
    ["unsubscribed", s?.unsubscribed ?? 0],
    // These two count deals and meetings across the workspace: not for a member limited to their own deals.
    ...(limitedToOwnDeals(ctx)
      ? []
      : ([
          ["meetingsBooked", s?.meetingsBooked ?? 0],
          ["dealsWon", s?.dealsWon ?? 0],
        ] as const)),
  ] as const;
  const delay = (amount: number, unit: string) => t(`delay.${unit}` as "delay.minutes", { count: amount });
  return (
    <>
      <PageHeader
        title={seq.name}
        description={seq.description ?? undefined}
        actions={
          manage ? (
            <>
              <Link href={`/w/${slug}/sequences/${seq.id}/edit`} className={buttonClass("secondary")}>
                <Pencil className="h-4 w-4" aria-hidden /> {t("edit")}
              </Link>
              <ArchiveSequenceButton slug={slug} sequenceId={seq.id} />
            </>
          ) : null
        }
      />
      <div className="space-y-6">
        <Card className="p-4">
          <dl className="grid grid-cols-3 gap-4 text-center sm:grid-cols-5 lg:grid-cols-9" data-testid="sequence-stats">
            {headline.map(([k, v]) => (
              <div key={k}>
                <dt className="text-xs text-zinc-500">{t(`stats.${k}`)}</dt>
                <dd className="mt-0.5 text-lg font-semibold tabular-nums">{v}</dd>
              </div>
            ))}
          </dl>
        </Card>

        <Card>
          <h2 className="border-b border-zinc-200 px-4 py-3 text-base font-semibold">{t("steps")}</h2>
          <ol className="divide-y divide-zinc-100">
            {seq.steps.map((step, i) => {
              const st = stepStats.steps.find((x) => x.stepId === step.id);
              return (
                <li key={step.id} className="space-y-2 p-4 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-semibold">{i + 1}.</span>
                    <Badge>{t(`builder.kinds.${step.kind}`)}</Badge>
                    <span className="text-zinc-500">{i === 0 ? t("startsAfter", { delay: delay(step.delayAmount, step.delayUnit) }) : t("thenAfter", { delay: delay(step.delayAmount, step.delayUnit) })}</span>
                    {step.threadReply ? <Badge>{t("threaded")}</Badge> : null}
                    {step.kind !== "task" ? (
                      <span className="ml-auto text-xs text-zinc-600 tabular-nums">
                        {t("stepStats", { sent: st?.sent ?? 0, replied: st?.replied ?? 0, rate: pct(st?.replyRate ?? null), bounced: st?.bounced ?? 0 })}
                      </span>
                    ) : null}
                  </div>
                  <ul className="space-y-1 pl-5">
                    {step.variants.map((v, j) => {
                      const vs = stepStats.variants.find((x) => x.variantId === v.id);
                      return (
                        <li key={v.id} className="flex flex-wrap items-center gap-2 text-zinc-700">
                          {step.variants.length > 1 ? <Badge>{t("builder.variant", { letter: String.fromCharCode(65 + j) })}</Badge> : null}
                          <span className="truncate">{v.subject || v.body.slice(0, 80)}</span>
                          {step.variants.length > 1 ? (
                            <span className="ml-auto text-xs tabular-nums text-zinc-600">{t("variantStats", { rate: pct(vs?.replyRate ?? null), replied: vs?.replied ?? 0, sent: vs?.sent ?? 0 })}</span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </li>
              );
            })}
          </ol>
        </Card>

        {enroll ? (
          <Card className="p-4">
            <details>
              <summary className="cursor-pointer text-base font-semibold">{t("enroll.bulkTitle")}</summary>
              <div className="mt-3">
                <EnrollForm slug={slug} sequences={[{ id: seq.id, name: seq.name }]} choices={choices} />
              </div>
            </details>
          </Card>
        ) : null}

        <Card>
          <h2 className="border-b border-zinc-200 px-4 py-3 text-base font-semibold">{t("enrollments.title")}</h2>
          {enrollments.length === 0 ? (
            <p className="p-4 text-sm text-zinc-500">{t("enrollments.empty")}</p>
          ) : (
            <div className="overflow-x-auto">
              {/* on a phone the table scrolls sideways rather than squeezing its columns a word (or a character) wide */}
              <table className="w-full min-w-[48rem] text-sm">
                <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
                  <tr>
                    <th className="px-4 py-2 font-medium">{t("enrollments.contact")}</th>
                    <th className="px-4 py-2 font-medium">{t("enrollments.status")}</th>
                    <th className="px-4 py-2 font-medium">{t("enrollments.next")}</th>
                    <th className="px-4 py-2 font-medium">{t("enrollments.enrolledAt")}</th>
                    <th className="px-4 py-2" />
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {enrollments.map((e) => (
                    <tr key={e.id} data-testid="enrollment-row">
                      <td className="px-4 py-2">
                        <Link href={`/w/${slug}/contacts/${e.contactId}`} className="font-medium hover:underline">
                          {e.contactName}
                        </Link>
                        <div className="text-xs text-zinc-500">{e.contactEmail}</div>
                      </td>
                      <td className="px-4 py-2">
                        <Badge data-testid="enrollment-status" className="whitespace-nowrap">{t(`status.${e.status}`)}</Badge>
                        {e.stopReason && e.stopReason !== e.status ? <div className="mt-0.5 text-xs text-zinc-500">{t(`reasons.${e.stopReason}` as "reasons.removed")}</div> : null}
                      </td>
                      <td className="px-4 py-2 text-xs text-zinc-600">
                        {e.status === "active" && e.nextRunAt ? t("enrollments.stepAt", { step: e.nextStep + 1, at: format.dateTime(e.nextRunAt, { dateStyle: "medium", timeStyle: "short" }) }) : e.pausedUntil ? t("enrollments.pausedUntil", { at: format.dateTime(e.pausedUntil, { dateStyle: "medium" }) }) : "—"}
                      </td>
                      <td className="px-4 py-2 text-xs text-zinc-600">{format.dateTime(e.enrolledAt, { dateStyle: "medium" })}</td>
                      <td className="px-4 py-2">{enroll ? <EnrollmentActions slug={slug} enrollmentId={e.id} status={e.status} /> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
