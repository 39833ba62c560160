"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "../../../../_components/ui";
import { archiveSequenceAction, changeEnrollmentAction, simulateReplyAction } from "../actions";

/** Pause / resume / finish now / remove for one enrollment. */
export function EnrollmentActions({ slug, enrollmentId, status }: { slug: string; enrollmentId: string; status: string }) {
  const t = useTranslations("sequences.enrollments");
  const te = useTranslations("errors");
  const [pending, start] = useTransition();
  if (status !== "active" && status !== "paused") return null;
  const run = (action: "pause" | "resume" | "remove" | "finish") =>
    start(async () => {
      const res = await changeEnrollmentAction(slug, undefined, { enrollmentId, action });
      if (!res.ok) toast.error(te(res.message.replace(/^errors\./, "") as "VALIDATION"));
    });
  return (
    <div className="flex gap-1 whitespace-nowrap">
      {status === "active" ? (
        <Button size="sm" variant="ghost" disabled={pending} onClick={() => run("pause")}>
          {t("pause")}
        </Button>
      ) : (
        <Button size="sm" variant="ghost" disabled={pending} onClick={() => run("resume")}>
          {t("resume")}
        </Button>
      )}
      <Button size="sm" variant="ghost" disabled={pending} onClick={() => run("finish")}>
        {t("finish")}
      </Button>
      <Button size="sm" variant="ghost" disabled={pending} onClick={() => run("remove")}>
        {t("remove")}
      </Button>
    </div>
  );
}

/** Archives the sequence after a confirmation (its live enrollments stop). */
export function ArchiveSequenceButton({ slug, sequenceId }: { slug: string; sequenceId: string }) {
  const t = useTranslations("sequences");
  const te = useTranslations("errors");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={() => {
        if (!window.confirm(t("archiveConfirm"))) return;
        start(async () => {
          const res = await archiveSequenceAction(slug, undefined, { sequenceId });
          if (res.ok) router.push(`/w/${slug}/sequences`);
          else toast.error(te(res.message.replace(/^errors\./, "") as "VALIDATION"));
        });
      }}
    >
      {t("archive")}
    </Button>
  );
}

/** Demo mode: answer a captured message as the prospect would (through the real inbound pipeline). */
export function SimulateReplyButton({ slug, messageId }: { slug: string; messageId: string }) {
  const t = useTranslations("sequences.outbox");
  const te = useTranslations("errors");
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      variant="secondary"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const res = await simulateReplyAction(slug, undefined, { messageId });
          if (res.ok) toast.success(t("replied"));
          else toast.error(te(res.message.replace(/^errors\./, "") as "VALIDATION"));
        })
      }
    >
      {t("simulateReply")}
    </Button>
  );
}
