/**
 * The SMTP server down, or answering 4xx (temporary) or 5xx (permanent), while sequence emails go out. The job
 * engine runs on a simulated clock that jumps to the next due job, so the retries' backoff (30 s, 1 min, 2 min,
 * 4 min) is checked on the times the server saw the attempts. Every message must end either received exactly
 * once or visibly failed (outbox status "failed" with the server's answer, shown on the Outbox page) — none lost,
 * none sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, inArray, isNull, lt, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { rows } from "@/db/migrate";
import { backoffMs } from "@/lib/jobs/backoff";
import { runDueJobs } from "@/lib/jobs/runner";
import { closeSmtpTransport } from "@/lib/mail/transport";
import { DELIVERY_MAX_ATTEMPTS } from "@/lib/sequences/runner";
import { sequenceJobHandlers } from "@/lib/sequences/jobs";
import { createTestDb, type TestDb } from "../helpers/db";
import { enrolledSequence, outbox } from "../helpers/sequence";
import { counts, deadPort, startFaultySmtp, type Policy } from "./helpers/smtp-faults";
import { record } from "./helpers/figures";

const START = new Date("2026-03-10T09:00:00Z");
const kinds = Object.keys(sequenceJobHandlers);
let t: TestDb;
let clock = START.getTime();

beforeAll(async () => {
  process.env.AUTH_SECRET ??= "chaos-secret-for-unsubscribe-links-0123456789";
  process.env.APP_URL ??= "https://crm.example.test";
  t = await createTestDb();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  await t.close();
});

/** Runs the job engine, jumping the clock to the next due job, until nothing is left to run. */
async function drain(onRound?: (round: number) => void) {
  for (let round = 0; round < 100; round++) {
    onRound?.(round);
    await runDueJobs(t.db, new Date(clock), sequenceJobHandlers, { kinds });
    const [next] = rows<{ at: string | null }>(
      await t.db.execute(sql`select min(run_at)::text as at from ${jobs} where ${and(isNull(jobs.doneAt), lt(jobs.attempts, jobs.maxAttempts), inArray(jobs.kind, kinds))}`),
    );
    if (!next?.at) return round;
    clock = Math.max(clock + 1, new Date(next.at).getTime());
  }
  throw new Error("the queue did not drain in 100 rounds");
}

async function scenario(tag: string, n: number, policy: Policy, opts: { downRounds?: number } = {}) {
  const smtp = await startFaultySmtp(policy, () => clock);
  const down = await deadPort();
  const seq = await enrolledSequence(t.db, n, tag, new Date(clock), { domain: "chaos.test" });
  process.env.SMTP_URL = opts.downRounds ? down : smtp.url;
  await drain((round) => {
    if (opts.downRounds && round === opts.downRounds) process.env.SMTP_URL = smtp.url;
  });
  closeSmtpTransport(); // the pool's idle connection would otherwise hold the server's close for up to 2 s
  await smtp.close();
  const box = await outbox(t.db, seq.workspaceId);
  // Nothing left waiting: every delivery job finished (a message that used up its attempts is settled as
  // "failed" in the outbox by its last attempt, which is where the Outbox page shows it with the error).
  const open = rows<{ n: number }>(
    await t.db.execute(sql`select count(*)::int as n from jobs where workspace_id = ${seq.workspaceId} and kind like 'sequence-%' and done_at is null`),
  )[0]!.n;
  return { smtp, seq, box, open };
}

const gaps = (times: number[]) => times.slice(1).map((x, i) => x - times[i]!);

describe("SMTP faults while sequence emails go out", () => {
  it("4xx twice, then accepted: retried with backoff, each message received exactly once", async () => {
    const { smtp, seq, box } = await scenario("tempfail", 4, (_to, attempt) => (attempt <= 2 ? { code: 451, message: "4.3.0 Try again later" } : null));
    expect(box).toHaveLength(4);
    expect(box.map((m) => m.status)).toEqual(["sent", "sent", "sent", "sent"]);
    expect(box.map((m) => m.attempts)).toEqual([3, 3, 3, 3]);
    expect([...counts(smtp.accepted.map((a) => a.to)).entries()].sort()).toEqual(seq.recipients.map((r) => [r, 1]).sort());
    expect(new Set(smtp.accepted.map((a) => a.messageId)).size).toBe(4);
    for (const r of seq.recipients) expect(gaps(smtp.attempts.get(r)!)).toEqual([backoffMs(1), backoffMs(2)]);
    record("smtp4xx", { messages: 4, attemptsEach: 3, received: smtp.accepted.length, backoffSeconds: gaps(smtp.attempts.get(seq.recipients[0]!)!).map((g) => g / 1000) });
  });

  it("5xx every time: retried with backoff, then failed visibly with the server's answer; nothing received", async () => {
    const { smtp, box, open, seq } = await scenario("permfail", 3, () => ({ code: 550, message: "5.1.1 Mailbox unavailable" }));
    expect(smtp.accepted).toEqual([]);
    expect(box.map((m) => m.status)).toEqual(["failed", "failed", "failed"]);
    expect(box.map((m) => m.attempts)).toEqual([DELIVERY_MAX_ATTEMPTS, DELIVERY_MAX_ATTEMPTS, DELIVERY_MAX_ATTEMPTS]);
    for (const m of box) expect(m.last_error).toMatch(/550/);
    expect(open, "no delivery left pending").toBe(0);
    const tries = smtp.attempts.get(seq.recipients[0]!)!;
    expect(tries).toHaveLength(DELIVERY_MAX_ATTEMPTS);
    expect(gaps(tries)).toEqual([1, 2, 3, 4].map(backoffMs));
    record("smtp5xx", { messages: 3, attemptsEach: DELIVERY_MAX_ATTEMPTS, received: 0, status: "failed", backoffSeconds: gaps(tries).map((g) => g / 1000) });
  });

  it("server down for good: every message fails visibly (connection refused), none silently dropped", async () => {
    const { smtp, box, open } = await scenario("down", 3, () => null, { downRounds: 1000 });
    expect(smtp.accepted).toEqual([]);
    expect(box.map((m) => m.status)).toEqual(["failed", "failed", "failed"]);
    for (const m of box) expect(m.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(open).toBe(0);
  });

  it("server down, then back: each message received exactly once after the retries", async () => {
    const { smtp, box, seq } = await scenario("flap", 5, () => null, { downRounds: 3 });
    expect(box.map((m) => m.status)).toEqual(Array(5).fill("sent"));
    for (const m of box) expect(m.attempts).toBeGreaterThan(1);
    expect([...counts(smtp.accepted.map((a) => a.to)).entries()].sort()).toEqual(seq.recipients.map((r) => [r, 1]).sort());
    expect(smtp.accepted.map((a) => a.messageId).sort()).toEqual(box.map((m) => m.message_id_header).sort());
    record("smtpDownThenUp", { messages: 5, received: smtp.accepted.length, duplicates: smtp.accepted.length - new Set(smtp.accepted.map((a) => a.messageId)).size });
  });

  it("a mix: one recipient refused for good, the others accepted — only that one fails", async () => {
    const { smtp, box, seq } = await scenario("mixed", 4, (to) => (to.startsWith("mixed-2@") ? { code: 554, message: "5.7.1 Rejected" } : null));
    const byTo = Object.fromEntries(box.map((m) => [m.to_address, m.status]));
    expect(byTo).toEqual({ "mixed-0@chaos.test": "sent", "mixed-1@chaos.test": "sent", "mixed-2@chaos.test": "failed", "mixed-3@chaos.test": "sent" });
    expect(smtp.accepted.map((a) => a.to).sort()).toEqual(seq.recipients.filter((r) => !r.startsWith("mixed-2@")).sort());
  });
});
