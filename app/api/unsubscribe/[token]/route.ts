/**
 * POST /api/unsubscribe/:token — the one-click unsubscribe of RFC 8058 (mail clients POST
 * "List-Unsubscribe=One-Click" to the List-Unsubscribe URL) and the confirmation button of /u/:token.
 * No session: the token is an HMAC-signed reference to the message it came in. Idempotent: a second call
 * changes nothing. GET does nothing (link scanners must not unsubscribe anyone): it redirects to the page.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { unsubscribeByToken } from "@/lib/inbound/unsubscribe";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const result = await unsubscribeByToken(await getDb(), new Date(), token);
  const fromPage = (request.headers.get("content-type") ?? "").includes("form") && (await request.formData().catch(() => null))?.get("from") === "page";
  if (fromPage) return NextResponse.redirect(new URL(`/u/${encodeURIComponent(token)}?done=1`, request.url), 303);
  return new NextResponse(result === "done" ? "Unsubscribed." : "Unknown link.", { status: result === "done" ? 200 : 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function GET(request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return NextResponse.redirect(new URL(`/u/${encodeURIComponent(token)}`, request.url), 303);
}
