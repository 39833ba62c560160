import { cache } from "react";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { customFieldKeys } from "@/lib/sequences/merge";
import { contactChoice, getSequence, searchContactsForEnroll } from "@/lib/sequences/queries";
import { PageHeader } from "../../../../../_components/ui";
import { SequenceBuilder } from "../../_components/sequence-builder";

/** The member and the sequence, read once per request for both the tab title and the page. */
const load = cache(async (slug: string, sequenceId: string) => {
  const ctx = await requireMember(slug, "sequences.manage");
  const seq = await getSequence(ctx, sequenceId).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  return { ctx, seq };
});

export async function generateMetadata({ params }: { params: Promise<{ workspace: string; sequenceId: string }> }) {
  const { workspace: slug, sequenceId } = await params;
  const t = await getTranslations("sequences");
  return { title: t("editTitle", { name: (await load(slug, sequenceId)).seq.name }) };
}

export default async function EditSequencePage({ params }: { params: Promise<{ workspace: string; sequenceId: string }> }) {
  const { workspace: slug, sequenceId } = await params;
  const { ctx, seq } = await load(slug, sequenceId);
  const t = await getTranslations("sequences");
  const [keys, contacts] = await Promise.all([customFieldKeys(ctx.db, ctx.workspaceId), searchContactsForEnroll(ctx, "")]);
  return (
    <>
      <PageHeader title={t("editTitle", { name: seq.name })} />
      <SequenceBuilder
        slug={slug}
        customKeys={keys}
        contacts={contacts.map(contactChoice)}
        initial={{
          id: seq.id,
          name: seq.name,
          description: seq.description ?? "",
          windowDays: seq.windowDays,
          windowStartMinute: seq.windowStartMinute,
          windowEndMinute: seq.windowEndMinute,
          dailyLimit: seq.dailyLimit,
          stopOnMeeting: seq.stopOnMeeting,
          stopOnDealWon: seq.stopOnDealWon,
          stopOnDealLost: seq.stopOnDealLost,
          stopOnUnsubscribe: seq.stopOnUnsubscribe,
          stopOnBounce: seq.stopOnBounce,
          stopCompanyOnReply: seq.stopCompanyOnReply,
          autoReplyPauseDays: seq.autoReplyPauseDays,
          steps: seq.steps.map((s) => ({ id: s.id, kind: s.kind, delayAmount: s.delayAmount, delayUnit: s.delayUnit, threadReply: s.threadReply, taskType: s.taskType, variants: s.variants })),
        }}
      />
    </>
  );
}
