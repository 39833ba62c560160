import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Building2, ChevronLeft, Mail, Phone, UserRound } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { SequencePanel } from "../../sequences/_components/sequence-panel";
import { isAppError } from "@/lib/errors";
import { formatCalendarDate, formatMoney, minorToInput } from "@/lib/format";
import { getDeal, getDealFormOptions, listPipelineEntryStages } from "@/lib/deals/queries";
import { getActivityFormOptions, listDealActivities } from "@/lib/activities/queries";
import { localDay, safeTimeZone } from "@/lib/activities/time";
import { z } from "@/lib/validation";
import { Card } from "../../../../_components/ui";
import { DealActions } from "./_components/deal-actions";
import { InlineField } from "./_components/inline-field";
import { PartyPicker } from "./_components/party-picker";
import { PipelineSwitch } from "./_components/pipeline-switch";
import { StageBar } from "./_components/stage-bar";
import { CustomFieldsCard } from "./_components/custom-fields-card";
import { listCustomFields, toFieldDef } from "@/lib/custom-fields/queries";
import { Timeline } from "./_components/timeline";
import { ActivityList } from "../../activities/_components/activity-list";
import { NextActivityHost } from "../../activities/_components/next-activity";
import { ScheduleActivityButton } from "../../activities/_components/schedule-button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("deals") };
}

export default async function DealPage({ params }: { params: Promise<{ workspace: string; dealId: string }> }) {
  const { workspace, dealId } = await params;
  if (!z.uuid().safeParse(dealId).success) notFound();
  const ctx = await requireMember(workspace, "deals.read");
  let view;
  try {
    view = await getDeal(ctx, dealId);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const tz = safeTimeZone(ctx.user.timeZone);
  const [options, pipelines, activityOptions, dealActivities, customFieldList] = await Promise.all([
    getDealFormOptions(ctx),
    listPipelineEntryStages(ctx),
    getActivityFormOptions(ctx),
    listDealActivities(ctx, dealId, tz),
    listCustomFields(ctx, "deal"),
  ]);
  const dealFields = customFieldList.map(toFieldDef);
  const t = await getTranslations("deal");
  const ta = await getTranslations("activities");
  const locale = await getLocale();
  const format = await getFormatter();
  const { deal } = view;
  const contactName = view.contact ? `${view.contact.firstName} ${view.contact.lastName}`.trim() : null;
  const today = localDay(ctx.now, tz).date;
  const activityForm = { members: activityOptions.members, customTypes: activityOptions.customTypes, userId: ctx.userId, today };
  const activityDefaults = { deal: { id: deal.id, title: deal.title }, contact: view.contact ? { id: view.contact.id, name: contactName! } : null };
  return (
    <div className="mx-auto max-w-6xl">
      <Link href={`/w/${workspace}/pipelines/${deal.pipelineId}`} className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ChevronLeft className="h-4 w-4" aria-hidden /> {view.pipelineName}
      </Link>
      <div className="mb-4 flex flex-col gap-3 md:flex-row md:items-start md:justify-between">
        <div className="min-w-0">
          <InlineField slug={workspace} dealId={deal.id} field="title" value={deal.title} label={t("title")} display={<h1 className="text-xl font-semibold tracking-tight">{deal.title}</h1>} />
          <p className="mt-1 text-sm text-zinc-500">
            <span className="font-medium text-zinc-800">{formatMoney(deal.value, deal.currency, locale)}</span>
            {" · "}
            {view.stageName} ({view.probability}%){view.stuck ? <span className="ml-2 rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700">{t("stuckFor", { days: view.daysInStage })}</span> : null}
          </p>
        </div>
        <DealActions slug={workspace} dealId={deal.id} title={deal.title} status={deal.status} lostReason={deal.lostReason} lostReasons={options.lostReasons} pipelineId={deal.pipelineId} />
      </div>
      <StageBar
        slug={workspace}
        dealId={deal.id}
        dealTitle={deal.title}
        currentStageId={deal.stageId}
        stages={view.stages}
        disabled={deal.status !== "open"}
        nextActivity={activityDefaults}
        requirementOptions={{ fields: dealFields, members: options.members, sources: options.sources }}
      />
      <div className="mt-6 grid gap-6 lg:grid-cols-[22rem_1fr]">
        <div className="space-y-6">
          <Card className="p-5">
            <h2 className="mb-3 text-sm font-semibold text-zinc-900">{t("details")}</h2>
            <dl className="space-y-3 text-sm">
              <PipelineSwitch slug={workspace} dealId={deal.id} pipelineId={deal.pipelineId} pipelines={pipelines} />
              <InlineField slug={workspace} dealId={deal.id} field="value" value={minorToInput(deal.value, deal.currency)} label={t("value")} display={formatMoney(deal.value, deal.currency, locale)} inputMode="decimal" />
              <InlineField slug={workspace} dealId={deal.id} field="currency" value={deal.currency} label={t("currency")} display={deal.currency} />
              <InlineField
                slug={workspace}
                dealId={deal.id}
                field="ownerId"
                value={deal.ownerId ?? ""}
                label={t("owner")}
                display={view.owner?.name ?? t("unassigned")}
                options={[{ value: "", label: t("unassigned") }, ...options.members.map((m) => ({ value: m.id, label: m.name }))]}
              />
              <InlineField
                slug={workspace}
                dealId={deal.id}
                field="expectedCloseDate"
                value={deal.expectedCloseDate ?? ""}
                type="date"
                label={t("expectedClose")}
                display={deal.expectedCloseDate ? formatCalendarDate(deal.expectedCloseDate, locale) : "—"}
              />
              <InlineField
                slug={workspace}
                dealId={deal.id}
                field="source"
                value={deal.source ?? ""}
                label={t("source")}
                display={deal.source ?? "—"}
                options={[{ value: "", label: "—" }, ...[...new Set([...options.sources, ...(deal.source ? [deal.source] : [])])].map((s) => ({ value: s, label: s }))]}
              />
              <div className="flex justify-between gap-3">
                <dt className="text-zinc-500">{t("created")}</dt>
                <dd>{format.dateTime(deal.createdAt, { dateStyle: "medium" })}</dd>
              </div>
              {deal.closedAt ? (
                <div className="flex justify-between gap-3">
                  <dt className="text-zinc-500">{t("closed")}</dt>
                  <dd>{format.dateTime(deal.closedAt, { dateStyle: "medium" })}</dd>
                </div>
              ) : null}
            </dl>
          </Card>
          <SequencePanel ctx={ctx} slug={workspace} contactId={view.contact?.id ?? null} dealId={deal.id} />
          {dealFields.length ? (
            <Card className="p-5">
              <CustomFieldsCard slug={workspace} dealId={deal.id} fields={dealFields} values={deal.custom} members={options.members} />
            </Card>
          ) : null}
          <Card className="p-5">
            <div className="mb-3 flex items-center justify-between">
              <h2 className="flex items-center gap-1.5 text-sm font-semibold"><UserRound className="h-4 w-4 text-zinc-400" aria-hidden />{t("person")}</h2>
              <PartyPicker slug={workspace} dealId={deal.id} kind="contact" current={view.contact ? { id: view.contact.id, name: contactName! } : null} />
            </div>
            {view.contact ? (
              <div className="space-y-1 text-sm">
                <Link href={`/w/${workspace}/contacts/${view.contact.id}`} className="font-medium text-brand-700 hover:underline">{contactName}</Link>
                {view.contact.email ? <p className="flex items-center gap-1.5 text-zinc-600"><Mail className="h-3.5 w-3.5" aria-hidden /><a href={`mailto:${view.contact.email}`} className="hover:underline">{view.contact.email}</a></p> : null}
                {view.contact.phone ? <p className="flex items-center gap-1.5 text-zinc-600"><Phone className="h-3.5 w-3.5" aria-hidden /><a href={`tel:${view.contact.phone}`} className="hover:underline">{view.contact.phone}</a></p> : null}
                <p className="text-zinc-600">
                  <Link href={`/w/${workspace}/automations/scoring/${view.contact.id}`} className="hover:underline">
                    {t("contactScore", { score: view.contact.score })}
                  </Link>
                </p>
              </div>
            ) : (
              <p className="text-sm text-zinc-500">{t("noPerson")}</p>
            )}
          </Card>
          <Card className="p-5">
            <div className="mb-3 flex items-center justify-between">
              <h2 className="flex items-center gap-1.5 text-sm font-semibold"><Building2 className="h-4 w-4 text-zinc-400" aria-hidden />{t("organization")}</h2>
              <PartyPicker slug={workspace} dealId={deal.id} kind="company" current={view.company ? { id: view.company.id, name: view.company.name } : null} />
            </div>
            {view.company ? (
              <div className="space-y-1 text-sm">
                <Link href={`/w/${workspace}/companies/${view.company.id}`} className="font-medium text-brand-700 hover:underline">{view.company.name}</Link>
                {view.company.domain ? <p className="text-zinc-600">{view.company.domain}</p> : null}
              </div>
            ) : (
              <p className="text-sm text-zinc-500">{t("noOrganization")}</p>
            )}
          </Card>
        </div>
        <div className="space-y-6">
          <Card className="p-5">
            <h2 className="mb-2 text-sm font-semibold">{t("notes")}</h2>
            <InlineField slug={workspace} dealId={deal.id} field="notes" value={deal.notes ?? ""} label={t("notes")} multiline display={deal.notes ? <p className="text-sm whitespace-pre-wrap text-zinc-700">{deal.notes}</p> : <p className="text-sm text-zinc-500">{t("addNotes")}</p>} />
          </Card>
          <Card className="p-5">
            <div className="mb-2 flex items-center justify-between gap-2">
              <h2 className="text-sm font-semibold">{ta("panelTitle")}</h2>
              <ScheduleActivityButton slug={workspace} options={activityForm} defaults={activityDefaults} variant="secondary" compact />
            </div>
            {dealActivities.open.length === 0 ? <p className="py-2 text-sm text-amber-700">{ta("panelEmpty")}</p> : null}
            <ActivityList slug={workspace} options={activityForm} activities={dealActivities.open} today={today} showAssignee hideDeal label={ta("panelOpen")} />
            {dealActivities.done.length ? (
              <details className="mt-2 border-t border-zinc-100 pt-2">
                <summary className="cursor-pointer text-xs font-medium text-zinc-500">{ta("panelDone")} ({dealActivities.done.length})</summary>
                <ActivityList slug={workspace} options={activityForm} activities={dealActivities.done} today={today} showAssignee hideDeal label={ta("panelDone")} />
              </details>
            ) : null}
            <NextActivityHost slug={workspace} options={activityForm} />
          </Card>
          <Card className="p-5">
            <h2 className="mb-4 text-sm font-semibold">{t("history")}</h2>
            <Timeline events={view.events} members={options.members} fields={dealFields} />
          </Card>
        </div>
      </div>
    </div>
  );
}
