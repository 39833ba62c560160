import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Construction } from "lucide-react";
import { requireMember } from "@/lib/auth/session";
import { EmptyState, PageHeader, buttonClass } from "../../../_components/ui";

/**
 * An honest placeholder for a section that is on the roadmap but not shipped yet: it says so plainly instead of
 * showing fake data, and points to what works today.
 */
export async function NotYetAvailable({ slug, section }: { slug: string; section: "sequences" | "reports" }) {
  await requireMember(slug);
  const t = await getTranslations("notYet");
  const nav = await getTranslations("nav");
  return (
    <>
      <PageHeader title={nav(section)} />
      <EmptyState
        icon={<Construction className="h-8 w-8" />}
        title={t("title")}
        description={t(section)}
        action={<Link href={`/w/${slug}/pipelines`} className={buttonClass("secondary")}>{t("backToBoard")}</Link>}
      />
    </>
  );
}
