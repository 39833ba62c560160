"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { CalendarPlus, Plus } from "lucide-react";
import { Button } from "../../../../_components/ui";
import { ActivityDialog } from "./activity-form";
import type { ActivityDefaults, ActivityFormOptions } from "./types";

/** "Schedule activity": opens the form, pre-filled with a deal or contact when given. */
export function ScheduleActivityButton({ slug, options, defaults, variant = "primary", compact = false }: { slug: string; options: ActivityFormOptions; defaults?: ActivityDefaults; variant?: "primary" | "secondary"; compact?: boolean }) {
  const t = useTranslations("activities");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={variant} size={compact ? "sm" : "md"} onClick={() => setOpen(true)}>
        {compact ? <CalendarPlus className="h-4 w-4" aria-hidden /> : <Plus className="h-4 w-4" aria-hidden />} {t("scheduleActivity")}
      </Button>
      <ActivityDialog slug={slug} options={options} open={open} onOpenChange={setOpen} defaults={defaults} />
    </>
  );
}
