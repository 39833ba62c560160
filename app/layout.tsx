import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { Toaster } from "sonner";
import { inlineNamespacesFor, pickMessages } from "@/lib/i18n/client-namespaces";
import { RouteMessages } from "@/lib/i18n/route-messages";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pipewise", template: "%s · Pipewise" },
  description: "Sales pipeline CRM",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  // Only the namespaces this page's client components can use go to the browser (the whole catalog would be
  // ~85 KB of every HTML response); pages navigated to later load theirs (docs/architecture.md, "Messages in
  // the browser"). The path comes from proxy.ts; without it (or for a path matching no page) all namespaces go.
  const t = await getTranslations("common");
  const messages = pickMessages(await getMessages(), inlineNamespacesFor((await headers()).get("x-pipewise-path")));
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        <NextIntlClientProvider messages={messages}>
          <RouteMessages>
            {children}
            <Toaster position="bottom-right" richColors closeButton containerAriaLabel={t("toasts")} toastOptions={{ closeButtonAriaLabel: t("closeToast") }} />
          </RouteMessages>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
