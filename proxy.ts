import { NextResponse, type NextRequest } from "next/server";

/**
 * A convenience, not a guard (every page, action and route authorizes by itself): signed-out visitors of a
 * workspace page go to the sign-in page with the page they wanted as callbackUrl, and every workspace request
 * carries its path so requireUser can do the same when a session turns out to be revoked.
 */
export function proxy(request: NextRequest) {
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  const signedIn = request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
  if (!signedIn) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", path);
    return NextResponse.redirect(login);
  }
  const headers = new Headers(request.headers);
  headers.set("x-pipewise-path", path);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/w/:path*"] };
