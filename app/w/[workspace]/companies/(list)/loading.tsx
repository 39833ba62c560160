import { getTranslations } from "next-intl/server";
import { ListSkeleton } from "../../contacts/_components/list-skeleton";

export default async function Loading() {
  const t = await getTranslations("companies");
  return <ListSkeleton label={t("loading")} />;
}
