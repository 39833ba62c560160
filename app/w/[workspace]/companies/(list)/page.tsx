import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Building2 } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { initials } from "@/lib/format";
import { defaultCompanyDir, listCompanies } from "@/lib/companies/queries";
import { companyListParamsSchema } from "@/lib/companies/schema";
import { listMembers } from "@/lib/workspaces/queries";
import { listCustomFields } from "@/lib/custom-fields/queries";
import { customUserNames } from "@/lib/companies/custom";
import { Card, EmptyState, PageHeader } from "../../../../_components/ui";
import { ExportMenu } from "../../exports/_components/export-menu";
import { ListToolbar } from "../../contacts/_components/list-toolbar";
import { Avatar, Pagination, PlainHeader, SortHeader } from "../../contacts/_components/list-parts";
import { firstValues } from "../../contacts/_components/list-url";
import { NewCompanyDialog } from "../_components/new-company-dialog";
import { ColumnsMenu } from "../../contacts/_components/columns-menu";
import { customText, customToolbarFilters, isNumericField, visibleCustomColumns } from "../../contacts/_components/custom-view";

export async function generateMetadata() {
  const t = await getTranslations("companies");
  return { title: t("title") };
}

export default async function CompaniesPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "contacts.read");
  const query = firstValues(await searchParams);
  const filters = companyListParamsSchema.parse(query);
  const [result, members, customFields] = await Promise.all([listCompanies(ctx, filters), listMembers(ctx), listCustomFields(ctx, "company")]);
  const columns = visibleCustomColumns(customFields, filters.cols);
  const userNames = await customUserNames(ctx, columns, result.rows);
  const t = await getTranslations("companies");
  const format = await getFormatter();
  const locale = await getLocale();
  const base = `/w/${slug}/companies`;
  const canWrite = can(ctx.role, "contacts.write");
  const memberOptions = members.map((m) => ({ id: m.userId, name: m.name }));
  const filtered = Boolean(filters.q || filters.owner || Object.keys(filters.cf ?? {}).length);
  const sortProps = { base, query, active: { sort: result.sort, dir: result.dir }, defaultDir: defaultCompanyDir };
  const newButton = canWrite ? <NewCompanyDialog slug={slug} members={memberOptions} defaultOwnerId={ctx.userId} customFields={customFields} /> : null;

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title={t("title")} description={filtered ? t("countFiltered", { count: result.total }) : t("count", { count: result.total })} actions={
          <>
            <ExportMenu slug={slug} entity="companies" query={query} />
            {newButton}
          </>
        }
      />
      <ListToolbar
        searchLabel={t("searchLabel")}
        searchPlaceholder={t("searchPlaceholder")}
        clearLabel={t("clearFilters")}
        filters={[
          {
            name: "owner",
            label: t("filterOwner"),
            options: [{ value: "me", label: t("ownerMe") }, ...memberOptions.map((m) => ({ value: m.id, label: m.name })), { value: "none", label: t("noOwner") }],
          },
          ...customToolbarFilters(customFields, { yes: t("yes"), no: t("no") }),
        ]}
        sort={{
          label: t("sortLabel"),
          value: `${result.sort}:${result.dir}`,
          options: [
            { value: "name:asc", label: t("sortNameAsc") },
            { value: "name:desc", label: t("sortNameDesc") },
            { value: "created:desc", label: t("sortNewest") },
            { value: "contacts:desc", label: t("sortContacts") },
            { value: "deals:desc", label: t("sortDeals") },
            ...columns.flatMap((f) => [
              { value: `cf.${f.key}:asc`, label: t("sortFieldAsc", { field: f.label }) },
              { value: `cf.${f.key}:desc`, label: t("sortFieldDesc", { field: f.label }) },
            ]),
          ],
        }}
      >
        <ColumnsMenu
          fields={customFields.map((f) => ({ key: f.key, label: f.label }))}
          labels={{ trigger: t("columns"), heading: t("columnsHeading"), empty: t("columnsEmpty"), manage: t("manageFields") }}
          manageHref={can(ctx.role, "settings.manage") ? `/w/${slug}/settings/fields?entity=company` : undefined}
        />
      </ListToolbar>

      {result.total === 0 ? (
        filtered ? (
          <EmptyState
            icon={<Building2 className="h-8 w-8" aria-hidden />}
            title={t("noMatchesTitle")}
            description={t("noMatchesText")}
            action={
              <Link href={base} className="text-sm font-medium text-brand-700 hover:underline">
                {t("clearFilters")}
              </Link>
            }
          />
        ) : (
          <EmptyState icon={<Building2 className="h-8 w-8" aria-hidden />} title={t("emptyTitle")} description={t("emptyText")} action={newButton} />
        )
      ) : (
        <Card className="overflow-hidden">
          <div className="hidden overflow-x-auto md:block">
            <table className="w-full text-sm">
              <caption className="sr-only">{t("title")}</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50/80 text-left text-xs tracking-wide text-zinc-500 uppercase">
                <tr>
                  <SortHeader label={t("colName")} column="name" {...sortProps} />
                  <PlainHeader>{t("colDomain")}</PlainHeader>
                  <PlainHeader className="hidden lg:table-cell">{t("colPhone")}</PlainHeader>
                  <SortHeader label={t("colContacts")} column="contacts" {...sortProps} className="text-right" />
                  <SortHeader label={t("colOpenDeals")} column="deals" {...sortProps} className="text-right" />
                  <PlainHeader className="hidden xl:table-cell">{t("colOwner")}</PlainHeader>
                  {columns.map((f) => (
                    <SortHeader key={f.key} label={f.label} column={`cf.${f.key}` as const} {...sortProps} className={isNumericField(f) ? "text-right" : undefined} />
                  ))}
                  <SortHeader label={t("colCreated")} column="created" {...sortProps} className="text-right" />
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {result.rows.map((c) => (
                  <tr key={c.id} className="group hover:bg-zinc-50">
                    <td className="max-w-72 px-4 py-2.5">
                      <Link href={`${base}/${c.id}`} className="flex items-center gap-3">
                        <Avatar text={initials(c.name)} square />
                        <span className="truncate font-medium text-zinc-900 group-hover:text-brand-700">{c.name}</span>
                      </Link>
                    </td>
                    <td className="max-w-56 truncate px-4 py-2.5 text-zinc-600">
                      {c.domain ? (
                        <a href={`https://${c.domain}`} target="_blank" rel="noopener noreferrer" className="hover:text-brand-700 hover:underline">
                          {c.domain}
                        </a>
                      ) : (
                        <span className="text-zinc-300">—</span>
                      )}
                    </td>
                    <td className="hidden px-4 py-2.5 whitespace-nowrap text-zinc-600 lg:table-cell">{c.phone ?? <span className="text-zinc-300">—</span>}</td>
                    <td className="px-4 py-2.5 text-right text-zinc-700 tabular-nums">{c.contactCount}</td>
                    <td className="px-4 py-2.5 text-right text-zinc-700 tabular-nums">{c.openDealCount}</td>
                    <td className="hidden max-w-40 truncate px-4 py-2.5 text-zinc-600 xl:table-cell">{c.owner?.name ?? <span className="text-zinc-300">—</span>}</td>
                    {columns.map((f) => {
                      const text = customText(f, c.custom, locale, userNames);
                      return (
                        <td key={f.key} className={`max-w-48 truncate px-4 py-2.5 text-zinc-600 ${isNumericField(f) ? "text-right tabular-nums" : ""}`}>
                          {text || <span className="text-zinc-300">—</span>}
                        </td>
                      );
                    })}
                    <td className="px-4 py-2.5 text-right whitespace-nowrap text-zinc-500 tabular-nums">{format.dateTime(c.createdAt, { dateStyle: "medium" })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <ul className="divide-y divide-zinc-100 md:hidden">
            {result.rows.map((c) => (
              <li key={c.id}>
                <Link href={`${base}/${c.id}`} className="flex items-start gap-3 px-4 py-3 active:bg-zinc-50">
                  <Avatar text={initials(c.name)} square />
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium text-zinc-900">{c.name}</p>
                    {c.domain ? <p className="truncate text-sm text-zinc-600">{c.domain}</p> : null}
                    <p className="text-xs text-zinc-500">
                      {t("contactsCount", { count: c.contactCount })} · {t("openDealsCount", { count: c.openDealCount })}
                    </p>
                    {columns.length ? (
                      <p className="truncate text-xs text-zinc-500">
                        {columns
                          .map((f) => [f.label, customText(f, c.custom, locale, userNames)] as const)
                          .filter(([, text]) => text)
                          .map(([label, text]) => `${label}: ${text}`)
                          .join(" · ")}
                      </p>
                    ) : null}
                  </div>
                </Link>
              </li>
            ))}
          </ul>

          <Pagination
            base={base}
            query={query}
            page={result.page}
            pageCount={result.pageCount}
            pageSize={result.pageSize}
            total={result.total}
            labels={{
              showing: (r) => t("showing", r),
              previous: t("previous"),
              next: t("next"),
              pageOf: t("pageOf", { page: result.page, pages: result.pageCount }),
              nav: t("pagination"),
            }}
          />
        </Card>
      )}
    </div>
  );
}
