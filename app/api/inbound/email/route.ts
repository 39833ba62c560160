/**
 * POST /api/inbound/email — a reply (or bounce, or out-of-office answer) to a sequence email, as a raw MIME
 * message: the request body itself (message/rfc822 or text/plain), or the `email` / `message` field of a form post
 * (SendGrid's and Mailgun's inbound parse formats). Called by the mail provider for each message received.
 * Auth: INBOUND_SECRET as bearer token or basic-auth password (401 otherwise; 503 while unset).
 * Idempotency: each inbound Message-ID is recorded once; a redelivered webhook changes nothing.
 * Partial failure: everything a message causes happens in one transaction; a failure answers 500 and the
 * provider retries. An unmatched message answers 202 with { matched: false } (nothing to retry).
 */
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { checkInboundAuth } from "@/lib/inbound/auth";
import { receiveInboundEmail } from "@/lib/inbound/email";

export const dynamic = "force-dynamic";

const MAX_BYTES = 10 * 1024 * 1024;

/** The body, or null once it passes `max` bytes (a chunked body declares no length up front). */
async function readCapped(request: NextRequest, max: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function POST(request: NextRequest) {
  const auth = checkInboundAuth(request.headers.get("authorization"), process.env);
  if (!auth.ok) return NextResponse.json({ error: auth.error }, { status: auth.status, headers: auth.status === 401 ? { "WWW-Authenticate": 'Bearer, Basic realm="inbound"' } : {} });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BYTES) return NextResponse.json({ error: "too large" }, { status: 413 });
  const type = request.headers.get("content-type") ?? "";
  const body = await readCapped(request, MAX_BYTES);
  if (body === null) return NextResponse.json({ error: "too large" }, { status: 413 });
  let raw: string;
  if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData().catch(() => null);
    const field = form?.get("email") ?? form?.get("message") ?? form?.get("body-mime");
    raw = typeof field === "string" ? field : field ? await field.text() : "";
  } else {
    raw = body.toString("utf8");
  }
  if (!raw.trim() || raw.length > MAX_BYTES) return NextResponse.json({ error: "expected a raw MIME message" }, { status: 400 });
  const result = await receiveInboundEmail(await getDb(), new Date(), raw);
  return NextResponse.json(result.matched ? { matched: true, kind: result.kind, duplicate: result.duplicate } : { matched: false }, { status: result.matched ? 200 : 202 });
}
