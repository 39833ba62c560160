import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { CircleCheck, RotateCcw } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { describeJobs } from "@/lib/jobs/describe";
import { listDeadJobs, queueSummary } from "@/lib/jobs/queries";
import { Card, EmptyState } from "../../../../../_components/ui";
import { ActionButton } from "../../../_components/action-button";
import { retryJobAction } from "../../actions";

export async function generateMetadata() {
  const t = await getTranslations("jobs");
  return { title: t("title") };
}

/** Failed jobs (admins): every job of the workspace whose attempts are used up, with its error and a retry. */
export default async function FailedJobsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const ctx = await requireMember(workspace, "automations.manage");
  const [dead, summary] = await Promise.all([listDeadJobs(ctx), queueSummary(ctx)]);
  const described = await describeJobs(ctx, dead);
  const t = await getTranslations("jobs");
  const ta = await getTranslations("automations");
  const format = await getFormatter();
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600">{t("summary", { pending: summary.pending, running: summary.running, retrying: summary.retrying, dead: summary.dead })}</p>
      {dead.length === 0 ? (
        <EmptyState icon={<CircleCheck className="h-8 w-8" />} title={t("emptyTitle")} description={t("emptyText")} />
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t("title")}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase">
              <tr>
                <th className="px-4 py-2 font-medium">{t("what")}</th>
                <th className="px-4 py-2 font-medium">{t("error")}</th>
                <th className="px-4 py-2 font-medium whitespace-nowrap">{t("lastTried")}</th>
                <th className="px-4 py-2 font-medium">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {described.map((job) => (
                <tr key={job.id} className="align-top">
                  <td className="px-4 py-3">
                    <div className="font-medium text-zinc-900">{t.has(`kinds.${job.kind}`) ? t(`kinds.${job.kind}`) : job.kind}</div>
                    {job.workflow ? (
                      <Link href={`/w/${workspace}/automations/${job.workflow.id}/runs`} className="mt-0.5 block text-xs text-brand-700 hover:underline">
                        {t("context.step", {
                          workflow: job.workflow.name,
                          step: job.workflow.step + 1,
                          action: job.workflow.actionType && ta.has(`actionTypes.${job.workflow.actionType}`) ? ta(`actionTypes.${job.workflow.actionType}`) : "—",
                        })}
                      </Link>
                    ) : null}
                    <div className="mt-0.5 text-xs text-zinc-400">{t("attempts", { count: job.attempts })}</div>
                  </td>
                  <td className="max-w-md px-4 py-3">
                    <p className="font-mono text-xs break-words whitespace-pre-wrap text-red-700">{job.lastError ?? t("noError")}</p>
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap text-zinc-500">{format.dateTime(job.runAt, { dateStyle: "medium", timeStyle: "short" })}</td>
                  <td className="px-4 py-3 text-right">
                    <ActionButton run={retryJobAction.bind(null, workspace, undefined, { jobId: job.id })} label={t("retry")} success={t("retried")} icon={<RotateCcw className="h-4 w-4" aria-hidden />} />
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
