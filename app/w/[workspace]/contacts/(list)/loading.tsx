import { getTranslations } from "next-intl/server";
import { ListSkeleton } from "../_components/list-skeleton";

export default async function Loading() {
  const t = await getTranslations("contacts");
  return <ListSkeleton label={t("loading")} />;
}
