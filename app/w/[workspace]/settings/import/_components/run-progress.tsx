"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";

/**
 * A background check or import in progress: a progress bar, and the page re-read every two seconds until the
 * run is over (the server page then shows the preview or the result).
 */
export function RunProgress({ phase, processed, total }: { phase: "validating" | "importing"; processed: number; total: number }) {
  const t = useTranslations("imports.preview");
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [router]);
  const percent = total > 0 ? Math.min(100, Math.round((processed / total) * 100)) : 0;
  const label = phase === "validating" ? t("checking", { processed, total }) : processed > 0 ? t("importing", { processed, total }) : t("importingWait", { total });
  return (
    <div className="space-y-2" aria-live="polite">
      <p className="text-sm text-zinc-700">{label}</p>
      <div className="h-2 overflow-hidden rounded-full bg-zinc-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={label}>
        <div className={`h-full rounded-full bg-brand-600 transition-all ${processed === 0 ? "w-1/12 animate-pulse" : ""}`} style={processed > 0 ? { width: `${percent}%` } : undefined} />
      </div>
    </div>
  );
}
