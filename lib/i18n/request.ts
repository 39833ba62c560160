import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getCurrentUser } from "../auth/session";
import { locales, negotiateLocale, type Locale } from "./locale";
import { loadMessages } from "./messages";

/**
 * Locale per request: the user's profile choice, else the `locale` cookie (set on the sign-in page's switcher),
 * else the browser's Accept-Language. Time zone: the user's.
 */
export default getRequestConfig(async () => {
  const user = await getCurrentUser().catch(() => null);
  const cookieLocale = (await cookies()).get("locale")?.value;
  const locale: Locale =
    user?.locale ??
    (locales.includes(cookieLocale as Locale) ? (cookieLocale as Locale) : negotiateLocale((await headers()).get("accept-language")));
  const messages = await loadMessages(locale);
  return { locale, messages, timeZone: user?.timeZone ?? "UTC", now: new Date() };
});
