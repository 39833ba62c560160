import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook } from "@/lib/workflows/webhook";

// A receiver on loopback: reachable only when private targets are allowed. Every way of spelling 127.0.0.1 in a
// URL must be refused otherwise, and nothing may reach the receiver.
let server: http.Server;
let port: number;
const received: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(`${req.headers["x-pipewise-signature"]} ${body}`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const delivery = (url: string) => ({ url, secret: "whsec_test", deliveryId: "d1", event: "deal.won", body: { ok: true } });
const now = new Date("2026-03-10T09:00:00Z");

describe("webhook delivery and SSRF", () => {
  it("refuses loopback however it is written, and a name that resolves to it", async () => {
    for (const host of ["127.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "0.0.0.0"]) {
      await expect(deliverWebhook(delivery(`http://${host}:${port}/hook`), now, {})).rejects.toMatchObject({ name: expect.stringMatching(/PermanentJobError|Error/), message: expect.stringMatching(/private/) });
    }
    expect(received).toEqual([]);
  });

  it("delivers, signed, when private targets are explicitly allowed", async () => {
    await expect(deliverWebhook(delivery(`http://127.0.0.1:${port}/hook`), now, { PIPEWISE_WEBHOOK_ALLOW_PRIVATE: "1" })).resolves.toEqual({ status: 204 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^sha256=[0-9a-f]{64} \{"ok":true\}$/);
  });
});
