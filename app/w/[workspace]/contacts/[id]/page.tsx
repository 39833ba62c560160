import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ArrowLeft, Building2, CircleDollarSign, Clock, Mail, Phone } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { formatMoney, initials } from "@/lib/format";
import { getContact, listSourceSuggestions } from "@/lib/contacts/queries";
import { mayChangeOwner, partyDeleteRefusal } from "@/lib/contacts/commands";
import { contactName } from "@/lib/contacts/schema";
import { listMembers } from "@/lib/workspaces/queries";
import { listCustomFields } from "@/lib/custom-fields/queries";
import { customUserNames } from "@/lib/companies/custom";
import { getActivityFormOptions, listContactActivities } from "@/lib/activities/queries";
import { localDay, safeTimeZone } from "@/lib/activities/time";
import { ActivityList } from "../../activities/_components/activity-list";
import { NextActivityHost } from "../../activities/_components/next-activity";
import { ScheduleActivityButton } from "../../activities/_components/schedule-button";
import { Card } from "../../../../_components/ui";
import { deleteContactAction } from "../actions";
import { ContactForm } from "../_components/contact-form";
import { DeleteButton } from "../_components/delete-button";
import { Avatar, LifecycleBadge } from "../_components/list-parts";
import { RelatedDeals } from "../_components/related-deals";
import { CustomValueList } from "../_components/custom-view";
import { SequencePanel } from "../../sequences/_components/sequence-panel";

async function load(slug: string, id: string) {
  const ctx = await requireMember(slug, "contacts.read");
  try {
    return { ctx, contact: await getContact(ctx, id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace, id } = await params;
  const { contact } = await load(workspace, id);
  return { title: contactName(contact) };
}

export default async function ContactPage({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace: slug, id } = await params;
  const { ctx, contact } = await load(slug, id);
  const tz = safeTimeZone(ctx.user.timeZone);
  const canWrite = can(ctx.role, "contacts.write");
  const ownerId = contact.owner?.id ?? null;
  const [members, sources, activityOptions, contactActivities, customFields, deleteRefusal] = await Promise.all([
    listMembers(ctx),
    listSourceSuggestions(ctx),
    getActivityFormOptions(ctx),
    listContactActivities(ctx, id, tz),
    listCustomFields(ctx, "contact"),
    canWrite ? partyDeleteRefusal(ctx.db, ctx, { contactId: contact.id }, ownerId) : null,
  ]);
  // The Delete button only where the command would allow it (the command checks again, under lock).
  const canDelete = canWrite && deleteRefusal === null;
  const userNames = await customUserNames(ctx, customFields, [contact]);
  const t = await getTranslations("contacts");
  const ta = await getTranslations("activities");
  const format = await getFormatter();
  const locale = await getLocale();
  const name = contactName(contact);
  const memberOptions = members.map((m) => ({ id: m.userId, name: m.name }));
  // A former member still shows as owner until someone picks another.
  if (contact.owner && !memberOptions.some((m) => m.id === contact.owner!.id)) memberOptions.push(contact.owner);
  // user fields keep showing a former member they name, until someone picks another
  const fieldMembers = [...members.map((m) => ({ id: m.userId, name: m.name }))];
  for (const [userId, userName] of Object.entries(userNames)) if (!fieldMembers.some((m) => m.id === userId)) fieldMembers.push({ id: userId, name: userName });
  const openDeals = contact.deals.filter((d) => d.status === "open");
  const today = localDay(ctx.now, tz).date;
  const activityForm = { members: activityOptions.members, customTypes: activityOptions.customTypes, userId: ctx.userId, today };

  return (
    <div className="mx-auto max-w-6xl">
      <Link href={`/w/${slug}/contacts`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ArrowLeft className="h-4 w-4" aria-hidden /> {t("title")}
      </Link>

      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex min-w-0 items-center gap-4">
          <Avatar text={initials(name)} size="lg" />
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="truncate text-xl font-semibold tracking-tight text-zinc-900">{name}</h1>
              <LifecycleBadge lifecycle={contact.lifecycle} label={t(`lifecycle.${contact.lifecycle}`)} />
            </div>
            <p className="mt-0.5 truncate text-sm text-zinc-500">
              {contact.title ?? null}
              {contact.title && contact.company ? " · " : null}
              {contact.company ? (
                <Link href={`/w/${slug}/companies/${contact.company.id}`} className="font-medium text-zinc-700 hover:text-brand-700 hover:underline">
                  {contact.company.name}
                </Link>
              ) : null}
            </p>
          </div>
        </div>
        {canDelete ? (
          <div className="shrink-0">
            <DeleteButton
              run={deleteContactAction.bind(null, slug, undefined, { contactId: contact.id })}
              afterHref={`/w/${slug}/contacts`}
              labels={{
                trigger: t("delete"),
                title: t("deleteTitle", { name }),
                description: contact.deals.length > 0 ? t("deleteTextDeals", { count: contact.deals.length }) : t("deleteText"),
                confirm: t("deleteConfirm"),
                cancel: t("cancel"),
                done: t("deleted"),
              }}
            />
          </div>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
        <Card className="p-5 sm:p-6">
          <h2 className="mb-4 text-base font-semibold">{t("details")}</h2>
          {canWrite ? (
            <ContactForm
              slug={slug}
              members={memberOptions}
              sources={sources}
              customFields={customFields}
              fieldMembers={fieldMembers}
              ownerLocked={!mayChangeOwner(ctx, ownerId)}
              contact={{
                id: contact.id,
                firstName: contact.firstName,
                lastName: contact.lastName,
                email: contact.email,
                phone: contact.phone,
                title: contact.title,
                company: contact.company ? { id: contact.company.id, name: contact.company.name } : null,
                ownerId,
                lifecycle: contact.lifecycle,
                source: contact.source,
                timeZone: contact.timeZone,
                custom: contact.custom,
              }}
            />
          ) : (
            <>
            <dl className="grid gap-4 text-sm sm:grid-cols-2">
              {(
                [
                  [t("email"), contact.email],
                  [t("phone"), contact.phone],
                  [t("jobTitle"), contact.title],
                  [t("company"), contact.company?.name],
                  [t("owner"), contact.owner?.name],
                  [t("source"), contact.source],
                  [t("timeZone"), contact.timeZone],
                ] as const
              ).map(([label, value]) => (
                <div key={label}>
                  <dt className="text-zinc-500">{label}</dt>
                  <dd className="mt-0.5 text-zinc-900">{value ?? "—"}</dd>
                </div>
              ))}
            </dl>
            <CustomValueList fields={customFields} custom={contact.custom} locale={locale} userNames={userNames} showEmpty className="mt-4 grid gap-4 border-t border-zinc-100 pt-4 text-sm sm:grid-cols-2" />
            </>
          )}
        </Card>
        <Card className="p-5 sm:p-6">
          <div className="mb-2 flex items-center justify-between gap-2">
            <h2 className="text-base font-semibold">{ta("panelTitle")}</h2>
            <ScheduleActivityButton slug={slug} options={activityForm} defaults={{ contact: { id: contact.id, name } }} variant="secondary" compact />
          </div>
          <ActivityList slug={slug} options={activityForm} activities={contactActivities.open} today={today} showAssignee label={ta("panelOpen")} emptyText={ta("panelEmpty")} />
          {contactActivities.done.length ? (
            <details className="mt-2 border-t border-zinc-100 pt-2">
              <summary className="cursor-pointer text-xs font-medium text-zinc-500">{ta("panelDone")} ({contactActivities.done.length})</summary>
              <ActivityList slug={slug} options={activityForm} activities={contactActivities.done} today={today} showAssignee label={ta("panelDone")} />
            </details>
          ) : null}
          <NextActivityHost slug={slug} options={activityForm} />
        </Card>
        </div>

        <div className="order-first space-y-6 lg:order-none">
          <SequencePanel ctx={ctx} slug={slug} contactId={contact.id} />
          <Card>
            <div className="flex items-center justify-between border-b border-zinc-200 px-5 py-3.5">
              <h2 className="flex items-center gap-2 text-base font-semibold">
                <CircleDollarSign className="h-4 w-4 text-zinc-400" aria-hidden /> {t("deals")}
              </h2>
              <span className="text-xs text-zinc-500">{t("openDeals", { count: openDeals.length })}</span>
            </div>
            <RelatedDeals
              slug={slug}
              deals={contact.deals.map((d) => ({
                id: d.id,
                title: d.title,
                subtitle: `${d.stageName} · ${d.pipelineName}`,
                value: formatMoney(d.value, d.currency, locale),
                status: d.status,
                statusLabel: t(`dealStatus.${d.status}`),
              }))}
              emptyText={t("noDeals")}
            />
          </Card>

          <Card className="p-5">
            <h2 className="mb-3 text-base font-semibold">{t("about")}</h2>
            <ul className="space-y-2.5 text-sm">
              {contact.email ? (
                <li className="flex items-center gap-2.5">
                  <Mail className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <a href={`mailto:${contact.email}`} className="truncate text-zinc-700 hover:text-brand-700 hover:underline">
                    {contact.email}
                  </a>
                </li>
              ) : null}
              {contact.phone ? (
                <li className="flex items-center gap-2.5">
                  <Phone className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`} className="text-zinc-700 hover:text-brand-700 hover:underline">
                    {contact.phone}
                  </a>
                </li>
              ) : null}
              {contact.company ? (
                <li className="flex items-center gap-2.5">
                  <Building2 className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <Link href={`/w/${slug}/companies/${contact.company.id}`} className="truncate text-zinc-700 hover:text-brand-700 hover:underline">
                    {contact.company.name}
                  </Link>
                </li>
              ) : null}
              {contact.timeZone ? (
                <li className="flex items-center gap-2.5">
                  <Clock className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <span className="text-zinc-700">
                    {t("localTime", { time: format.dateTime(new Date(), { timeZone: contact.timeZone, hour: "numeric", minute: "2-digit" }), zone: contact.timeZone })}
                  </span>
                </li>
              ) : null}
            </ul>
            {canWrite ? (
              <CustomValueList fields={customFields} custom={contact.custom} locale={locale} userNames={userNames} className="mt-4 grid grid-cols-2 gap-3 border-t border-zinc-100 pt-4 text-xs" />
            ) : null}
            <dl className="mt-4 grid grid-cols-2 gap-3 border-t border-zinc-100 pt-4 text-xs">
              <div>
                <dt className="text-zinc-500">{t("createdAt")}</dt>
                <dd className="mt-0.5 text-zinc-800">{format.dateTime(contact.createdAt, { dateStyle: "medium" })}</dd>
              </div>
              <div>
                <dt className="text-zinc-500">{t("updatedAt")}</dt>
                <dd className="mt-0.5 text-zinc-800">{format.dateTime(contact.updatedAt, { dateStyle: "medium" })}</dd>
              </div>
              <div>
                <dt className="text-zinc-500">{t("score")}</dt>
                <dd className="mt-0.5 text-zinc-800 tabular-nums">
                  <Link href={`/w/${slug}/automations/scoring/${contact.id}`} className="hover:text-brand-700 hover:underline" title={t("scoreHistory")}>
                    {contact.score}
                  </Link>
                </dd>
              </div>
              {contact.unsubscribedAt ? (
                <div>
                  <dt className="text-zinc-500">{t("unsubscribed")}</dt>
                  <dd className="mt-0.5 text-zinc-800">{format.dateTime(contact.unsubscribedAt, { dateStyle: "medium" })}</dd>
                </div>
              ) : null}
            </dl>
          </Card>
        </div>
      </div>
    </div>
  );
}
