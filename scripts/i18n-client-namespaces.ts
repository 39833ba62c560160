/**
 * Computes, for every page route under app/, the message namespaces its client components can use, and writes
 * lib/i18n/client-namespaces.generated.ts (route pattern → sorted namespaces). The root layout ships only those
 * namespaces to the browser (lib/i18n/client-namespaces.ts, docs/architecture.md "Messages in the browser").
 *
 *   npx tsx scripts/i18n-client-namespaces.ts           regenerate the file
 *   npx tsx scripts/i18n-client-namespaces.ts --check   exit 1 when the committed file is stale
 *   I18N_DEBUG=1 npx tsx scripts/i18n-client-namespaces.ts   also print each catalog-key literal it found (why a
 *                                                       namespace is on a route through the fallback below)
 *
 * How: a route's entry files are its page.tsx plus every layout/template/loading/error/not-found/forbidden/
 * unauthorized file along its segment chain (and app/global-error.tsx). From them the script follows imports
 * (static, re-exports, dynamic import(); `@/…` and relative; .ts/.tsx/index) through server and client modules
 * alike. A module is "client" once a path to it crosses a "use client" module; only client modules' translations
 * need the provider (server components translate with the request config). In a client module:
 *  - useTranslations("ns") / useTranslations("ns.sub") / a template literal whose head names the namespace → ns;
 *  - useTranslations() (root translator): every literal key it is called with (t("ns.key"), t.rich/markup/raw/has)
 *    → ns; when it is called with a computed key (the form helper useErrorText translates keys that server actions
 *    return), the conservative fallback adds the namespace of every string literal or template head in ANY module
 *    reachable from the route (server actions included) that names an existing catalog key or subtree: that is
 *    where such keys come from. Keys fetched from API routes (not imports) are not seen: translate those with a
 *    namespaced translator;
 *  - useMessages() → every namespace (it exposes the whole catalog), except in MESSAGES_PASS_THROUGH;
 *  - useTranslations(anythingElse) → the script fails with the file and line: it cannot know the namespace. Name
 *    it literally, or add the call site to DYNAMIC_NAMESPACES below with the namespaces it can take and why.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

/**
 * Call sites of useTranslations(<computed>) that a reviewer has resolved by hand: "path/from/root.tsx:line" →
 * the namespaces the argument can be. Keep each with a comment saying why the list is complete.
 */
const DYNAMIC_NAMESPACES: Readonly<Record<string, readonly string[]>> = {};

/**
 * Modules whose useMessages() only passes the catalog on, never translating from it: RouteMessages merges the
 * server's pick with namespaces it loads and hands them to a nested provider.
 */
const MESSAGES_PASS_THROUGH = new Set(["lib/i18n/route-messages.tsx"]);

const INTL_PACKAGES = new Set(["next-intl", "use-intl", "use-intl/react"]);
const BOUNDARY_FILES = ["layout", "template", "loading", "error", "not-found", "forbidden", "unauthorized"];
const SOURCE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs"];
export const GENERATED_PATH = "lib/i18n/client-namespaces.generated.ts";

type ModuleInfo = {
  file: string;
  client: boolean;
  imports: string[];
  /** Namespaces its client-side translation hooks name. */
  namespaces: Set<string>;
  /** useMessages(): the whole catalog. */
  usesAllMessages: boolean;
  /** A root translator called with a computed key. */
  dynamicRootKey: boolean;
  /** Namespaces of string literals naming catalog keys (for the dynamic root-key fallback). */
  keyLiteralNamespaces: Set<string>;
};

export class NamespaceAnalysisError extends Error {}

type Catalog = Record<string, unknown>;

function loadCatalog(root: string): Catalog {
  const dir = path.join(root, "lib/i18n/messages/en");
  const out: Catalog = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    out[f.slice(0, -".json".length)] = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  }
  return out;
}

/**
 * "ns" when `key` names a message of the catalog: a full key ("board.moveRefused") must name a leaf, the head of a
 * template literal (`errors.${code}`, prefix = true) a namespace or subtree.
 */
function namespaceOfKey(catalog: Catalog, key: string, prefix = false): string | null {
  const parts = key.split(".");
  if (prefix) parts.pop(); // the part after the last dot is completed at run time
  if (!(parts[0]! in catalog) || (!prefix && parts.length < 2)) return null;
  let node: unknown = catalog;
  for (const part of parts) {
    if (node === null || typeof node !== "object" || !(part in (node as Catalog))) return null;
    node = (node as Catalog)[part];
  }
  return prefix ? parts[0]! : typeof node === "string" ? parts[0]! : null;
}

function namespaceOfArgument(catalog: Catalog, value: string): string | null {
  const ns = value.split(".")[0]!;
  return ns in catalog ? ns : null;
}

function resolveImport(root: string, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package
  const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => path.join(base, "index" + e))];
  for (const c of candidates) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return SOURCE_EXTENSIONS.includes(path.extname(c)) ? c : null;
  }
  throw new NamespaceAnalysisError(`${path.relative(root, from)}: cannot resolve import "${specifier}"`);
}

function isUseClient(source: ts.SourceFile): boolean {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === "use client") return true;
  }
  return false;
}

function literalText(node: ts.Node | undefined): { text: string; complete: boolean } | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { text: node.text, complete: true };
  if (ts.isTemplateExpression(node)) return { text: node.head.text, complete: false };
  return null;
}

function analyse(root: string, file: string, catalog: Catalog): ModuleInfo {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const rel = path.relative(root, file);
  const info: ModuleInfo = { file, client: isUseClient(source), imports: [], namespaces: new Set(), usesAllMessages: false, dynamicRootKey: false, keyLiteralNamespaces: new Set() };
  const where = (node: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

  // Local names of next-intl's hooks (import { useTranslations as useT } …; import * as intl …).
  const hookNames = new Map<string, "useTranslations" | "useMessages">();
  const intlNamespaces = new Set<string>();
  const addImport = (specifier: string) => {
    const resolved = resolveImport(root, file, specifier);
    if (resolved) info.imports.push(resolved);
  };

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (INTL_PACKAGES.has(specifier) && clause?.namedBindings) {
        if (ts.isNamespaceImport(clause.namedBindings)) intlNamespaces.add(clause.namedBindings.name.text);
        else for (const el of clause.namedBindings.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (imported === "useTranslations" || imported === "useMessages") hookNames.set(el.name.text, imported);
        }
      }
      if (!clause?.isTypeOnly) addImport(specifier);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (!statement.isTypeOnly) addImport(statement.moduleSpecifier.text);
    }
  }

  const hookOf = (call: ts.CallExpression): "useTranslations" | "useMessages" | null => {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return hookNames.get(callee.text) ?? null;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && intlNamespaces.has(callee.expression.text)) {
      const name = callee.name.text;
      return name === "useTranslations" || name === "useMessages" ? name : null;
    }
    return null;
  };

  /** Calls of a root translator bound to `name` within `scope`: literal keys name namespaces, computed ones trip the fallback. */
  const rootTranslatorCalls = (name: string, scope: ts.Node) => {
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const onTranslator =
          (ts.isIdentifier(callee) && callee.text === name) ||
          (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === name);
        if (onTranslator) {
          const key = literalText(node.arguments[0]);
          const ns = key?.complete ? namespaceOfKey(catalog, key.text) : null;
          if (ns) info.namespaces.add(ns);
          else info.dynamicRootKey = true;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
  };

  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) addImport(arg.text);
        else if (!(arg && literalText(arg) && /\.json$/.test(arg.getText().replace(/`$/, "")))) {
          throw new NamespaceAnalysisError(`${where(node)}: import() of a computed path; the script cannot follow it`);
        }
      } else if (ts.isIdentifier(node.expression) && node.expression.text === "require" && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        addImport(node.arguments[0].text);
      }
      const hook = hookOf(node);
      if (hook === "useMessages") info.usesAllMessages ||= !MESSAGES_PASS_THROUGH.has(rel);
      else if (hook === "useTranslations") {
        const arg = node.arguments[0];
        const literal = literalText(arg);
        const override = DYNAMIC_NAMESPACES[where(node)];
        if (!arg) {
          // Root translator: find what it is bound to and how it is called.
          const binding = node.parent;
          let scope: ts.Node = node.parent;
          while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
          if (ts.isVariableDeclaration(binding) && ts.isIdentifier(binding.name)) rootTranslatorCalls(binding.name.text, scope);
          else info.dynamicRootKey = true; // passed on unnamed: treat every key as computed
        } else if (override) {
          for (const ns of override) info.namespaces.add(ns);
        } else if (literal && (literal.complete || literal.text.includes(".")) && namespaceOfArgument(catalog, literal.text)) {
          info.namespaces.add(namespaceOfArgument(catalog, literal.text)!);
        } else {
          throw new NamespaceAnalysisError(
            `${where(node)}: useTranslations(${arg.getText()}) — the namespace is not a literal naming a catalog namespace. ` +
              `Write it literally, or list this call site in DYNAMIC_NAMESPACES (scripts/i18n-client-namespaces.ts) with every namespace it can take.`,
          );
        }
      }
    }
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? { text: node.text, complete: true } : ts.isTemplateExpression(node) ? { text: node.head.text, complete: false } : null;
    // A namespace argument (getTranslations("activities.types")) is not a key that travels to a client.
    const namespaceArgument = !!node.parent && ts.isCallExpression(node.parent) && node.parent.arguments[0] === node && /^(get|use)Translations$/.test(node.parent.expression.getText());
    if (literal && literal.text.includes(".") && !namespaceArgument) {
      const ns = namespaceOfKey(catalog, literal.text, !literal.complete);
      if (ns) info.keyLiteralNamespaces.add(ns);
      if (ns && process.env.I18N_DEBUG) console.error(`${where(node)} key literal ${literal.text} -> ${ns}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return info;
}

function findFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(full, name));
    else if (SOURCE_EXTENSIONS.some((e) => entry.name === name + e)) out.push(full);
  }
  return out;
}

function fileIn(dir: string, name: string): string | null {
  for (const e of SOURCE_EXTENSIONS) if (fs.existsSync(path.join(dir, name + e))) return path.join(dir, name + e);
  return null;
}

/** "/w/[workspace]/pipelines/[pipelineId]" for app/w/[workspace]/pipelines/[pipelineId]/page.tsx (groups dropped). */
export function routePatternOf(appDir: string, pageFile: string): string {
  const segments = path.relative(appDir, path.dirname(pageFile)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  if (segments.some((s) => s.startsWith("@") || /^\(\.+\)/.test(s))) {
    throw new NamespaceAnalysisError(`${pageFile}: parallel or intercepting routes are not handled by this script yet`);
  }
  return "/" + segments.join("/");
}

/** Route pattern → sorted namespaces its client components can use. */
export function computeClientNamespaces(root: string): Record<string, string[]> {
  const appDir = path.join(root, "app");
  const catalog = loadCatalog(root);
  const modules = new Map<string, ModuleInfo>();
  const info = (file: string) => {
    let m = modules.get(file);
    if (!m) modules.set(file, (m = analyse(root, file, catalog)));
    return m;
  };

  const routes: Record<string, string[]> = {};
  for (const page of findFiles(appDir, "page").sort()) {
    const entries = [page];
    const rootGlobalError = fileIn(appDir, "global-error");
    if (rootGlobalError) entries.push(rootGlobalError);
    for (let dir = path.dirname(page); ; dir = path.dirname(dir)) {
      for (const name of BOUNDARY_FILES) {
        const f = fileIn(dir, name);
        if (f) entries.push(f);
      }
      if (dir === appDir) break;
    }

    const namespaces = new Set<string>();
    const keyLiteralNamespaces = new Set<string>();
    let dynamicRootKey = false;
    let all = false;
    const seen = new Set<string>();
    const queue: [string, boolean][] = entries.map((f) => [f, false]);
    while (queue.length) {
      const [file, viaClient] = queue.shift()!;
      const m = info(file);
      const client = viaClient || m.client;
      const key = `${client ? "c" : "s"}:${file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const ns of m.keyLiteralNamespaces) keyLiteralNamespaces.add(ns);
      if (client) {
        for (const ns of m.namespaces) namespaces.add(ns);
        dynamicRootKey ||= m.dynamicRootKey;
        all ||= m.usesAllMessages;
      }
      for (const next of m.imports) queue.push([next, client]);
    }
    if (dynamicRootKey) for (const ns of keyLiteralNamespaces) namespaces.add(ns);
    const list = all ? Object.keys(catalog) : [...namespaces];
    const pattern = routePatternOf(appDir, page);
    if (routes[pattern]) throw new NamespaceAnalysisError(`two pages for the route ${pattern}`);
    routes[pattern] = list.sort();
  }
  return Object.fromEntries(Object.entries(routes).sort(([a], [b]) => a.localeCompare(b)));
}

/** The generated module's text (what the committed file must equal). */
export function renderGenerated(root: string): string {
  const routes = computeClientNamespaces(root);
  const body = Object.entries(routes)
    .map(([route, list]) => `  ${JSON.stringify(route)}: [${list.map((n) => JSON.stringify(n)).join(", ")}],`)
    .join("\n");
  return `// Generated by \`npx tsx scripts/i18n-client-namespaces.ts\` — do not edit; tests/unit/i18n-client-namespaces.test.ts
// fails when it is stale. Route pattern → the message namespaces its client components can use (see the script).
export const clientNamespacesByRoute: Readonly<Record<string, readonly string[]>> = {
${body}
};
`;
}

function main() {
  const root = path.resolve(import.meta.dirname, "..");
  const target = path.join(root, GENERATED_PATH);
  const text = renderGenerated(root);
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (process.argv.includes("--check")) {
    if (current !== text) {
      console.error(`${GENERATED_PATH} is stale: run npx tsx scripts/i18n-client-namespaces.ts`);
      process.exit(1);
    }
    console.log(`${GENERATED_PATH} is up to date`);
    return;
  }
  if (current !== text) fs.writeFileSync(target, text);
  console.log(`${current === text ? "unchanged" : "wrote"} ${GENERATED_PATH}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    if (error instanceof NamespaceAnalysisError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
