import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeft, Check, CircleAlert, Clock, History, Minus, X } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { ruleFieldType } from "@/lib/workflows/conditions";
import { fieldLabelKey } from "@/lib/workflows/fields";
import { getBuilderOptions, getWorkflow, listWorkflowRuns, type WorkflowRunDTO } from "@/lib/workflows/queries";
import { Badge, Card, EmptyState, PageHeader } from "../../../../../_components/ui";
import { ActionButton } from "../../../_components/action-button";
import { cancelWorkflowRunAction } from "../../actions";
import { cn } from "../../../../../_components/cn";

export async function generateMetadata() {
  const t = await getTranslations("automations");
  return { title: t("runLog") };
}

const statusStyle: Record<WorkflowRunDTO["status"], string> = {
  completed: "bg-emerald-50 text-emerald-800",
  running: "bg-sky-50 text-sky-800",
  failed: "bg-red-50 text-red-800",
  skipped: "bg-zinc-100 text-zinc-600",
  cancelled: "bg-amber-50 text-amber-800",
};

/** A workflow's runs, newest first: record, trigger, conditions with their actual values, each action's outcome. */
export default async function WorkflowRunsPage({ params }: { params: Promise<{ workspace: string; workflowId: string }> }) {
  const { workspace: slug, workflowId } = await params;
  const ctx = await requireMember(slug, "automations.manage");
  if (!/^[0-9a-f-]{36}$/i.test(workflowId)) notFound();
  const workflow = await getWorkflow(ctx, workflowId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const [runs, options] = await Promise.all([listWorkflowRuns(ctx, workflowId, 100), getBuilderOptions(ctx)]);
  const t = await getTranslations("automations");
  const format = await getFormatter();
  const names = new Map<string, string>([
    ...options.pipelines.map((p) => [p.id, p.name] as const),
    ...options.pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)),
    ...options.members.map((m) => [m.id, m.name] as const),
  ]);
  const custom = new Map(options.customFields.map((f) => [f.path, f]));
  const fieldLabel = (field: string) => custom.get(field)?.label ?? t(fieldLabelKey(field));
  const show = (field: string, value: string | number | string[] | null) => {
    if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) return "—";
    const def = custom.get(field);
    if (def) {
      const label = (id: string) => def.options.find((o) => o.id === id)?.label ?? (def.type === "user" ? (names.get(id) ?? "?") : id);
      if (def.type === "checkbox") return value === "true" ? t("builder.yes") : t("builder.no");
      return Array.isArray(value) ? value.map(label).join(", ") : label(String(value));
    }
    if (Array.isArray(value)) return value.join(", ");
    const type = ruleFieldType(field);
    if (type === "pipeline" || type === "stage" || type === "user") return names.get(String(value)) ?? "?";
    if (field === "contact.lifecycle") return t(`lifecycle.${value}`);
    if (field === "deal.status") return t(`status.${value}`);
    return String(value);
  };
  const subjectHref = (run: WorkflowRunDTO) =>
    run.subject.type === "deal" ? `/w/${slug}/deals/${run.subject.id}` : run.subject.type === "contact" ? `/w/${slug}/contacts/${run.subject.id}` : `/w/${slug}/activities`;
  const when = (iso: unknown) => (typeof iso === "string" ? format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }) : "?");
  /** What a done step did, in words, for the steps whose outcome is more than "done". */
  const doneText = (type: string, detail: Record<string, unknown> | undefined) => {
    if (detail?.skipped === "noContact") return t("runs.stepSkippedNoContact");
    if (type === "send_email") {
      if (typeof detail?.skipped === "string") return t(`runs.emailSkipped.${detail.skipped}`);
      return detail?.delivery === "captured" ? t("runs.emailCaptured") : t("runs.emailSent", { to: String(detail?.to) });
    }
    if (typeof detail?.refused === "string") return t("runs.stepRefused", { reason: t(`runs.refusal.${detail.refused}`) });
    if (type === "branch") return detail?.passed ? t("runs.branchYes") : t("runs.branchNo");
    if (type === "wait") {
      if (detail?.skipped) return t("runs.waitSkipped");
      if (detail?.resumedBy === "event") return t("runs.waitEventHappened", { event: t(`triggers.${String(detail.event).replace(".", "_")}`) });
      if (detail?.resumedBy === "timeout") return t("runs.waitTimedOut");
      return t("runs.waitEnded", { at: when(detail?.until) });
    }
    return t("runs.stepDone");
  };

  return (
    <div className="mx-auto max-w-4xl">
      <Link href={`/w/${slug}/automations`} className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ArrowLeft className="h-4 w-4" aria-hidden /> {t("runs.back")}
      </Link>
      <PageHeader title={t("runs.title", { name: workflow.name })} />
      {runs.length === 0 ? (
        <EmptyState icon={<History className="h-8 w-8" aria-hidden />} title={t("runs.emptyTitle")} description={t("runs.emptyText")} />
      ) : (
        <ol className="space-y-3">
          {runs.map((run) => (
            <li key={run.id}>
              <Card className="p-4">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <Badge className={statusStyle[run.status]}>{t(`runs.status.${run.status}`)}</Badge>
                  {run.subject.label ? (
                    <Link href={subjectHref(run)} className="font-medium text-zinc-900 hover:underline">
                      {run.subject.label}
                    </Link>
                  ) : (
                    <span className="text-zinc-500">{t("runs.subjectGone")}</span>
                  )}
                  <span className="text-sm text-zinc-500">{t(`triggers.${run.eventType.replace(".", "_")}`)}</span>
                  <time className="ml-auto text-xs text-zinc-500" dateTime={run.startedAt.toISOString()}>
                    {format.dateTime(run.startedAt, { dateStyle: "medium", timeStyle: "short" })}
                  </time>
                </div>
                {run.depth > 0 ? <p className="mt-1 text-xs text-zinc-500">{t("runs.depth", { depth: run.depth })}</p> : null}
                {run.skipReason ? <p className="mt-2 text-sm text-zinc-600">{t(`runs.skip.${run.skipReason}`)}</p> : null}
                {"rules" in run.conditions ? (
                  <details className="mt-3 text-sm" open={run.skipReason === "conditions"}>
                    <summary className="cursor-pointer text-zinc-700">
                      {run.conditions.passed ? t("runs.conditionsPassed") : t("runs.conditionsFailed")}
                    </summary>
                    {run.conditions.rules.length === 0 ? (
                      <p className="mt-1 text-zinc-500">{t("runs.noConditions")}</p>
                    ) : (
                      <ul className="mt-2 space-y-1">
                        {run.conditions.rules.map((rule, i) => (
                          <li key={i} className="flex items-start gap-2">
                            {rule.passed ? <Check className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600" aria-label="✓" /> : <X className="mt-0.5 h-4 w-4 shrink-0 text-red-600" aria-label="✗" />}
                            <span>
                              {fieldLabel(rule.field)} {t(`ops.${rule.op}`)} {rule.op === "empty" || rule.op === "not_empty" ? "" : <strong>{show(rule.field, rule.value)}</strong>}{" "}
                              <span className="text-zinc-500">({t("runs.was", { actual: show(rule.field, rule.actual) })})</span>
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </details>
                ) : null}
                {run.status === "running" && run.waitUntil ? (
                  <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-sky-800">
                    <Clock className="h-4 w-4" aria-hidden /> {t("runs.waitingUntil", { at: format.dateTime(run.waitUntil, { dateStyle: "medium", timeStyle: "short" }) })}
                    <ActionButton run={cancelWorkflowRunAction.bind(null, slug, undefined, { runId: run.id })} label={t("runs.cancel")} success={t("runs.cancelled")} confirm={t("runs.cancelConfirm")} />
                  </div>
                ) : null}
                {run.actions.length > 0 ? (
                  <ol className="mt-3 space-y-1.5 border-t border-zinc-100 pt-3 text-sm">
                    {run.actions.map((action, i) => {
                      if (action.type === "jump") return null;
                      const step = run.steps[i];
                      const icon =
                        step?.status === "done" ? (
                          <Check className="h-4 w-4 text-emerald-600" aria-hidden />
                        ) : step?.status === "failed" ? (
                          <CircleAlert className="h-4 w-4 text-red-600" aria-hidden />
                        ) : step?.status === "retrying" || step?.status === "waiting" || step?.status === "sending" ? (
                          <Clock className="h-4 w-4 text-amber-600" aria-hidden />
                        ) : (
                          <Minus className="h-4 w-4 text-zinc-400" aria-hidden />
                        );
                      const outcome =
                        step?.status === "done"
                          ? doneText(action.type, step.detail)
                          : step?.status === "waiting"
                            ? t("runs.waitingUntil", { at: when(step.detail?.until) })
                          : step?.status === "sending"
                            ? t("runs.emailSending")
                          : step?.status === "failed"
                            ? t("runs.stepFailed")
                            : step?.status === "retrying"
                              ? t("runs.retrying", { attempts: step.attempts ?? 1 })
                              : step?.status === "skipped"
                                ? t("runs.stepSkipped")
                                : run.status === "running" && i === run.nextStep
                                  ? t("runs.pending")
                                  : t("runs.notReached");
                      return (
                        <li key={action.id ?? i} className="flex items-start gap-2">
                          <span className="mt-0.5 shrink-0">{icon}</span>
                          <div className="min-w-0">
                            <span className="text-zinc-900">
                              {t(`actionTypes.${action.type}`)}
                            </span>{" "}
                            <span className={cn("text-zinc-500", step?.status === "failed" && "text-red-700")}>— {outcome}</span>
                            {step?.error && step.error !== "gone" ? <p className="font-mono text-xs break-words text-red-700">{step.error}</p> : null}
                          </div>
                        </li>
                      );
                    })}
                  </ol>
                ) : null}
              </Card>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
