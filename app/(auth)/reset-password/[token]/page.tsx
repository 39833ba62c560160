import { getTranslations } from "next-intl/server";
import { Card } from "../../../_components/ui";
import { ResetPasswordForm } from "./reset-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("resetTitle") };
}

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations("auth");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="mb-6 text-lg font-semibold">{t("resetTitle")}</h1>
      <ResetPasswordForm token={token} />
    </Card>
  );
}
