import { sendSmtp } from "../mail/transport";

/*
 * Where sequence messages leave the building: email over SMTP (nodemailer, SMTP_URL) and SMS through a
 * Twilio-compatible HTTP API (SMS_API_URL, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM). Without those settings a
 * message is "captured": kept in the Outbox and not sent, so the demo works. Env is read at call time.
 */

export type OutgoingEmail = {
  from: { address: string; name: string | null };
  to: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
};
export type OutgoingSms = { to: string; body: string };

export type DeliveryResult = { status: "sent"; providerId: string | null } | { status: "captured" };

export type SequenceTransports = {
  email: (mail: OutgoingEmail) => Promise<DeliveryResult>;
  sms: (sms: OutgoingSms) => Promise<DeliveryResult>;
};

export async function sendEmail(mail: OutgoingEmail, smtpUrl = process.env.SMTP_URL): Promise<DeliveryResult> {
  if (!smtpUrl) return { status: "captured" };
  const info = await sendSmtp(smtpUrl, {
    from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? undefined,
    references: mail.references.length ? mail.references : undefined,
    headers: mail.headers,
  });
  return { status: "sent", providerId: info.messageId ?? mail.messageId };
}

export type SmsSettings = { apiUrl?: string; accountSid?: string; authToken?: string; from?: string };

const smsEnv = (): SmsSettings => ({ apiUrl: process.env.SMS_API_URL, accountSid: process.env.SMS_ACCOUNT_SID, authToken: process.env.SMS_AUTH_TOKEN, from: process.env.SMS_FROM });

/**
 * Twilio's Messages API shape: POST {SMS_API_URL}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded
 * To/From/Body, HTTP basic auth sid:token; the answer's `sid` is kept. Any 2xx is accepted; anything else throws
 * (the delivery job retries with backoff).
 */
export async function sendSms(sms: OutgoingSms, settings: SmsSettings = smsEnv()): Promise<DeliveryResult> {
  if (!settings.apiUrl || !settings.accountSid || !settings.authToken || !settings.from) return { status: "captured" };
  const url = new URL(`2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`, settings.apiUrl.endsWith("/") ? settings.apiUrl : `${settings.apiUrl}/`);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ To: sms.to, From: settings.from, Body: sms.body }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`SMS API answered ${response.status}`);
  const json = (await response.json().catch(() => ({}))) as { sid?: string };
  return { status: "sent", providerId: json.sid ?? null };
}

export const defaultTransports: SequenceTransports = { email: (m) => sendEmail(m), sms: (s) => sendSms(s) };
