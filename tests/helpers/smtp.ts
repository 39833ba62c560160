import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll } from "vitest";
import { closeSmtpTransport } from "@/lib/mail/transport";

export type ReceivedMail = { to: string[]; raw: string };

/**
 * A real SMTP server on loopback that keeps what it receives (tests point SMTP_URL at `url`). `refuse(true)`
 * makes it answer every recipient with 550 (a hard failure) until `refuse(false)`.
 */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  let refusing = false;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(refusing ? Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    refuse: (on: boolean) => void (refusing = on),
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type SmtpSink = Awaited<ReturnType<typeof startSmtp>>;

/**
 * The mail environment of a test file that sends sequence email: a loopback SMTP sink started before the file's
 * tests, with SMTP_URL pointing at it and the AUTH_SECRET and APP_URL the unsubscribe links are signed and built
 * with; afterwards the app's pooled SMTP transport is closed, the sink stopped and the variables restored. Call it
 * at the top level of the file; the sink's fields are read once its beforeAll has run.
 */
export function smtpSinkForFile(): Pick<SmtpSink, "received" | "refuse" | "url"> {
  const saved = { SMTP_URL: process.env.SMTP_URL, AUTH_SECRET: process.env.AUTH_SECRET, APP_URL: process.env.APP_URL };
  let sink: SmtpSink | undefined;
  beforeAll(async () => {
    sink = await startSmtp();
    process.env.SMTP_URL = sink.url;
    process.env.AUTH_SECRET = "test-secret-for-unsubscribe-links";
    process.env.APP_URL = "https://crm.example.test";
  });
  afterAll(async () => {
    Object.assign(process.env, saved);
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    closeSmtpTransport();
    await sink?.close();
  });
  const started = () => {
    if (!sink) throw new Error("smtpSinkForFile: the sink starts in beforeAll");
    return sink;
  };
  return {
    get received() {
      return started().received;
    },
    get url() {
      return started().url;
    },
    refuse: (on: boolean) => started().refuse(on),
  };
}
