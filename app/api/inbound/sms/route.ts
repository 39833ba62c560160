/**
 * POST /api/inbound/sms — an SMS answer to a sequence, as Twilio-compatible providers post it (form fields From,
 * To, Body, MessageSid; JSON with the same names is accepted too). STOP and the other standard opt-out keywords
 * unsubscribe the contact; anything else is a reply that stops the enrollment.
 * Auth: INBOUND_SECRET as bearer token or basic-auth password (401 otherwise; 503 while unset).
 * Idempotency: one record per MessageSid. Partial failure: one transaction; a failure answers 500 (retried).
 * The answer is empty TwiML, so the provider sends nothing back to the person.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { checkInboundAuth } from "@/lib/inbound/auth";
import { receiveInboundSms } from "@/lib/inbound/sms";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest) {
  const auth = checkInboundAuth(request.headers.get("authorization"), process.env);
  if (!auth.ok) return NextResponse.json({ error: auth.error }, { status: auth.status, headers: auth.status === 401 ? { "WWW-Authenticate": 'Bearer, Basic realm="inbound"' } : {} });
  let fields: Record<string, unknown>;
  if ((request.headers.get("content-type") ?? "").includes("json")) fields = ((await request.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  else fields = Object.fromEntries((await request.formData().catch(() => new FormData())).entries());
  const from = typeof fields.From === "string" ? fields.From : "";
  const body = typeof fields.Body === "string" ? fields.Body : "";
  const sid = typeof fields.MessageSid === "string" ? fields.MessageSid : typeof fields.SmsSid === "string" ? fields.SmsSid : "";
  if (!from || !sid) return NextResponse.json({ error: "expected From, Body and MessageSid" }, { status: 400 });
  await receiveInboundSms(await getDb(), new Date(), { from, body: body.slice(0, 2000), sid: sid.slice(0, 100) });
  return new NextResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', { status: 200, headers: { "Content-Type": "text/xml" } });
}
