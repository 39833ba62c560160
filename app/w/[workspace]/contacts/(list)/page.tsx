import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Users } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { initials } from "@/lib/format";
import { defaultContactDir, listContacts, listSourceSuggestions } from "@/lib/contacts/queries";
import { contactListParamsSchema, contactName, lifecycles } from "@/lib/contacts/schema";
import { listMembers } from "@/lib/workspaces/queries";
import { getScoringSettings } from "@/lib/scoring/queries";
import { listCustomFields } from "@/lib/custom-fields/queries";
import { customUserNames } from "@/lib/companies/custom";
import { Card, EmptyState, PageHeader } from "../../../../_components/ui";
import { ExportMenu } from "../../exports/_components/export-menu";
import { ListToolbar } from "../_components/list-toolbar";
import { Avatar, LifecycleBadge, Pagination, PlainHeader, SortHeader } from "../_components/list-parts";
import { firstValues } from "../_components/list-url";
import { NewContactDialog } from "../_components/new-contact-dialog";
import { ColumnsMenu } from "../_components/columns-menu";
import { customText, customToolbarFilters, isNumericField, visibleCustomColumns } from "../_components/custom-view";

export async function generateMetadata() {
  const t = await getTranslations("contacts");
  return { title: t("title") };
}

export default async function ContactsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "contacts.read");
  const query = firstValues(await searchParams);
  const filters = contactListParamsSchema.parse(query);
  const [result, members, sources, customFields, scoreSettings] = await Promise.all([
    listContacts(ctx, filters),
    listMembers(ctx),
    listSourceSuggestions(ctx),
    listCustomFields(ctx, "contact"),
    getScoringSettings(ctx),
  ]);
  const columns = visibleCustomColumns(customFields, filters.cols);
  const userNames = await customUserNames(ctx, columns, result.rows);
  const t = await getTranslations("contacts");
  const format = await getFormatter();
  const locale = await getLocale();
  const base = `/w/${slug}/contacts`;
  const canWrite = can(ctx.role, "contacts.write");
  const memberOptions = members.map((m) => ({ id: m.userId, name: m.name }));
  const filtered = Boolean(filters.q || filters.owner || filters.lifecycle || filters.minScore !== undefined || Object.keys(filters.cf ?? {}).length);
  const active = { sort: result.sort, dir: result.dir };
  const sortProps = { base, query, active, defaultDir: defaultContactDir };

  const newButton = canWrite ? <NewContactDialog slug={slug} members={memberOptions} sources={sources} customFields={customFields} defaults={{ ownerId: ctx.userId }} /> : null;

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title={t("title")} description={filtered ? t("countFiltered", { count: result.total }) : t("count", { count: result.total })} actions={
          <>
            <ExportMenu slug={slug} entity="contacts" query={query} />
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
            options: [
              { value: "me", label: t("ownerMe") },
              ...memberOptions.map((m) => ({ value: m.id, label: m.name })),
              { value: "none", label: t("noOwner") },
            ],
          },
          { name: "lifecycle", label: t("filterLifecycle"), options: lifecycles.map((l) => ({ value: l, label: t(`lifecycle.${l}`) })) },
          {
            name: "minScore",
            label: t("filterScore"),
            options: [
              ...(scoreSettings.hotThreshold !== null ? [{ value: String(scoreSettings.hotThreshold), label: t("scoreHot", { n: scoreSettings.hotThreshold }) }] : []),
              ...[1, 25, 50, 100].filter((n) => n !== scoreSettings.hotThreshold).map((n) => ({ value: String(n), label: t("scoreAtLeast", { n }) })),
            ],
          },
          ...customToolbarFilters(customFields, { yes: t("yes"), no: t("no") }),
        ]}
        sort={{
          label: t("sortLabel"),
          value: `${result.sort}:${result.dir}`,
          options: [
            { value: "created:desc", label: t("sortNewest") },
            { value: "created:asc", label: t("sortOldest") },
            { value: "name:asc", label: t("sortNameAsc") },
            { value: "name:desc", label: t("sortNameDesc") },
            { value: "company:asc", label: t("sortCompany") },
            { value: "lifecycle:desc", label: t("sortLifecycle") },
            { value: "score:desc", label: t("sortScore") },
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
          manageHref={can(ctx.role, "settings.manage") ? `/w/${slug}/settings/fields?entity=contact` : undefined}
        />
      </ListToolbar>

      {result.total === 0 ? (
        filtered ? (
          <EmptyState
            icon={<Users className="h-8 w-8" aria-hidden />}
            title={t("noMatchesTitle")}
            description={t("noMatchesText")}
            action={
              <Link href={base} className="text-sm font-medium text-brand-700 hover:underline">
                {t("clearFilters")}
              </Link>
            }
          />
        ) : (
          <EmptyState icon={<Users className="h-8 w-8" aria-hidden />} title={t("emptyTitle")} description={t("emptyText")} action={newButton} />
        )
      ) : (
        <Card className="overflow-hidden">
          {/* Tablet and desktop: a table */}
          <div className="hidden overflow-x-auto md:block">
            <table className="w-full text-sm">
              <caption className="sr-only">{t("title")}</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50/80 text-left text-xs tracking-wide text-zinc-500 uppercase">
                <tr>
                  <SortHeader label={t("colName")} column="name" {...sortProps} />
                  <PlainHeader>
                    {t("colEmail")}
                    <span className="2xl:hidden"> · {t("colPhone")}</span>
                  </PlainHeader>
                  <PlainHeader className="hidden 2xl:table-cell">{t("colPhone")}</PlainHeader>
                  <SortHeader label={t("colCompany")} column="company" {...sortProps} />
                  <SortHeader label={t("colLifecycle")} column="lifecycle" {...sortProps} />
                  <SortHeader label={t("colScore")} column="score" {...sortProps} className="text-right" />
                  <PlainHeader className="hidden lg:table-cell">{t("colOwner")}</PlainHeader>
                  {columns.map((f) => (
                    <SortHeader key={f.key} label={f.label} column={`cf.${f.key}` as const} {...sortProps} className={isNumericField(f) ? "text-right" : undefined} />
                  ))}
                  <SortHeader label={t("colCreated")} column="created" {...sortProps} className="hidden text-right 2xl:table-cell" />
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {result.rows.map((c) => {
                  const name = contactName(c);
                  return (
                    <tr key={c.id} className="group hover:bg-zinc-50">
                      <td className="max-w-60 px-4 py-2.5">
                        <Link href={`${base}/${c.id}`} className="flex items-center gap-3">
                          <Avatar text={initials(name)} />
                          <span className="min-w-0">
                            <span className="block truncate font-medium text-zinc-900 group-hover:text-brand-700">{name}</span>
                            {c.title ? <span className="block truncate text-xs text-zinc-500">{c.title}</span> : null}
                          </span>
                        </Link>
                      </td>
                      <td className="max-w-52 px-4 py-2.5 text-zinc-600">
                        {c.email ? (
                          <a href={`mailto:${c.email}`} className="block truncate hover:text-brand-700 hover:underline">
                            {c.email}
                          </a>
                        ) : (
                          <span className="text-zinc-300">—</span>
                        )}
                        {/* Below 2xl the phone rides under the email instead of taking a column. */}
                        {c.phone ? <span className="block truncate text-xs text-zinc-500 2xl:hidden">{c.phone}</span> : null}
                      </td>
                      <td className="hidden px-4 py-2.5 whitespace-nowrap text-zinc-600 2xl:table-cell">{c.phone ?? <span className="text-zinc-300">—</span>}</td>
                      <td className="max-w-48 truncate px-4 py-2.5">
                        {c.company ? (
                          <Link href={`/w/${slug}/companies/${c.company.id}`} className="text-zinc-700 hover:text-brand-700 hover:underline">
                            {c.company.name}
                          </Link>
                        ) : (
                          <span className="text-zinc-300">—</span>
                        )}
                      </td>
                      <td className="px-4 py-2.5">
                        <LifecycleBadge lifecycle={c.lifecycle} label={t(`lifecycle.${c.lifecycle}`)} />
                      </td>
                      <td className="px-4 py-2.5 text-right tabular-nums">
                        <span className={c.score > 0 && scoreSettings.hotThreshold !== null && c.score >= scoreSettings.hotThreshold ? "font-semibold text-orange-700" : "text-zinc-700"}>{c.score}</span>
                      </td>
                      <td className="hidden max-w-36 truncate px-4 py-2.5 text-zinc-600 lg:table-cell">{c.owner?.name ?? <span className="text-zinc-300">—</span>}</td>
                      {columns.map((f) => {
                        const text = customText(f, c.custom, locale, userNames);
                        return (
                          <td key={f.key} className={`max-w-48 truncate px-4 py-2.5 text-zinc-600 ${isNumericField(f) ? "text-right tabular-nums" : ""}`}>
                            {text || <span className="text-zinc-300">—</span>}
                          </td>
                        );
                      })}
                      <td className="hidden px-4 py-2.5 text-right whitespace-nowrap text-zinc-500 tabular-nums 2xl:table-cell">{format.dateTime(c.createdAt, { dateStyle: "medium" })}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>

          {/* Phone: a list of cards */}
          <ul className="divide-y divide-zinc-100 md:hidden">
            {result.rows.map((c) => {
              const name = contactName(c);
              return (
                <li key={c.id}>
                  <Link href={`${base}/${c.id}`} className="flex items-start gap-3 px-4 py-3 active:bg-zinc-50">
                    <Avatar text={initials(name)} />
                    <div className="min-w-0 flex-1">
                      <div className="flex items-center justify-between gap-2">
                        <p className="truncate font-medium text-zinc-900">{name}</p>
                        <span className="ml-auto text-xs text-zinc-500 tabular-nums" title={t("colScore")}>
                          {c.score}
                        </span>
                        <LifecycleBadge lifecycle={c.lifecycle} label={t(`lifecycle.${c.lifecycle}`)} />
                      </div>
                      {c.title || c.company ? (
                        <p className="truncate text-sm text-zinc-600">{[c.title, c.company?.name].filter(Boolean).join(" · ")}</p>
                      ) : null}
                      {c.email || c.phone ? <p className="truncate text-xs text-zinc-500">{[c.email, c.phone].filter(Boolean).join(" · ")}</p> : null}
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
              );
            })}
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
