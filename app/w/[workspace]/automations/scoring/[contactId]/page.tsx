import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeft } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getScoreHistory } from "@/lib/scoring/queries";
import { Card, EmptyState, PageHeader } from "../../../../../_components/ui";
import { cn } from "../../../../../_components/cn";

export async function generateMetadata() {
  const t = await getTranslations("automations");
  return { title: t("scoringTab") };
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Every change of one contact's lead score, newest first, with its reason and a link to what caused it. */
export default async function ScoreHistoryPage({ params }: { params: Promise<{ workspace: string; contactId: string }> }) {
  const { workspace: slug, contactId } = await params;
  const ctx = await requireMember(slug, "contacts.read");
  if (!/^[0-9a-f-]{36}$/i.test(contactId)) notFound();
  const { contact, entries } = await getScoreHistory(ctx, contactId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const t = await getTranslations("automations");
  const ts = await getTranslations("automations.scoring");
  const format = await getFormatter();
  const manage = can(ctx.role, "automations.manage");
  return (
    <div className="mx-auto max-w-4xl">
      <Link href={`/w/${slug}/automations/scoring`} className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <ArrowLeft className="h-4 w-4" aria-hidden /> {t("scoringTab")}
      </Link>
      <PageHeader
        title={ts("historyTitle", { name: contact.name })}
        description={
          <>
            {ts("score")}: <strong className="text-zinc-900">{contact.score}</strong> ·{" "}
            <Link href={`/w/${slug}/contacts/${contact.id}`} className="text-brand-700 hover:underline">
              {contact.name}
            </Link>
          </>
        }
      />
      {entries.length === 0 ? (
        <EmptyState title={ts("historyEmpty")} />
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{ts("historyTitle", { name: contact.name })}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs tracking-wide text-zinc-500 uppercase">
              <tr>
                <th className="px-4 py-2 font-medium">{ts("when")}</th>
                <th className="px-4 py-2 font-medium">{ts("why")}</th>
                <th className="px-4 py-2 text-right font-medium">{ts("change")}</th>
                <th className="px-4 py-2 text-right font-medium">{ts("scoreAfter")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {entries.map((e) => (
                <tr key={e.id} className="align-top">
                  <td className="px-4 py-2 whitespace-nowrap text-zinc-500">{format.dateTime(e.occurredAt, { dateStyle: "medium", timeStyle: "short" })}</td>
                  <td className="px-4 py-2">
                    {e.reason === "rule" ? (
                      <span>
                        {ts("reasons.rule", { event: e.eventType ? t(`triggers.${e.eventType.replace(".", "_")}`) : "—" })}
                        {e.ruleStage ? ` (${e.ruleStage})` : ""}
                      </span>
                    ) : e.reason === "workflow" && e.workflow ? (
                      manage ? (
                        <Link href={`/w/${slug}/automations/${e.workflow.id}/runs`} className="text-brand-700 hover:underline">
                          {ts("reasons.workflow", { name: e.workflow.name })}
                        </Link>
                      ) : (
                        ts("reasons.workflow", { name: e.workflow.name })
                      )
                    ) : (
                      ts("reasons.decay")
                    )}
                    {e.deal ? (
                      <Link href={`/w/${slug}/deals/${e.deal.id}`} className="block text-xs text-brand-700 hover:underline">
                        {e.deal.title}
                      </Link>
                    ) : null}
                    {e.delta !== e.requested ? <p className="text-xs text-zinc-500">{ts("capped", { requested: signed(e.requested), delta: signed(e.delta) })}</p> : null}
                  </td>
                  <td className={cn("px-4 py-2 text-right font-medium tabular-nums", e.delta > 0 ? "text-emerald-700" : e.delta < 0 ? "text-red-700" : "text-zinc-500")}>{signed(e.delta)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{e.scoreAfter}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
