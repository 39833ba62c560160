import type { AddressInfo } from "node:net";
import net from "node:net";
import { SMTPServer } from "smtp-server";

export type Verdict = { code: number; message: string } | null;
export type Policy = (recipient: string, attempt: number) => Verdict;

/**
 * A loopback SMTP server whose answer to each message is decided by `policy` (from the recipient and how many
 * times that recipient was tried): null accepts, else the SMTP error code given (4xx temporary, 5xx permanent).
 * Keeps what it accepted (Message-ID per recipient) and when each attempt arrived, on the clock `clock()`.
 */
export async function startFaultySmtp(policy: Policy, clock: () => number, opts: { delayMs?: number } = {}) {
  const accepted: { to: string; messageId: string }[] = [];
  const attempts = new Map<string, number[]>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const finish = () => {
          const to = session.envelope.rcptTo.map((r) => r.address).join(",");
          const list = attempts.get(to) ?? [];
          list.push(clock());
          attempts.set(to, list);
          const verdict = policy(to, list.length);
          if (verdict) {
            const error = new Error(verdict.message) as Error & { responseCode: number };
            error.responseCode = verdict.code;
            return callback(error);
          }
          const raw = Buffer.concat(chunks).toString("utf8");
          accepted.push({ to, messageId: /^message-id:\s*(\S+)/im.exec(raw)?.[1] ?? "" });
          callback();
        };
        if (opts.delayMs) setTimeout(finish, opts.delayMs);
        else finish();
      });
    },
  });
  // A client killed mid-dialogue (the SIGKILL test) resets its connections: smtp-server reports that as an
  // "error" event, which without a listener is an uncaught exception in the test process. Kept, not thrown.
  const connectionErrors: Error[] = [];
  server.on("error", (error: Error) => connectionErrors.push(error));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { accepted, attempts, connectionErrors, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port with nothing listening on it (an SMTP server that is down). */
export async function deadPort(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

/** How many times each value occurs. */
export function counts(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
