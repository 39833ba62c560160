/**
 * Child process of the sequence-email benchmark. argv: <mode> <target json> <count> <smtp url>
 *   app   — a workspace with 4 senders (the daily limit is per sender, at most 5,000), <count> contacts enrolled
 *           in a one-email sequence whose window is always open; then the job engine (sequence-step renders
 *           into the outbox, sequence-deliver sends over SMTP) runs until nothing is due. Measured: from the
 *           first tick to the last delivery.
 *   floor — nodemailer straight to the same SMTP server at its best rate: the same number of messages of the
 *           same shape, all handed at once to the SMTP pool the app uses (lib/mail/transport.ts: nodemailer's
 *           SMTPPool, 5 connections, TCP_NODELAY), so every connection is kept busy.
 * Prints one JSON line: { ms, sent, peakRssMb }.
 */
import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { messages } from "@/db/schema";
import { closeSmtpTransport, sendSmtp } from "@/lib/mail/transport";
import { runDueJobs } from "@/lib/jobs/runner";
import { sequenceJobHandlers } from "@/lib/sequences/jobs";
import { escapeHtml, renderEmailHtml, renderTemplate } from "@/lib/sequences/template";
import { unsubscribePageUrl, unsubscribePostUrl, unsubscribeToken } from "@/lib/sequences/unsubscribe";
import { enrolledSequence } from "../../tests/helpers/sequence";
import { openBenchDb } from "../lib/db";

const SUBJECT = "Quick question, {{contact.first_name}}";
const BODY = 'Hi {{contact.first_name | "there"}},\n\nDoes {{company.name | "your team"}} need help with its pipeline?\n\nBest,\nThe bench';

async function app(target: Parameters<typeof openBenchDb>[0], n: number) {
  const bench = await openBenchDb(target);
  const { db } = bench;
  try {
    // The daily limit is per sender (at most 5,000): 4 senders, the contacts shared round-robin.
    const { workspaceId } = await enrolledSequence(db, n, "bench", new Date(), {
      senders: 4,
      senderEmail: (i) => `sender${i}-${process.pid}@bench.test`,
      name: `Sequence bench ${process.pid}`,
      sequenceName: "Bench outbound",
      domain: "prospect.test",
      recipientPrefix: "prospect",
      subject: SUBJECT,
      body: BODY,
    });

    const started = performance.now();
    const kinds = Object.keys(sequenceJobHandlers);
    for (;;) {
      const stats = await runDueJobs(db, new Date(), sequenceJobHandlers, { maxJobs: 5000, kinds, log: (m) => console.error(m) });
      if (stats.claimed === 0) break;
    }
    const ms = performance.now() - started;
    const [sent] = await db.select({ n: count() }).from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.status, "sent")));
    return { ms, sent: sent!.n, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    closeSmtpTransport();
    await bench.close();
  }
}

/**
 * nodemailer's best rate to the sink: every message handed to the app's SMTP pool at once (lib/mail/transport.ts:
 * nodemailer's SMTPPool, 5 connections of up to 100 messages each, TCP_NODELAY), so all connections stay busy.
 * Each message has the shape of the app's: the merged text with its unsubscribe line, the HTML alternative
 * (lib/sequences/template.ts renderEmailHtml, the same footer), the List-Unsubscribe headers with a signed token.
 * (Until 2026-11-28 the floor sent the text alone, less work per message than the app's.)
 */
async function floor(n: number, smtpUrl: string) {
  const values = { "contact.first_name": "Prospect", "company.name": null };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const id = randomUUID();
      const token = unsubscribeToken(id);
      const pageUrl = unsubscribePageUrl(token);
      return sendSmtp(smtpUrl, {
        from: { name: "Sender 0", address: "sender0@bench.test" },
        to: `prospect${i}@prospect.test`,
        subject: renderTemplate(SUBJECT, values),
        text: `${renderTemplate(BODY, values)}\n\n--\nUnsubscribe with one click: ${pageUrl}`,
        html: renderEmailHtml(BODY, values, `<p style="margin-top:24px;font-size:12px;color:#71717a"><a href="${escapeHtml(pageUrl)}" style="color:#71717a">Unsubscribe</a></p>`),
        messageId: `<seq.${id}@bench.test>`,
        headers: { "List-Unsubscribe": `<${unsubscribePostUrl(token)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      });
    }),
  );
  const ms = performance.now() - started;
  closeSmtpTransport();
  return { ms, sent: n, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function main() {
  const [mode, target, n, smtpUrl] = process.argv.slice(2);
  process.env.SMTP_URL = smtpUrl;
  process.env.AUTH_SECRET ??= "bench-secret-for-unsubscribe-links-0123456789";
  process.env.APP_URL ??= "https://crm.example.test";
  const result = mode === "app" ? await app(JSON.parse(target!), Number(n)) : await floor(Number(n), smtpUrl!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
