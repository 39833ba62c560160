import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "../../_components/ui";
import { ForgotPasswordForm } from "./forgot-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("forgotTitle") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("auth");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-lg font-semibold">{t("forgotTitle")}</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-500">{t("forgotSubtitle")}</p>
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm">
        <Link href="/login" className="text-zinc-600 hover:text-zinc-900">
          {t("backToSignIn")}
        </Link>
      </p>
    </Card>
  );
}
