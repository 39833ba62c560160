"use client";

import { NextIntlClientProvider, useLocale, useMessages } from "next-intl";
import { usePathname } from "next/navigation";
import { use, useEffect, useMemo, type ReactNode } from "react";
import { inlineNamespacesFor, namespacesFor } from "./client-namespaces";
import { messageNamespaces } from "./messages";

type Messages = Record<string, unknown>;
type Tracked<T> = Promise<T> & { status?: "fulfilled" | "rejected"; value?: T };

const catalogs = new Map<string, Tracked<unknown>>();
const batches = new Map<string, Promise<unknown>>();
/** What `use` reads when nothing is pending: already settled, so it never suspends. */
const settled: Tracked<undefined> = Object.assign(Promise.resolve(undefined), { status: "fulfilled" as const, value: undefined });

/**
 * One namespace's catalog for `locale`, fetched once as its own chunk. The promise carries React's thenable
 * fields once settled, so `use` reads a loaded catalog without suspending.
 */
function loadNamespace(locale: string, ns: string): Tracked<unknown> {
  const key = `${locale}/${ns}`;
  let promise = catalogs.get(key);
  if (!promise) {
    const loading: Tracked<unknown> = import(`./messages/${locale}/${ns}.json`).then((m: { default: unknown }) => m.default);
    loading.then(
      (value) => Object.assign(loading, { status: "fulfilled", value }),
      () => catalogs.delete(key), // a failed chunk load may be retried by the next render
    );
    catalogs.set(key, (promise = loading));
  }
  return promise;
}

/** Settles when every namespace is loaded; the same promise for the same set, so `use` can wait on it. */
function loadAll(locale: string, namespaces: readonly string[]): Promise<unknown> {
  const key = `${locale}:${namespaces.join(",")}`;
  let promise = batches.get(key);
  if (!promise) {
    promise = Promise.all(namespaces.map((ns) => loadNamespace(locale, ns))).finally(() => batches.delete(key));
    batches.set(key, promise);
  }
  return promise;
}

// A page whose HTML carries no messages (MESSAGES_NOT_INLINED) hydrates once its namespaces are here: start
// fetching them as soon as this module runs, before React renders, rather than when RouteMessages first renders.
if (typeof document !== "undefined" && document.documentElement.lang && inlineNamespacesFor(location.pathname)?.length === 0) {
  for (const ns of namespacesFor(location.pathname) ?? []) void loadNamespace(document.documentElement.lang, ns).catch(() => undefined);
}

/**
 * Keeps the browser's messages complete for the page on screen. The root layout sends only the namespaces of the
 * page it rendered, but a layout is not rendered again on client-side navigation: after a link to another page,
 * this component (under the root provider) sees the new path and, if that page needs namespaces the server did
 * not send, takes them from the catalogs loaded in the background once the first page was idle (each a chunk,
 * cached by the browser), or waits for them: it suspends inside the navigation's transition, so the previous
 * page stays until then and the new one never shows keys. A server render (refresh, server action) sends its
 * page's pick again. On a route whose HTML carries no messages (MESSAGES_NOT_INLINED) the same mechanism makes
 * the server render load the page's namespaces (cached in the process after the first request) and the browser
 * wait for their chunks before hydrating, the server's HTML staying on screen meanwhile.
 */
export function RouteMessages({ children }: { children: ReactNode }) {
  const locale = useLocale();
  const base = useMessages() as Messages;
  const pathname = usePathname();
  const missing = (namespacesFor(pathname) ?? messageNamespaces).filter((ns) => !(ns in base));
  const pending = missing.filter((ns) => loadNamespace(locale, ns).status !== "fulfilled");
  // `use` on every render, never under a condition: a render that suspended here (hydrating the board, whose HTML
  // carries no messages) is replayed once the catalogs are in, when nothing is pending any more; skipping `use` in
  // that replay left React's dispatcher expecting the hooks below to exist already (React error #467 on every
  // load of the board, and the page client-rendered instead of hydrated).
  use(pending.length ? loadAll(locale, pending) : settled);
  const missingKey = missing.join(",");
  const messages = useMemo(() => {
    if (!missingKey) return base;
    const loaded = Object.fromEntries(missingKey.split(",").map((ns) => [ns, loadNamespace(locale, ns).value]));
    return { ...loaded, ...base };
  }, [base, locale, missingKey]);

  // Off the critical path: fetch the namespaces this page did not need, so later navigations need not wait.
  useEffect(() => {
    const rest = messageNamespaces.filter((ns) => !(ns in base));
    const start = () => rest.forEach((ns) => void loadNamespace(locale, ns).catch(() => undefined));
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(start, { timeout: 3000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(start, 1000);
    return () => clearTimeout(timer);
  }, [base, locale]);

  return (
    <NextIntlClientProvider locale={locale} messages={messages}>
      {children}
    </NextIntlClientProvider>
  );
}
