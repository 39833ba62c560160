import { getTranslations } from "next-intl/server";
import { DetailSkeleton } from "../../contacts/_components/detail-skeleton";

export default async function Loading() {
  const t = await getTranslations("companies");
  return <DetailSkeleton label={t("loadingOne")} square />;
}
