/**
 * What an inbound email is, from its headers and subject, pure: a delivery-status notification (bounce), an
 * automatic reply (out of office, vacation), or a person's reply.
 */

export type InboundEmailKind = "bounce" | "auto_reply" | "reply";

export type InboundHeaders = {
  /** Lower-cased header names; values as strings. */
  get(name: string): string | undefined;
};

const AUTO_SUBJECT = [
  /^\s*(auto(matic)?[ -]?reply|autoreply|auto[ -]?response)\b/i,
  /\bout of (the )?office\b/i,
  /\bon (vacation|holiday|leave)\b/i,
  /^\s*(abwesenheitsnotiz|automatische antwort|réponse automatique|absence du bureau|respuesta automática|fuera de la oficina)/i,
  /自动回复|自動回覆|不在办公室|休假/,
];

const BOUNCE_SUBJECT = [/^\s*(undeliverable|undelivered mail|delivery status notification \(failure\)|mail delivery (failed|failure)|returned mail|failure notice)/i];

export function classifyInboundEmail(headers: InboundHeaders, subject: string, from: string): InboundEmailKind {
  const contentType = (headers.get("content-type") ?? "").toLowerCase();
  if (contentType.startsWith("multipart/report") && /report-type\s*=\s*"?delivery-status/.test(contentType)) return "bounce";
  if (/^(mailer-daemon|postmaster)@/i.test(from) && BOUNCE_SUBJECT.some((r) => r.test(subject))) return "bounce";
  const autoSubmitted = (headers.get("auto-submitted") ?? "").toLowerCase().trim();
  if (autoSubmitted && autoSubmitted !== "no") return "auto_reply";
  if (headers.get("x-autoreply") !== undefined || headers.get("x-autorespond") !== undefined) return "auto_reply";
  const precedence = (headers.get("precedence") ?? "").toLowerCase().trim();
  if (precedence === "auto_reply" || precedence === "bulk" || precedence === "junk") return "auto_reply";
  if ((headers.get("x-auto-response-suppress") ?? "").toLowerCase().includes("oof")) return "auto_reply";
  if (AUTO_SUBJECT.some((r) => r.test(subject))) return "auto_reply";
  return "reply";
}

/** Message-IDs in a header value (`<a@b> <c@d>`), with their angle brackets. */
export function messageIdsIn(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const joined = Array.isArray(value) ? value.join(" ") : value;
  const ids = joined.match(/<[^<>\s]+>/g);
  if (ids) return ids;
  return joined.split(/\s+/).filter(Boolean).map((id) => `<${id.replace(/^<|>$/g, "")}>`);
}

/** SMS keywords that opt a recipient out (CTIA / Twilio's standard list). */
export const SMS_STOP_WORDS = ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "退订"];

export function isSmsOptOut(body: string): boolean {
  return SMS_STOP_WORDS.includes(body.trim().toLowerCase().replace(/[.!]+$/, ""));
}

/** A phone number reduced to + and digits, for matching ("+1 (555) 010-2000" = "+15550102000"). */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, "");
  return digits.startsWith("00") ? `+${digits.slice(2)}` : digits;
}
