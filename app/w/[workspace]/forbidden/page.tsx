import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ShieldAlert } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { EmptyState, buttonClass } from "../../../_components/ui";

export async function generateMetadata() {
  const t = await getTranslations("common");
  return { title: t("notAllowedTitle") };
}

export default async function ForbiddenPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  await requireMember(workspace);
  const t = await getTranslations("common");
  return (
    <EmptyState
      icon={<ShieldAlert className="h-8 w-8" />}
      title={t("notAllowedTitle")}
      description={t("notAllowedText")}
      action={<Link href={`/w/${workspace}`} className={buttonClass("secondary")}>{t("goHome")}</Link>}
    />
  );
}
