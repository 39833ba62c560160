import net from "node:net";
import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import SMTPPool from "nodemailer/lib/smtp-pool";
import SMTPTransport from "nodemailer/lib/smtp-transport";

/*
 * The one SMTP transport of the process (every email the app sends: sequences, workflows, invitations, digests,
 * report packs). What a message costs on a fresh connection per message, measured on loopback with smtp-server
 * (docs/performance.md, "Sequence emails"): ~146 ms, of which ~100 ms is the server's greeting delay (smtp-server
 * waits 100 ms before "220" to catch clients that talk too early; real servers do the same, often longer) and
 * ~45 ms is Nagle's algorithm meeting the server's delayed ACK at the end of DATA (the client holds the last
 * small segment until the previous one is acknowledged; the server delays that ACK by 40 ms because it has
 * nothing to answer yet). So, as a real mailer does:
 *   - a pool of connections (nodemailer's SMTPPool: up to 5 at once, each reused for up to 100 messages), kept
 *     while mail is flowing and closed (QUIT) after SMTP_IDLE_MS of quiet, as Postfix's connection cache does;
 *   - TCP_NODELAY on the socket: SMTP is a dialogue of short writes that each wait for an answer, so holding
 *     the last one back to coalesce it gains nothing and costs the delayed-ACK wait per message;
 *   - no silent resend: nodemailer's pool puts a message back in its queue when the connection closes mid-send
 *     without an error (maxRequeues is unlimited by default), which could deliver it twice and would bypass the
 *     job engine's backoff. Here such a message fails (maxRequeues 0) and the engine's retry decides (same
 *     Message-ID, backoff, attempt cap). A drop after the DATA is an error in nodemailer anyway (tested).
 * SMTP_URL's query string overrides any of these (nodemailer's URL options), e.g. `?maxConnections=2` for a
 * provider that limits concurrent connections, or `?pool=false` for one connection per message.
 */

/** Pool settings used unless SMTP_URL's query string says otherwise. */
export const SMTP_POOL_DEFAULTS = { maxConnections: 5, maxMessages: 100, maxRequeues: 0 } as const;
/** How long an idle pool keeps its connections before closing them (Postfix's connection cache keeps 2 s). */
const SMTP_IDLE_MS = 2_000;

type Entry = { url: string; transporter: Transporter; inFlight: number; idle?: NodeJS.Timeout };
let current: Entry | undefined;

/**
 * The TCP socket for nodemailer, with TCP_NODELAY (plain; nodemailer adds TLS for smtps:// or STARTTLS). Handed
 * over while still connecting: nodemailer then owns its errors and timeouts as for a socket of its own. (Were a
 * failed connect reported through this callback instead, nodemailer's pool would keep the failed connection in
 * its slot: after `maxConnections` such failures every later message waited forever.)
 */
function connectNoDelay(options: { host?: string; port?: number; secure?: boolean }, callback: (err: Error | null, socketOptions: { connection: net.Socket }) => void) {
  callback(null, { connection: net.connect({ host: options.host ?? "localhost", port: options.port ?? (options.secure ? 465 : 587), noDelay: true }) });
}

function create(url: string): Transporter {
  const pooled = new URL(url).searchParams.get("pool") !== "false";
  // The URL's own options (host, port, auth, query) win over ours: nodemailer merges `url` last.
  const transport = pooled
    ? new SMTPPool({ pool: true, ...SMTP_POOL_DEFAULTS, url, getSocket: connectNoDelay })
    : new SMTPTransport({ url, getSocket: connectNoDelay });
  return nodemailer.createTransport(transport);
}

function entryFor(url: string): Entry {
  if (current?.url === url) return current;
  const previous = current;
  current = { url, transporter: create(url), inFlight: 0 };
  // SMTP_URL changed (tests, a settings change): the old pool finishes what it has in hand, then closes.
  if (previous && previous.inFlight === 0) closeEntry(previous);
  return current;
}

function closeEntry(entry: Entry) {
  clearTimeout(entry.idle);
  if (current === entry) current = undefined;
  entry.transporter.close();
}

/**
 * Sends one message through the process's SMTP pool for `url` (SMTP_URL). Rejects with nodemailer's error (its
 * `responseCode` says 4xx or 5xx); the caller decides whether and when to retry.
 */
export async function sendSmtp(url: string, message: SendMailOptions): Promise<SMTPTransport.SentMessageInfo> {
  const entry = entryFor(url);
  clearTimeout(entry.idle);
  entry.inFlight += 1;
  try {
    return (await entry.transporter.sendMail(message)) as SMTPTransport.SentMessageInfo;
  } finally {
    entry.inFlight -= 1;
    if (entry.inFlight === 0) {
      if (current !== entry) closeEntry(entry);
      else {
        entry.idle = setTimeout(() => entry.inFlight === 0 && closeEntry(entry), SMTP_IDLE_MS);
        entry.idle.unref();
      }
    }
  }
}

/** Closes the pool now (QUIT on idle connections), e.g. before a test stops its SMTP server or a process exits. */
export function closeSmtpTransport(): void {
  if (current && current.inFlight === 0) closeEntry(current);
}
