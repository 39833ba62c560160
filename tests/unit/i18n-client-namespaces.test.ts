import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { computeClientNamespaces, GENERATED_PATH, NamespaceAnalysisError, renderGenerated } from "@/scripts/i18n-client-namespaces";
import { createRouteMatcher, inlineNamespacesFor, namespacesFor, pickMessages, routeFor } from "@/lib/i18n/client-namespaces";
import { clientNamespacesByRoute } from "@/lib/i18n/client-namespaces.generated";
import { messageNamespaces } from "@/lib/i18n/messages";

const root = path.resolve(import.meta.dirname, "../..");

describe("generated client namespaces", () => {
  it("is up to date with the code (run `npx tsx scripts/i18n-client-namespaces.ts`)", () => {
    expect(fs.readFileSync(path.join(root, GENERATED_PATH), "utf8")).toBe(renderGenerated(root));
  });

  it("names only namespaces that exist, and every route ships the root error boundary's", () => {
    for (const [route, list] of Object.entries(clientNamespacesByRoute)) {
      for (const ns of list) expect(messageNamespaces, `${route}: ${ns}`).toContain(ns);
      expect(list, route).toContain("common"); // app/error.tsx (client) translates with "common"
    }
  });

  it("gives the board what its client components translate", () => {
    const board = namespacesFor("/w/demo/pipelines/123");
    expect(board).toEqual(expect.arrayContaining(["board", "deal", "errors", "nav", "search"]));
    expect(board).not.toContain("reports");
  });
});

describe("route matcher", () => {
  const match = createRouteMatcher(["/", "/login", "/w/[workspace]", "/w/new", "/w/[workspace]/deals/[dealId]", "/w/[workspace]/deals", "/docs/[...slug]", "/files/[[...path]]"]);

  it("matches static paths exactly and ignores the query and trailing slash", () => {
    expect(match("/")).toBe("/");
    expect(match("/login?callbackUrl=%2Fw%2Fdemo")).toBe("/login");
    expect(match("/login/")).toBe("/login");
  });

  it("prefers a static segment to a dynamic one", () => {
    expect(match("/w/new")).toBe("/w/new");
    expect(match("/w/acme")).toBe("/w/[workspace]");
  });

  it("fills dynamic segments with one segment each", () => {
    expect(match("/w/acme/deals")).toBe("/w/[workspace]/deals");
    expect(match("/w/acme/deals/d%201")).toBe("/w/[workspace]/deals/[dealId]");
    expect(match("/w/acme/deals/1/extra")).toBeNull();
  });

  it("handles catch-all and optional catch-all segments", () => {
    expect(match("/docs")).toBeNull();
    expect(match("/docs/a/b")).toBe("/docs/[...slug]");
    expect(match("/files")).toBe("/files/[[...path]]");
    expect(match("/files/a/b")).toBe("/files/[[...path]]");
  });

  it("returns null for an unknown or malformed path", () => {
    expect(match("/nope")).toBeNull();
    expect(match("/w/%E0%A4%A/deals")).toBeNull();
  });

  it("resolves the app's real routes, route groups dropped", () => {
    expect(routeFor("/w/demo/pipelines/abc")).toBe("/w/[workspace]/pipelines/[pipelineId]");
    expect(routeFor("/w/demo/contacts")).toBe("/w/[workspace]/contacts");
    expect(routeFor("/w/demo/automations/scoring")).toBe("/w/[workspace]/automations/scoring");
    expect(namespacesFor("/no/such/page")).toBeNull();
    expect(namespacesFor(null)).toBeNull();
  });

  it("inlines no messages in the board's HTML (decision 50), a page's own namespaces elsewhere, all for an unknown path", () => {
    expect(inlineNamespacesFor("/w/demo/pipelines/abc")).toEqual([]);
    expect(namespacesFor("/w/demo/pipelines/abc")).toContain("board"); // still what the browser loads for it
    expect(inlineNamespacesFor("/w/demo/contacts")).toEqual(namespacesFor("/w/demo/contacts"));
    expect(inlineNamespacesFor("/w/demo/contacts")).toContain("contacts");
    expect(inlineNamespacesFor("/no/such/page")).toBeNull();
    expect(inlineNamespacesFor(null)).toBeNull();
  });

  it("picks namespaces, or everything when the route is unknown", () => {
    const messages = { a: { x: "1" }, b: { y: "2" }, c: {} };
    expect(pickMessages(messages, ["a", "c", "zzz"])).toEqual({ a: { x: "1" }, c: {} });
    expect(pickMessages(messages, null)).toBe(messages);
  });
});

describe("namespace analysis", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** A throw-away project: app/ files plus an English catalog of the given namespaces. */
  function project(files: Record<string, string>, catalog: Record<string, unknown>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "i18n-ns-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    fs.mkdirSync(path.join(dir, "lib/i18n/messages/en"), { recursive: true });
    for (const [ns, messages] of Object.entries(catalog)) fs.writeFileSync(path.join(dir, `lib/i18n/messages/en/${ns}.json`), JSON.stringify(messages));
    return dir;
  }
  const catalog = { a: { title: "A" }, b: { title: "B", sub: { x: "X" } }, errors: { invalid: "Invalid", boom: "Boom" }, server: { title: "S" }, shell: { t: "T" }, rest: { t: "R" } };

  it("follows server modules to client components, counts only client translations, and adds boundaries along the chain", () => {
    const dir = project(
      {
        "app/layout.tsx": `import { Shell } from "./_components/shell"; export default function L({ children }) { return <Shell>{children}</Shell>; }`,
        "app/_components/shell.tsx": `"use client"; import { useTranslations as useT } from "next-intl"; export function Shell({ children }) { const t = useT("shell"); return children; }`,
        "app/error.tsx": `"use client"; import * as intl from "next-intl"; export default function E() { intl.useTranslations("errors"); return null; }`,
        "app/x/[id]/page.tsx": `import { useTranslations } from "next-intl"; import { Panel } from "@/app/x/panel"; export default function P() { useTranslations("server"); return <Panel />; }`,
        "app/x/panel.tsx": `import { Leaf } from "./leaf"; export { Other } from "./other"; export function Panel() { return <Leaf />; }`,
        "app/x/leaf.tsx": `"use client"; import { useTranslations } from "next-intl"; import { helper } from "./helper"; export function Leaf() { useTranslations("b.sub"); helper(); return null; }`,
        "app/x/helper/index.ts": `import { useTranslations } from "next-intl"; export function helper() { return useTranslations(\`a\`); }`,
        "app/x/other.tsx": `"use client"; import { useTranslations } from "next-intl"; export function Other() { const t = useTranslations(); return t("rest.t"); }`,
        "app/(group)/y/page.tsx": `export default function Y() { return null; }`,
      },
      catalog,
    );
    expect(computeClientNamespaces(dir)).toEqual({
      "/x/[id]": ["a", "b", "errors", "rest", "shell"],
      "/y": ["errors", "shell"],
    });
  });

  it("falls back to the keys named anywhere in the route's modules when a root translator gets a computed key", () => {
    const dir = project(
      {
        "app/page.tsx": `import { Form } from "./form"; import { save } from "./actions"; export default function P() { return <Form action={save} />; }`,
        "app/actions.ts": `"use server"; export async function save() { return { ok: false, message: "errors.boom", other: "b.title", perm: "a.write" }; }`,
        "app/form.tsx": `"use client"; import { useTranslations } from "next-intl"; export function Form({ state }) { const t = useTranslations(); return t(state.message); }`,
      },
      catalog,
    );
    expect(computeClientNamespaces(dir)).toEqual({ "/": ["b", "errors"] });
  });

  it("fails loudly on a namespace it cannot resolve", () => {
    const dir = project(
      {
        "app/page.tsx": `import { Card } from "./card"; export default function P() { return <Card ns="a" />; }`,
        "app/card.tsx": `"use client"; import { useTranslations } from "next-intl"; export function Card({ ns }) { useTranslations(ns); return null; }`,
      },
      catalog,
    );
    expect(() => computeClientNamespaces(dir)).toThrow(NamespaceAnalysisError);
    expect(() => computeClientNamespaces(dir)).toThrow(/app\/card\.tsx:1: useTranslations\(ns\)/);
  });

  it("ships everything to a page whose client code reads the whole catalog", () => {
    const dir = project(
      { "app/page.tsx": `"use client"; import { useMessages } from "next-intl"; export default function P() { useMessages(); return null; }` },
      catalog,
    );
    expect(computeClientNamespaces(dir)).toEqual({ "/": Object.keys(catalog).sort() });
  });
});
