import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Inbox, ListOrdered, Plus } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listSequences } from "@/lib/sequences/queries";
import { Badge, Card, EmptyState, PageHeader, buttonClass } from "../../../_components/ui";

export async function generateMetadata() {
  const t = await getTranslations("sequences");
  return { title: t("title") };
}

/** The workspace's sequences with their headline numbers. */
export default async function SequencesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "contacts.read");
  const manage = can(ctx.role, "sequences.manage");
  const list = await listSequences(ctx);
  const t = await getTranslations("sequences");
  const format = await getFormatter();
  const pct = (r: number | null) => (r === null ? "—" : format.number(r, { style: "percent", maximumFractionDigits: 1 }));
  const actions = (
    <>
      <Link href={`/w/${slug}/sequences/outbox`} className={buttonClass("secondary")}>
        <Inbox className="h-4 w-4" aria-hidden /> {t("outbox.title")}
      </Link>
      {manage ? (
        <Link href={`/w/${slug}/sequences/new`} className={buttonClass("primary")}>
          <Plus className="h-4 w-4" aria-hidden /> {t("new")}
        </Link>
      ) : null}
    </>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={actions} />
      {list.length === 0 ? (
        <EmptyState icon={<ListOrdered className="h-8 w-8" aria-hidden />} title={t("emptyTitle")} description={t("emptyText")} />
      ) : (
        <Card>
          <ul className="divide-y divide-zinc-100">
            {list.map((s) => (
              <li key={s.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center">
                <div className="min-w-0 flex-1">
                  <Link href={`/w/${slug}/sequences/${s.id}`} className="font-medium text-zinc-900 hover:underline">
                    {s.name}
                  </Link>
                  <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-zinc-500">
                    <span>{t("stepCount", { count: s.stepCount })}</span>
                    {s.kinds.map((k) => (
                      <Badge key={k}>{t(`builder.kinds.${k}` as "builder.kinds.email")}</Badge>
                    ))}
                  </div>
                </div>
                <dl className="grid grid-cols-4 gap-4 text-center text-xs sm:w-96">
                  {(
                    [
                      ["enrolled", s.stats?.enrolled ?? 0],
                      ["active", s.stats?.active ?? 0],
                      ["sent", s.stats?.sent ?? 0],
                      ["replyRate", pct(s.stats?.replyRate ?? null)],
                    ] as const
                  ).map(([k, v]) => (
                    <div key={k}>
                      <dt className="text-zinc-500">{t(`stats.${k}`)}</dt>
                      <dd className="mt-0.5 text-sm font-semibold tabular-nums text-zinc-900">{v}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
