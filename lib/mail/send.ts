import { isDemoMode } from "../demo";
import { sendSmtp } from "./transport";

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Files sent with the message (e.g. the monthly report pack's XLSX). */
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
};

export type SendResult = { delivered: true; messageId: string } | { delivered: false; reason: "captured" };

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? "Pipewise <no-reply@pipewise.local>";
}

/**
 * Sends over SMTP (SMTP_URL, e.g. smtp://user:pass@host:587) through the process's connection pool
 * (lib/mail/transport.ts). Without SMTP_URL the message is
 * captured: logged to the server console so a demo still shows the link, and reported as not delivered.
 */
export async function sendMail(mail: OutgoingMail, smtpUrl = process.env.SMTP_URL): Promise<SendResult> {
  if (!smtpUrl) {
    // The body carries sign-in links (password reset, invitations): print it only for the local demo, never in a
    // real deployment's logs.
    console.info(`[mail not sent: SMTP_URL unset] to=${mail.to} subject=${JSON.stringify(mail.subject)}${isDemoMode() ? `\n${mail.text}` : ""}`);
    return { delivered: false, reason: "captured" };
  }
  const info = await sendSmtp(smtpUrl, {
    from: mailFrom(),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    attachments: mail.attachments,
  });
  return { delivered: true, messageId: info.messageId };
}
