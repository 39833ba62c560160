import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ArrowLeft, CircleDollarSign, ExternalLink, Globe, MapPin, Phone, Users } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { formatMoney, initials } from "@/lib/format";
import { getCompany } from "@/lib/companies/queries";
import { listSourceSuggestions } from "@/lib/contacts/queries";
import { mayChangeOwner, partyDeleteRefusal } from "@/lib/contacts/commands";
import { contactName } from "@/lib/contacts/schema";
import { listMembers } from "@/lib/workspaces/queries";
import { listCustomFields } from "@/lib/custom-fields/queries";
import { customUserNames } from "@/lib/companies/custom";
import { Card } from "../../../../_components/ui";
import { deleteCompanyAction } from "../actions";
import { CompanyForm } from "../_components/company-form";
import { DeleteButton } from "../../contacts/_components/delete-button";
import { Avatar, LifecycleBadge } from "../../contacts/_components/list-parts";
import { NewContactDialog } from "../../contacts/_components/new-contact-dialog";
import { RelatedDeals } from "../../contacts/_components/related-deals";
import { CustomValueList } from "../../contacts/_components/custom-view";

async function load(slug: string, id: string) {
  const ctx = await requireMember(slug, "contacts.read");
  try {
    return { ctx, company: await getCompany(ctx, id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace, id } = await params;
  const { company } = await load(workspace, id);
  return { title: company.name };
}

export default async function CompanyPage({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace: slug, id } = await params;
  const { ctx, company } = await load(slug, id);
  const canWrite = can(ctx.role, "contacts.write");
  const ownerId = company.owner?.id ?? null;
  const [members, sources, customFields, contactFields, deleteRefusal] = await Promise.all([
    listMembers(ctx),
    listSourceSuggestions(ctx),
    listCustomFields(ctx, "company"),
    listCustomFields(ctx, "contact"),
    canWrite ? partyDeleteRefusal(ctx.db, ctx, { companyId: company.id }, ownerId) : null,
  ]);
  // The Delete button only where the command would allow it (the command checks again, under lock).
  const canDelete = canWrite && deleteRefusal === null;
  const userNames = await customUserNames(ctx, customFields, [company]);
  const t = await getTranslations("companies");
  const tc = await getTranslations("contacts");
  const format = await getFormatter();
  const locale = await getLocale();
  const memberOptions = members.map((m) => ({ id: m.userId, name: m.name }));
  if (company.owner && !memberOptions.some((m) => m.id === company.owner!.id)) memberOptions.push(company.owner);
  // user fields keep showing a former member they name, until someone picks another
  const fieldMembers = [...members.map((m) => ({ id: m.userId, name: m.name }))];
  for (const [userId, userName] of Object.entries(userNames)) if (!fieldMembers.some((m) => m.id === userId)) fieldMembers.push({ id: userId, name: userName });
  const openDeals = company.deals.filter((d) => d.status === "open");

  return (
    <div className="mx-auto max-w-6xl">
      <Link href={`/w/${slug}/companies`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ArrowLeft className="h-4 w-4" aria-hidden /> {t("title")}
      </Link>

      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex min-w-0 items-center gap-4">
          <Avatar text={initials(company.name)} square size="lg" />
          <div className="min-w-0">
            <h1 className="truncate text-xl font-semibold tracking-tight text-zinc-900">{company.name}</h1>
            <p className="mt-0.5 text-sm text-zinc-500">
              {t("contactsCount", { count: company.contactCount })} · {t("openDealsCount", { count: openDeals.length })}
            </p>
          </div>
        </div>
        {canDelete ? (
          <div className="shrink-0">
            <DeleteButton
              run={deleteCompanyAction.bind(null, slug, undefined, { companyId: company.id })}
              afterHref={`/w/${slug}/companies`}
              labels={{
                trigger: t("delete"),
                title: t("deleteTitle", { name: company.name }),
                description: t("deleteText"),
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
              <CompanyForm
                slug={slug}
                members={memberOptions}
                customFields={customFields}
                fieldMembers={fieldMembers}
                ownerLocked={!mayChangeOwner(ctx, ownerId)}
                company={{ id: company.id, name: company.name, domain: company.domain, phone: company.phone, address: company.address, ownerId, custom: company.custom }}
              />
            ) : (
              <>
              <dl className="grid gap-4 text-sm sm:grid-cols-2">
                {(
                  [
                    [t("domain"), company.domain],
                    [t("phone"), company.phone],
                    [t("address"), company.address],
                    [t("owner"), company.owner?.name],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label}>
                    <dt className="text-zinc-500">{label}</dt>
                    <dd className="mt-0.5 whitespace-pre-line text-zinc-900">{value ?? "—"}</dd>
                  </div>
                ))}
              </dl>
              <CustomValueList fields={customFields} custom={company.custom} locale={locale} userNames={userNames} showEmpty className="mt-4 grid gap-4 border-t border-zinc-100 pt-4 text-sm sm:grid-cols-2" />
              </>
            )}
          </Card>

          <Card>
            <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-5 py-3">
              <h2 className="flex items-center gap-2 text-base font-semibold">
                <Users className="h-4 w-4 text-zinc-400" aria-hidden /> {t("people")}
                <span className="text-sm font-normal text-zinc-500">{company.contactCount}</span>
              </h2>
              {canWrite ? (
                <NewContactDialog
                  slug={slug}
                  members={memberOptions}
                  sources={sources}
                  customFields={contactFields}
                  defaults={{ ownerId: ctx.userId, company: { id: company.id, name: company.name } }}
                  label={t("addPerson")}
                  variant="secondary"
                />
              ) : null}
            </div>
            {company.contacts.length === 0 ? (
              <p className="px-5 py-6 text-center text-sm text-zinc-500">{t("noPeople")}</p>
            ) : (
              <ul className="divide-y divide-zinc-100">
                {company.contacts.map((c) => {
                  const name = contactName(c);
                  return (
                    <li key={c.id}>
                      <Link href={`/w/${slug}/contacts/${c.id}`} className="flex items-center gap-3 px-5 py-3 hover:bg-zinc-50">
                        <Avatar text={initials(name)} />
                        <div className="min-w-0 flex-1">
                          <p className="truncate text-sm font-medium text-zinc-900">{name}</p>
                          <p className="truncate text-xs text-zinc-500">{[c.title, c.email, c.phone].filter(Boolean).join(" · ") || "—"}</p>
                        </div>
                        <LifecycleBadge lifecycle={c.lifecycle} label={tc(`lifecycle.${c.lifecycle}`)} />
                      </Link>
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        </div>

        <div className="order-first space-y-6 lg:order-none">
          <Card>
            <div className="flex items-center justify-between border-b border-zinc-200 px-5 py-3.5">
              <h2 className="flex items-center gap-2 text-base font-semibold">
                <CircleDollarSign className="h-4 w-4 text-zinc-400" aria-hidden /> {t("deals")}
              </h2>
              <span className="text-xs text-zinc-500">{t("openDealsCount", { count: openDeals.length })}</span>
            </div>
            <RelatedDeals
              slug={slug}
              deals={company.deals.map((d) => ({
                id: d.id,
                title: d.title,
                subtitle: [d.contactName, `${d.stageName} · ${d.pipelineName}`].filter(Boolean).join(" · "),
                value: formatMoney(d.value, d.currency, locale),
                status: d.status,
                statusLabel: tc(`dealStatus.${d.status}`),
              }))}
              emptyText={t("noDeals")}
            />
          </Card>

          <Card className="p-5">
            <h2 className="mb-3 text-base font-semibold">{t("about")}</h2>
            <ul className="space-y-2.5 text-sm">
              {company.domain ? (
                <li className="flex items-center gap-2.5">
                  <Globe className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <a href={`https://${company.domain}`} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 truncate text-zinc-700 hover:text-brand-700 hover:underline">
                    {company.domain} <ExternalLink className="h-3 w-3" aria-hidden />
                  </a>
                </li>
              ) : null}
              {company.phone ? (
                <li className="flex items-center gap-2.5">
                  <Phone className="h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <a href={`tel:${company.phone.replace(/[^\d+]/g, "")}`} className="text-zinc-700 hover:text-brand-700 hover:underline">
                    {company.phone}
                  </a>
                </li>
              ) : null}
              {company.address ? (
                <li className="flex items-start gap-2.5">
                  <MapPin className="mt-0.5 h-4 w-4 shrink-0 text-zinc-400" aria-hidden />
                  <span className="whitespace-pre-line text-zinc-700">{company.address}</span>
                </li>
              ) : null}
            </ul>
            {canWrite ? (
              <CustomValueList fields={customFields} custom={company.custom} locale={locale} userNames={userNames} className="mt-4 grid grid-cols-2 gap-3 border-t border-zinc-100 pt-4 text-xs" />
            ) : null}
            <dl className="mt-4 grid grid-cols-2 gap-3 border-t border-zinc-100 pt-4 text-xs">
              <div>
                <dt className="text-zinc-500">{t("owner")}</dt>
                <dd className="mt-0.5 truncate text-zinc-800">{company.owner?.name ?? "—"}</dd>
              </div>
              <div>
                <dt className="text-zinc-500">{t("createdAt")}</dt>
                <dd className="mt-0.5 text-zinc-800">{format.dateTime(company.createdAt, { dateStyle: "medium" })}</dd>
              </div>
            </dl>
          </Card>
        </div>
      </div>
    </div>
  );
}
