import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { Card } from "../../_components/ui";
import { Logo } from "../../_components/logo";
import { CreateWorkspaceForm } from "./create-form";

export async function generateMetadata() {
  const t = await getTranslations("workspace");
  return { title: t("createTitle") };
}

export default async function NewWorkspacePage() {
  await requireUser();
  const t = await getTranslations("workspace");
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4">
      <Logo className="mb-8 text-lg" />
      <Card className="w-full max-w-sm p-6 sm:p-8">
        <h1 className="text-lg font-semibold">{t("createTitle")}</h1>
        <p className="mt-1 mb-6 text-sm text-zinc-500">{t("createText")}</p>
        <CreateWorkspaceForm />
      </Card>
    </main>
  );
}
