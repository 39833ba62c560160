import fs from "node:fs";
import path from "node:path";
import compileMessage from "icu-minify/compile";
import { describe, expect, it } from "vitest";
import { loadMessages, messageNamespaces } from "@/lib/i18n/messages";
import { locales } from "@/lib/i18n/locale";

const root = path.resolve(import.meta.dirname, "../..");
const messagesDir = path.join(root, "lib/i18n/messages");

type Catalog = Record<string, unknown>;

function namespaceFiles(locale: string): string[] {
  return fs
    .readdirSync(path.join(messagesDir, locale))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

function readNamespace(locale: string, ns: string): Catalog {
  return JSON.parse(fs.readFileSync(path.join(messagesDir, locale, `${ns}.json`), "utf8")) as Catalog;
}

/** Every leaf of a catalog as [dotted key, value]. */
function leaves(catalog: unknown, prefix = ""): [string, unknown][] {
  if (catalog === null || typeof catalog !== "object" || Array.isArray(catalog)) return [[prefix, catalog]];
  return Object.entries(catalog).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function lookup(catalog: Catalog, dotted: string): unknown {
  let node: unknown = catalog;
  for (const part of dotted.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * The argument names of an ICU message ("Hi {name}, {count, plural, one {# deal} other {# deals}}" → count, name).
 * Throws on unbalanced braces, so a broken message fails the test too.
 */
export function icuArguments(message: string): string[] {
  const names = new Set<string>();
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`malformed ICU message (${why} at ${i}): ${message}`);
  };
  const skipSpace = () => {
    while (i < message.length && /\s/.test(message[i]!)) i++;
  };
  const word = () => {
    const m = /^[^\s,{}]+/.exec(message.slice(i));
    if (!m) fail("expected a word");
    i += m![0].length;
    return m![0];
  };
  const text = (nested: boolean) => {
    while (i < message.length) {
      const c = message[i]!;
      if (c === "'" && message[i + 1] === "'") i += 2;
      else if (c === "'" && (message[i + 1] === "{" || message[i + 1] === "}")) {
        const end = message.indexOf("'", i + 1);
        if (end < 0) fail("unterminated quote");
        i = end + 1;
      } else if (c === "{") {
        i++;
        argument();
      } else if (c === "}") {
        if (nested) return;
        fail("unexpected }");
      } else i++;
    }
    if (nested) fail("missing }");
  };
  const argument = () => {
    skipSpace();
    names.add(word());
    skipSpace();
    if (message[i] === "}") return void i++;
    if (message[i] !== ",") fail("expected , or }");
    i++;
    skipSpace();
    const type = word();
    skipSpace();
    if (type === "plural" || type === "select" || type === "selectordinal") {
      if (message[i] !== ",") fail("expected , after type");
      i++;
      for (;;) {
        skipSpace();
        if (i >= message.length) fail("missing }");
        if (message[i] === "}") return void i++;
        const selector = word();
        if (selector.startsWith("offset:")) continue;
        skipSpace();
        if (message[i] !== "{") fail(`expected { after ${selector}`);
        i++;
        text(true);
        i++;
      }
    }
    const end = message.indexOf("}", i);
    if (end < 0) fail("missing }");
    i = end + 1;
  };
  text(false);
  return [...names].sort();
}

function walk(dir: string, accept: (file: string) => boolean): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => !f.split(path.sep).includes("node_modules") && accept(f))
    .map((f) => path.join(dir, f))
    .sort();
}

const translatorDecl =
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:await\s+)?(?:useTranslations|getTranslations)\(\s*(?:(["'])([^"']*)\2|\{[^}]*?\bnamespace\s*:\s*(["'])([^"']*)\4[^}]*\})?\s*[,)]/g;

/**
 * The literal keys a source file asks its translators for, as full catalog paths ("members.invite").
 * Each call resolves to the closest preceding declaration of the same variable name, so a file with several
 * components (each `const t = useTranslations("x")`) or several translators (`t`, `tr`) is handled.
 * Dynamic keys (variables, template literals with ${}) and `t.has(...)` are skipped.
 */
export function translationKeysIn(source: string): { key: string; line: number }[] {
  const decls = [...source.matchAll(translatorDecl)].map((m) => ({
    name: m[1]!,
    ns: m[3] ?? m[5] ?? "",
    at: m.index!,
  }));
  const out: { key: string; line: number }[] = [];
  for (const name of new Set(decls.map((d) => d.name))) {
    const escaped = name.replace(/\$/g, "\\$");
    const call = new RegExp(`(?<![\\w$.])${escaped}(?:\\.(?:rich|markup|raw))?\\(\\s*(?:"([^"\\n]*)"|'([^'\\n]*)'|\`([^\`$]*)\`)`, "g");
    for (const m of source.matchAll(call)) {
      const decl = decls.filter((d) => d.name === name && d.at < m.index!).at(-1);
      if (!decl) continue;
      const key = m[1] ?? m[2] ?? m[3]!;
      out.push({ key: decl.ns ? `${decl.ns}.${key}` : key, line: source.slice(0, m.index).split("\n").length });
    }
  }
  return out;
}

/** Literal "errors.xxx" keys and `message: "ns.key"` literals (what actions return for the form to translate). */
export function messageKeysIn(source: string): string[] {
  const keys = [...source.matchAll(/(["'`])(errors\.[A-Za-z0-9_]+)\1/g)].map((m) => m[2]!);
  const messages = [...source.matchAll(/\bmessage\s*:\s*(["'])([A-Za-z]+\.[A-Za-z0-9_.]+)\1/g)].map((m) => m[2]!);
  return [...keys, ...messages];
}

describe("message catalogs", () => {
  const en = namespaceFiles("en");

  it("has a zh-CN file for every en namespace and vice versa", () => {
    expect(en.length).toBeGreaterThan(0);
    expect(namespaceFiles("zh-CN")).toEqual(en);
    for (const locale of locales) expect(namespaceFiles(locale), locale).toEqual(en);
  });

  it("lists exactly the namespace files on disk in messageNamespaces", () => {
    expect([...messageNamespaces].sort()).toEqual(en);
  });

  it.each(en)("%s: both locales have exactly the same keys", (ns) => {
    const enKeys = leaves(readNamespace("en", ns)).map(([k]) => k).sort();
    const zhKeys = leaves(readNamespace("zh-CN", ns)).map(([k]) => k).sort();
    expect(zhKeys).toEqual(enKeys);
  });

  it.each(en)("%s: every message is a non-empty string with the same ICU arguments in both locales", (ns) => {
    const zh = readNamespace("zh-CN", ns);
    for (const [key, value] of leaves(readNamespace("en", ns))) {
      const other = lookup(zh, key);
      expect(typeof value, `en ${ns}.${key}`).toBe("string");
      expect(typeof other, `zh-CN ${ns}.${key}`).toBe("string");
      expect((value as string).trim(), `en ${ns}.${key} is empty`).not.toBe("");
      expect((other as string).trim(), `zh-CN ${ns}.${key} is empty`).not.toBe("");
      expect(icuArguments(other as string), `placeholders of ${ns}.${key}`).toEqual(icuArguments(value as string));
    }
  });

  // The build compiles every message ahead of time (next.config.ts, next-intl's precompile): a message that is
  // not valid ICU — a bare "<" reads as an unclosed tag — fails the build rather than a page.
  it.each(en)("%s: every message of both locales is valid ICU, as the build compiles it", (ns) => {
    for (const locale of locales) {
      for (const [key, value] of leaves(readNamespace(locale, ns))) {
        expect(() => compileMessage(value as string), `${locale} ${ns}.${key}`).not.toThrow();
      }
    }
  });

  it("loads every namespace for every locale", async () => {
    for (const locale of locales) {
      const messages = await loadMessages(locale);
      expect(Object.keys(messages).sort()).toEqual(en);
      for (const ns of en) expect(messages[ns]).toEqual(readNamespace(locale, ns));
    }
  });
});

describe("keys used in the source", () => {
  const catalog: Catalog = Object.fromEntries(namespaceFiles("en").map((ns) => [ns, readNamespace("en", ns)]));
  const isMessage = (key: string) => typeof lookup(catalog, key) === "string";

  it("finds every literal t(\"key\") call of a page or component in the en catalog", () => {
    const files = walk(path.join(root, "app"), (f) => /\.(tsx?|jsx?)$/.test(f));
    const missing: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const { key, line } of translationKeysIn(fs.readFileSync(file, "utf8"))) {
        checked++;
        if (!isMessage(key)) missing.push(`${path.relative(root, file)}:${line} ${key}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(20); // the scan really found the app's calls
  });

  it("finds every literal error key and action message of lib and app in the en catalog", () => {
    const files = [
      ...walk(path.join(root, "lib"), (f) => /\.tsx?$/.test(f)),
      ...walk(path.join(root, "app"), (f) => /\.tsx?$/.test(f)),
    ];
    const missing: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const key of messageKeysIn(fs.readFileSync(file, "utf8"))) {
        checked++;
        if (!isMessage(key)) missing.push(`${path.relative(root, file)}: ${key}`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it("has a message for every error code an AppError can carry", () => {
    for (const code of ["NOT_FOUND", "FORBIDDEN", "VALIDATION", "CONFLICT", "RATE_LIMITED", "UNAUTHENTICATED"]) {
      expect(isMessage(`errors.${code}`), code).toBe(true);
    }
  });
});

describe("the source scanner itself", () => {
  it("resolves each call to the translator declared before it", () => {
    const source = `
      function A() {
        const t = useTranslations("members");
        const tr = useTranslations("roles");
        return [t("invite"), tr("owner"), t.rich("removeConfirm", { name }), t(\`copy\`), t(dynamic), t.has("nope"), other.t("ignored")];
      }
      async function B() {
        const t = await getTranslations({ locale, namespace: "nav" });
        return t('deals');
      }
      function C() {
        const t = useTranslations();
        return t("errors.invalid") + t(\`errors.\${code}\`);
      }`;
    expect(translationKeysIn(source).map((k) => k.key).sort()).toEqual(
      ["errors.invalid", "members.copy", "members.invite", "members.removeConfirm", "nav.deals", "roles.owner"].sort(),
    );
  });

  it("reports a key that is not in the catalog", () => {
    const catalog: Catalog = { members: { invite: "Invite" } };
    const keys = translationKeysIn(`const t = useTranslations("members"); t("invite"); t("inviteTypo");`).map((k) => k.key);
    expect(keys.filter((k) => typeof lookup(catalog, k) !== "string")).toEqual(["members.inviteTypo"]);
  });

  it("extracts error keys and action messages but not dynamic ones", () => {
    expect(
      messageKeysIn(`throw new AppError("CONFLICT", "errors.lastOwner"); const m = \`errors.\${x}\`; return { ok: true, message: "settings.saved" };`),
    ).toEqual(["errors.lastOwner", "settings.saved"]);
  });

  it("reads ICU arguments, including plural and select branches", () => {
    expect(icuArguments("Hello {name}")).toEqual(["name"]);
    expect(icuArguments("{count, plural, =0 {none} one {# deal for {owner}} other {# deals}}")).toEqual(["count", "owner"]);
    expect(icuArguments("{gender, select, male {he} other {they}} paid {amount, number}")).toEqual(["amount", "gender"]);
    expect(icuArguments("Quote '{'literal'}' here")).toEqual([]);
    expect(icuArguments("“{role}”")).toEqual(["role"]);
    expect(() => icuArguments("Broken {name")).toThrow(/malformed/);
  });
});
