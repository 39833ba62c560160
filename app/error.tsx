"use client";

import { useTranslations } from "next-intl";
import { Button } from "./_components/ui";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common");
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">{t("errorTitle")}</h1>
      <p className="max-w-sm text-sm text-zinc-500">{t("errorText")}</p>
      <Button variant="secondary" onClick={reset}>{t("tryAgain")}</Button>
    </main>
  );
}
