/**
 * Message catalogs, one JSON file per namespace and locale (messages/<locale>/<namespace>.json), so features
 * add their strings without touching each other's files. tests/unit/i18n-catalogs.test.ts fails when a key
 * is missing from either locale or a namespace file is not listed here.
 */
import type { Locale } from "../locale";

const namespaces = ["auth", "board", "deal", "dealTable", "timeline", "common", "errors", "invite", "members", "nav", "roles", "settings", "workspace", "contacts", "companies", "pipelineSettings", "search", "automations", "jobs", "notifications", "activities", "imports", "exports", "customFields", "requirements", "pipelineRules", "sequences", "api", "webhooks", "reports", "goals"] as const;

export type Messages = Record<string, unknown>;

const loaded = new Map<Locale, Promise<Messages>>();

/**
 * The whole catalog of `locale`, assembled once per process (it is read on every request by the request config;
 * the JSON modules are immutable, so one object serves every request). A failed load is not kept.
 */
export function loadMessages(locale: Locale): Promise<Messages> {
  let messages = loaded.get(locale);
  if (!messages) {
    messages = Promise.all(namespaces.map(async (ns) => [ns, (await import(`./${locale}/${ns}.json`)).default] as const)).then((entries) => Object.fromEntries(entries));
    messages.catch(() => loaded.delete(locale));
    loaded.set(locale, messages);
  }
  return messages;
}

export const messageNamespaces: readonly string[] = namespaces;
