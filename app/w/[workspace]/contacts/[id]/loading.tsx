import { getTranslations } from "next-intl/server";
import { DetailSkeleton } from "../_components/detail-skeleton";

export default async function Loading() {
  const t = await getTranslations("contacts");
  return <DetailSkeleton label={t("loadingOne")} />;
}
