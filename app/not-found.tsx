import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "./_components/ui";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center gap-3 px-4 text-center">
      <p className="text-sm font-medium text-brand-600">404</p>
      <h1 className="text-xl font-semibold">{t("notFoundTitle")}</h1>
      <p className="max-w-sm text-sm text-zinc-500">{t("notFoundText")}</p>
      <Link href="/" className={buttonClass("secondary")}>{t("goHome")}</Link>
    </main>
  );
}
