"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ActivityDialog } from "./activity-form";
import type { ActivityDefaults, ActivityFormOptions } from "./types";

const EVENT = "pipewise:schedule-next-activity";

/** Opens the page's "schedule the next activity" dialog (mounted once per page by NextActivityHost). */
export function requestNextActivity(defaults: ActivityDefaults) {
  window.dispatchEvent(new CustomEvent<ActivityDefaults>(EVENT, { detail: defaults }));
}

/**
 * After a deal moved stage or an activity was marked done: a toast that offers to schedule the next activity
 * (as Pipedrive does), pre-filled with the same deal and contact.
 */
export function offerNextActivity(message: string, actionLabel: string, defaults: ActivityDefaults) {
  toast.success(message, { duration: 10_000, action: { label: actionLabel, onClick: () => requestNextActivity(defaults) } });
}

/** The dialog behind offerNextActivity / requestNextActivity. Mount once on a page that offers it. */
export function NextActivityHost({ slug, options }: { slug: string; options: ActivityFormOptions }) {
  const t = useTranslations("activities");
  const [defaults, setDefaults] = useState<ActivityDefaults | null>(null);
  useEffect(() => {
    const onRequest = (e: Event) => setDefaults((e as CustomEvent<ActivityDefaults>).detail);
    window.addEventListener(EVENT, onRequest);
    return () => window.removeEventListener(EVENT, onRequest);
  }, []);
  return (
    <ActivityDialog
      slug={slug}
      options={options}
      open={defaults !== null}
      onOpenChange={(open) => !open && setDefaults(null)}
      defaults={defaults ?? undefined}
      title={t("scheduleNextTitle")}
    />
  );
}
