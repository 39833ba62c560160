/**
 * The process's SMTP transport (lib/mail/transport.ts) against real sockets on loopback: connections are reused
 * (a pool), a failed connection does not take a pool slot for good, and a message whose connection drops after
 * the DATA was sent is reported failed, not silently resent by nodemailer (the job engine's retry decides).
 */
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { closeSmtpTransport, sendSmtp } from "@/lib/mail/transport";

const mail = (i: number) => ({ from: "rep@sender.test", to: `prospect${i}@prospect.test`, subject: `Hello ${i}`, text: "Hi", messageId: `<m${i}@sender.test>` });

afterEach(() => closeSmtpTransport());

async function listen(server: net.Server | SMTPServer) {
  const s = server instanceof SMTPServer ? server.server : server;
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return (s.address() as AddressInfo).port;
}

/**
 * A minimal SMTP server that reads each message whole and then, the first `drops` times, closes the connection
 * instead of answering 250 (the message reached the server; the client never hears so).
 */
async function droppingServer(drops: number) {
  const received: string[] = [];
  let dropped = 0;
  const server = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    socket.write("220 drop.test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          received.push(/^message-id:\s*(\S+)/im.exec(buffer.slice(0, end))?.[1] ?? "");
          buffer = buffer.slice(end + 5);
          inData = false;
          if (dropped < drops) {
            dropped += 1;
            socket.destroy();
            return;
          }
          socket.write("250 OK queued\r\n");
          continue;
        }
        const nl = buffer.indexOf("\r\n");
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") socket.write("250-drop.test\r\n250 8BITMIME\r\n");
        else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 OK\r\n");
      }
    });
    socket.on("error", () => {});
  });
  const port = await listen(server);
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("SMTP transport", () => {
  it("sends consecutive messages over one connection, and concurrent ones over at most five", async () => {
    let connections = 0;
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      disableReverseLookup: true,
      logger: false,
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
      onData(stream, _session, callback) {
        let raw = "";
        stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
        stream.on("end", () => {
          received.push(/^message-id:\s*(\S+)/im.exec(raw)?.[1] ?? "");
          callback();
        });
      },
    });
    const url = `smtp://127.0.0.1:${await listen(server)}`;
    try {
      for (let i = 0; i < 10; i++) await sendSmtp(url, mail(i));
      expect(connections).toBe(1);
      await Promise.all(Array.from({ length: 40 }, (_, i) => sendSmtp(url, mail(100 + i))));
      expect(connections).toBeLessThanOrEqual(5);
      expect(received).toHaveLength(50);
      expect(new Set(received).size).toBe(50);
    } finally {
      closeSmtpTransport();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("keeps answering when the server is down: every message fails with the connect error, none waits", async () => {
    const probe = net.createServer();
    const port = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    // More failures than the pool has connections: a failed connection must give its slot back.
    for (let i = 0; i < 8; i++) await expect(sendSmtp(`smtp://127.0.0.1:${port}`, mail(i))).rejects.toThrow(/ECONNREFUSED/);
  });

  it("reports a message whose connection dropped after DATA as failed instead of resending it", async () => {
    const server = await droppingServer(1);
    try {
      await expect(sendSmtp(server.url, mail(1))).rejects.toThrow();
      expect(server.received).toEqual(["<m1@sender.test>"]);
      // The pool is still usable: the next message goes out on a new connection, once.
      await sendSmtp(server.url, mail(2));
      expect(server.received).toEqual(["<m1@sender.test>", "<m2@sender.test>"]);
    } finally {
      closeSmtpTransport();
      await server.close();
    }
  });
});
