"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { useErrorText } from "../../../../_components/form";
import { Button, Card } from "../../../../_components/ui";
import { restoreDealAction } from "../_actions/deal-actions";

/** Deals deleted in the last 30 days, each restorable. */
export function RecentlyDeleted({ slug, deals }: { slug: string; deals: { id: string; title: string; deletedAt: string }[] }) {
  const t = useTranslations("dealTable");
  const format = useFormatter();
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  if (deals.length === 0) return null;
  return (
    <Card className="mt-8">
      <h2 className="border-b border-zinc-200 px-4 py-3 text-sm font-semibold">{t("recentlyDeleted")}</h2>
      <ul className="divide-y divide-zinc-100">
        {deals.map((d) => (
          <li key={d.id} className="flex items-center gap-3 px-4 py-2 text-sm">
            <span className="min-w-0 flex-1 truncate">{d.title}</span>
            <span className="text-xs text-zinc-500">{t("deletedOn", { date: format.dateTime(new Date(d.deletedAt), { dateStyle: "medium" }) })}</span>
            <Button
              size="sm"
              variant="secondary"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const result = await restoreDealAction(slug, undefined, { dealId: d.id });
                  if (!result.ok) return void toast.error(errorText(result.message));
                  toast.success(t("restored"));
                  router.refresh();
                })
              }
            >
              {t("restore")}
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
