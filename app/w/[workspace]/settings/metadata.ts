import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

/**
 * The browser-tab title of a settings page: its tab label and "Settings" ("Members · Settings · Pipewise"), so a tab
 * reads apart from a main page of the same name (the board's "Pipelines", the reports' "Goals").
 */
export async function settingsMetadata(page: string): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("metaTitle", { page }) };
}
