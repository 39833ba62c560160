import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Hourglass } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { listWaitingRuns, type WaitingRunDTO } from "@/lib/workflows/queries";
import { Card, EmptyState } from "../../../../../_components/ui";
import { ActionButton } from "../../../_components/action-button";
import { cancelWorkflowRunAction } from "../../actions";

export async function generateMetadata() {
  const t = await getTranslations("automations");
  return { title: t("waitingTab") };
}

/** Runs sitting on a wait step (admins): which workflow, which record, until when; each can be cancelled. */
export default async function WaitingRunsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "automations.manage");
  const runs = await listWaitingRuns(ctx);
  const t = await getTranslations("automations");
  const format = await getFormatter();
  const recordHref = (run: WaitingRunDTO) =>
    run.subject.type === "deal" ? `/w/${slug}/deals/${run.subject.id}` : run.subject.type === "contact" ? `/w/${slug}/contacts/${run.subject.id}` : `/w/${slug}/activities`;
  if (runs.length === 0) return <EmptyState icon={<Hourglass className="h-8 w-8" aria-hidden />} title={t("waiting.emptyTitle")} description={t("waiting.emptyText")} />;
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-600">{t("waiting.hint")}</p>
      <Card className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">{t("waiting.title")}</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase">
            <tr>
              <th className="px-4 py-2 font-medium">{t("waiting.workflow")}</th>
              <th className="px-4 py-2 font-medium">{t("waiting.record")}</th>
              <th className="px-4 py-2 font-medium whitespace-nowrap">{t("waiting.until")}</th>
              <th className="px-4 py-2 font-medium">
                <span className="sr-only">{t("runs.cancel")}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {runs.map((run) => (
              <tr key={run.id} className="align-top">
                <td className="px-4 py-2.5">
                  <Link href={`/w/${slug}/automations/${run.workflow.id}/runs`} className="font-medium text-zinc-900 hover:underline">
                    {run.workflow.name}
                  </Link>
                  <p className="text-xs text-zinc-500">{t(`triggers.${run.eventType.replace(".", "_")}`)}</p>
                </td>
                <td className="px-4 py-2.5">
                  {run.subject.label ? (
                    <Link href={recordHref(run)} className="text-zinc-800 hover:underline">
                      {run.subject.label}
                    </Link>
                  ) : (
                    <span className="text-zinc-500">{t("runs.subjectGone")}</span>
                  )}
                </td>
                <td className="px-4 py-2.5 whitespace-nowrap">
                  <time dateTime={run.waitUntil.toISOString()}>{format.dateTime(run.waitUntil, { dateStyle: "medium", timeStyle: "short" })}</time>
                  {run.waitEvent ? <p className="text-xs text-zinc-500">{t("waiting.orEvent", { event: t(`triggers.${run.waitEvent.replace(".", "_")}`) })}</p> : null}
                </td>
                <td className="px-4 py-2.5 text-right">
                  <ActionButton run={cancelWorkflowRunAction.bind(null, slug, undefined, { runId: run.id })} label={t("runs.cancel")} success={t("runs.cancelled")} confirm={t("runs.cancelConfirm")} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
