import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { customFieldKeys } from "@/lib/sequences/merge";
import { contactChoice, searchContactsForEnroll } from "@/lib/sequences/queries";
import { PageHeader } from "../../../../_components/ui";
import { SequenceBuilder, type BuilderSequence } from "../_components/sequence-builder";

export async function generateMetadata() {
  const t = await getTranslations("sequences");
  return { title: t("new") };
}

/** A new sequence, started from a sensible two-step cadence the member edits. */
export default async function NewSequencePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const ctx = await requireMember(slug, "sequences.manage");
  const t = await getTranslations("sequences");
  const [keys, contacts] = await Promise.all([customFieldKeys(ctx.db, ctx.workspaceId), searchContactsForEnroll(ctx, "")]);
  const initial: BuilderSequence = {
    id: null,
    name: "",
    description: "",
    windowDays: [1, 2, 3, 4, 5],
    windowStartMinute: 9 * 60,
    windowEndMinute: 17 * 60,
    dailyLimit: 200,
    stopOnMeeting: true,
    stopOnDealWon: true,
    stopOnDealLost: true,
    stopOnUnsubscribe: true,
    stopOnBounce: true,
    stopCompanyOnReply: false,
    autoReplyPauseDays: 3,
    steps: [
      { id: null, kind: "email", delayAmount: 0, delayUnit: "minutes", threadReply: false, taskType: null, variants: [{ id: null, subject: t("template.subject"), body: t("template.body") }] },
      { id: null, kind: "email", delayAmount: 3, delayUnit: "business_days", threadReply: true, taskType: null, variants: [{ id: null, subject: t("template.subject"), body: t("template.followUp") }] },
    ],
  };
  return (
    <>
      <PageHeader title={t("new")} />
      <SequenceBuilder slug={slug} initial={initial} customKeys={keys} contacts={contacts.map(contactChoice)} />
    </>
  );
}
