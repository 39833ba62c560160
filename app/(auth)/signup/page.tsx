import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "../../_components/ui";
import { SignUpForm } from "./signup-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signUpTitle") };
}

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; email?: string }> }) {
  const params = await searchParams;
  const t = await getTranslations("auth");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-lg font-semibold">{t("signUpTitle")}</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-500">{t("signUpSubtitle")}</p>
      <SignUpForm callbackUrl={params.callbackUrl ?? ""} email={params.email ?? ""} />
      <p className="mt-6 text-center text-sm text-zinc-600">
        {t("haveAccount")}{" "}
        <Link href={`/login${params.callbackUrl ? `?callbackUrl=${encodeURIComponent(params.callbackUrl)}` : ""}`} className="font-medium text-brand-600 hover:text-brand-700">
          {t("signIn")}
        </Link>
      </p>
    </Card>
  );
}
