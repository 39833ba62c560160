/**
 * Which message namespaces the browser needs on a page. The table is generated from the code
 * (scripts/i18n-client-namespaces.ts → client-namespaces.generated.ts); this module matches a request path to
 * its route the way the App Router does, and picks those namespaces out of a catalog. Pure: used by the root
 * layout on the server and by RouteMessages in the browser.
 */
import { clientNamespacesByRoute } from "./client-namespaces.generated";

type Segment = { kind: "static"; value: string } | { kind: "dynamic" } | { kind: "catchAll" } | { kind: "optionalCatchAll" };
type CompiledRoute = { pattern: string; segments: Segment[] };

function compile(pattern: string): CompiledRoute {
  const segments = pattern
    .split("/")
    .filter(Boolean)
    .map((s): Segment => {
      if (/^\[\[\.\.\..+\]\]$/.test(s)) return { kind: "optionalCatchAll" };
      if (/^\[\.\.\..+\]$/.test(s)) return { kind: "catchAll" };
      if (/^\[.+\]$/.test(s)) return { kind: "dynamic" };
      return { kind: "static", value: s };
    });
  return { pattern, segments };
}

/** Ranks a match as Next does: at the first differing segment, static beats dynamic beats catch-all. */
const RANK: Record<Segment["kind"], number> = { static: 0, dynamic: 1, catchAll: 2, optionalCatchAll: 3 };

function matches(route: CompiledRoute, parts: string[]): boolean {
  const { segments } = route;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "catchAll") return parts.length > i;
    if (segment.kind === "optionalCatchAll") return true;
    if (i >= parts.length) return false;
    if (segment.kind === "static" && segment.value !== parts[i]) return false;
  }
  return parts.length === segments.length;
}

function compare(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return x ? -1 : 1;
    if (RANK[x.kind] !== RANK[y.kind]) return RANK[x.kind] - RANK[y.kind];
  }
  return 0;
}

export function createRouteMatcher(routes: readonly string[]): (pathname: string) => string | null {
  const compiled = routes.map(compile).sort(compare);
  return (pathname) => {
    const parts = pathname.split(/[?#]/, 1)[0]!.split("/").filter(Boolean);
    let decoded: string[];
    try {
      decoded = parts.map((p) => decodeURIComponent(p));
    } catch {
      return null;
    }
    return compiled.find((r) => matches(r, decoded))?.pattern ?? null;
  };
}

const matchRoute = createRouteMatcher(Object.keys(clientNamespacesByRoute));

/** The page route a request path renders ("/w/acme/pipelines/1?x" → "/w/[workspace]/pipelines/[pipelineId]"), or null. */
export function routeFor(pathname: string): string | null {
  return matchRoute(pathname);
}

/**
 * The namespaces the page at `pathname` can use in the browser, or null when the path matches no known page (a
 * 404, or a page added since the table was generated): callers then ship every namespace.
 */
export function namespacesFor(pathname: string | null | undefined): readonly string[] | null {
  if (!pathname) return null;
  const route = routeFor(pathname);
  return route ? clientNamespacesByRoute[route]! : null;
}

/**
 * Routes whose HTML carries no messages at all: the browser takes the page's namespaces from the catalog chunks
 * (cached by the browser across pages and visits) before it hydrates, while the server renders with them as
 * usual (RouteMessages). For a page opened all day whose HTML has a size budget — the board (issue #11, 60 KB;
 * its namespaces were ~19 KB of it) — one round trip before hydration beats re-sending the same strings with
 * every render. Decision 50.
 */
const MESSAGES_NOT_INLINED: ReadonlySet<string> = new Set(["/w/[workspace]/pipelines/[pipelineId]"]);

/**
 * The namespaces the root layout puts in the page's HTML: the page's own (namespacesFor), none on a route of
 * MESSAGES_NOT_INLINED, and every one (null) for a path matching no known page.
 */
export function inlineNamespacesFor(pathname: string | null | undefined): readonly string[] | null {
  const route = pathname ? routeFor(pathname) : null;
  return route && MESSAGES_NOT_INLINED.has(route) ? [] : namespacesFor(pathname);
}

/** The given namespaces of a catalog (all of it when `namespaces` is null). */
export function pickMessages<M extends Record<string, unknown>>(messages: M, namespaces: readonly string[] | null): Partial<M> {
  if (!namespaces) return messages;
  const out: Record<string, unknown> = {};
  for (const ns of namespaces) if (ns in messages) out[ns] = messages[ns];
  return out as Partial<M>;
}
