import { NextResponse, type NextRequest } from "next/server";

/**
 * The Content-Security-Policy of every page: scripts only with this response's nonce ('strict-dynamic' lets
 * Next's own chunk loader add the scripts it needs), no inline scripts, no plugins, no framing. Next.js reads the
 * nonce from the request's CSP header and puts it on the scripts it renders. Styles may be inline (React style
 * attributes, chart libraries); scripts may not. Development needs 'unsafe-eval' for React's dev tooling.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const WORKSPACE = /^\/w(\/|$)/;
/** The request headers the proxy sets for the app (the nonce, the CSP it is read from, the page's path). */
const OUR_HEADERS = ["x-nonce", "content-security-policy", "x-pipewise-path"] as const;

/**
 * Runs before every page (not API routes, static files or prefetches; server actions pass through): sets the
 * page's CSP with a fresh nonce, and — a convenience, not a guard (every page, action and route authorizes by itself) — sends
 * signed-out visitors of a workspace page to the sign-in page with the page they wanted as callbackUrl; workspace
 * requests carry their path so requireUser can do the same when a session turns out to be revoked. Every page's
 * request carries its path (`x-pipewise-path`), which the root layout uses to send only the messages that page
 * needs (every message when it is absent, as in the page an action redirects to).
 */
export function proxy(request: NextRequest) {
  // A server action (a POST naming one in Next-Action) answers a React payload, not a document: no nonce to make,
  // and the action authenticates by itself (decision 64). Only the headers we set are taken away, so they are
  // never the client's own. The method is checked here because a matcher cannot: Next.js renders a GET that
  // carries the header as the page it names, which gets its nonce below.
  if (request.method === "POST" && request.headers.has("next-action")) {
    const headers = new Headers(request.headers);
    for (const name of OUR_HEADERS) headers.delete(name);
    return NextResponse.next({ request: { headers } });
  }
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (WORKSPACE.test(request.nextUrl.pathname)) {
    const signedIn = request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
    if (!signedIn) {
      const login = new URL("/login", request.url);
      login.searchParams.set("callbackUrl", path);
      return NextResponse.redirect(login);
    }
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  // Always set (never the client's own value): requireUser's callbackUrl and the root layout's choice of message
  // namespaces (lib/i18n/client-namespaces.ts) read it.
  headers.set("x-pipewise-path", path);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes answer JSON (their CSP comes from next.config.ts), static files need none.
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon|apple-icon|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
