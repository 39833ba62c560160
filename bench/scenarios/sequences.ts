import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { runChild } from "../lib/child";
import { row, type Row } from "../lib/results";

type Target = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };
type Result = { ms: number; sent: number; peakRssMb: number };

/** A loopback SMTP sink (smtp-server) in this process: counts messages and their distinct Message-IDs. */
async function smtpSink() {
  const ids: string[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true, // a DNS lookup per connection would be the sink's cost, not the sender's
    logger: false,
    onData(stream, _session, callback) {
      let head = "";
      stream.on("data", (c: Buffer) => {
        if (head.length < 8192) head += c.toString("utf8");
      });
      stream.on("end", () => {
        ids.push(/^message-id:\s*(\S+)/im.exec(head)?.[1] ?? "");
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { ids, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Due sequence emails delivered by the engine to a loopback SMTP server vs nodemailer's raw rate to the same
 * server; each message must arrive exactly once (distinct Message-IDs = messages = enrolments).
 */
export async function sequenceScenario(target: Target, o: { quick: boolean; label: string; log: (m: string) => void; emails?: number }): Promise<Row[]> {
  const n = o.emails ?? (o.quick ? 50 : 10_000);
  const sink = await smtpSink();
  try {
    const where: Target = target.kind === "pglite" ? { kind: "pglite", dir: `${target.dir}-sequences` } : target;
    const app = await runChild<Result>("sequences.ts", ["app", JSON.stringify(where), String(n), sink.url]);
    const received = sink.ids.length;
    const distinct = new Set(sink.ids).size;
    sink.ids.length = 0;
    const floor = await runChild<Result>("sequences.ts", ["floor", "{}", String(n), sink.url]);
    const rate = (app.sent / app.ms) * 1000;
    const floorRate = (floor.sent / floor.ms) * 1000;
    const share = rate / floorRate;
    o.log(`[sequences] ${n} emails: engine ${rate.toFixed(0)}/s (${(app.ms / 1000).toFixed(1)} s), nodemailer raw ${floorRate.toFixed(0)}/s; received ${received}, distinct ${distinct}, marked sent ${app.sent}`);
    return [
      row({
        name: `sequence emails: ${n.toLocaleString("en-US")} due, engine ${rate.toFixed(0)}/s vs nodemailer ${floorRate.toFixed(0)}/s (≥ 50 %); ${received} received, ${distinct} distinct${o.label}`,
        median_ms: app.ms / Math.max(app.sent, 1),
        floor_ms: floor.ms / floor.sent,
        ratio: share,
        target_ratio: 0.5,
        target_text: "≥ 0.5× rate, once each",
        met: share >= 0.5 && received === n && distinct === n && app.sent === n,
        peak_rss_mb: app.peakRssMb,
      }),
    ];
  } catch (error) {
    o.log(`[sequences] failed: ${error instanceof Error ? error.message : String(error)}`);
    return [row({ name: `sequence emails: FAILED${o.label}`, met: false })];
  } finally {
    await sink.close();
  }
}
