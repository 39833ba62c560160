import { getTranslations } from "next-intl/server";

/** While a report computes: the shape of the page (header, figures, a chart and its table). */
export default async function Loading() {
  const t = await getTranslations("reports");
  return (
    <div role="status" aria-live="polite" className="animate-pulse">
      <span className="sr-only">{t("loading")}</span>
      <div className="mb-2 h-6 w-48 rounded bg-zinc-200" />
      <div className="mb-6 h-4 w-80 max-w-full rounded bg-zinc-100" />
      <div className="mb-8 grid grid-cols-2 gap-3 lg:grid-cols-5">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className="h-24 rounded-lg border border-zinc-200 bg-white" />
        ))}
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <div className="h-64 rounded-lg border border-zinc-200 bg-white" />
        <div className="h-64 rounded-lg border border-zinc-200 bg-white" />
      </div>
    </div>
  );
}
