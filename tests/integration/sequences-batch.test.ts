import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { and, eq, inArray, sql } from "drizzle-orm";
import { contacts, jobs, messages, sequenceEnrollments } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { backoffMs } from "@/lib/jobs/backoff";
import { runDueJobs } from "@/lib/jobs/runner";
import { enrollContacts, saveSequence } from "@/lib/sequences/commands";
import { DELIVERY_MAX_ATTEMPTS, deliverMessages } from "@/lib/sequences/delivery";
import { sequenceJobHandlers } from "@/lib/sequences/jobs";
import type { SequenceTransports } from "@/lib/sequences/transport";
import { createTestDb, type TestDb } from "../helpers/db";
import { smtpSinkForFile } from "../helpers/smtp";
import { at, createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";
import { oneEmailSequence } from "../helpers/sequence";

/**
 * Sequence steps and deliveries run in batches (lib/sequences/step-batch.ts, lib/sequences/delivery.ts): the
 * daily limit across a batch, exactly-once under concurrent runners, the fence after a takeover, cancellation
 * inside a batch, retries with backoff and "failed". Each test works on its own day so counts do not mix.
 */

let t: TestDb;
const smtp = smtpSinkForFile();
let ws: WorkspaceFixture;
let owner: Ctx;
const kinds = Object.keys(sequenceJobHandlers);

beforeAll(async () => {
  t = await createTestDb();
  ws = await createWorkspaceFixture(t.db);
  owner = await ws.ctx("owner");
});
afterAll(() => t?.close());
beforeEach(() => {
  smtp.refuse(false);
  smtp.received.length = 0;
});

const run = (iso: string, opts: Parameters<typeof runDueJobs>[3] = {}) => runDueJobs(t.db, new Date(iso), sequenceJobHandlers, { kinds, maxJobs: 5000, log: () => {}, ...opts });

async function enrolled(tag: string, n: number, iso: string, extra: Record<string, unknown> = {}) {
  const people = await t.db
    .insert(contacts)
    .values(Array.from({ length: n }, (_, i) => ({ workspaceId: ws.workspaceId, firstName: `P${i}`, lastName: tag, email: `${tag}-${i}@prospect.test`, timeZone: "UTC", ownerId: ws.users.owner })))
    .returning();
  const seq = await saveSequence(
    at(owner, iso),
    oneEmailSequence(
      { name: `Batch ${tag}`, subject: "Hello {{contact.first_name}}", body: "Hi {{contact.first_name}}." },
      { windowDays: [1, 2, 3, 4, 5], windowStartMinute: 8 * 60, windowEndMinute: 18 * 60, dailyLimit: 100, ...extra },
    ),
  );
  await enrollContacts(at(owner, iso), { sequenceId: seq.id, contactIds: people.map((p) => p.id), dealId: null });
  return { seq, people, ids: people.map((p) => p.id) };
}
const outbox = (contactIds: string[]) => t.db.select().from(messages).where(inArray(messages.contactId, contactIds)).orderBy(messages.toAddress);
const received = (tag: string) => smtp.received.filter((r) => r.to.some((a) => a.startsWith(`${tag}-`)));

describe("sequence steps in batches", () => {
  it("counts the sender's daily limit across one batch: renders up to the limit and holds the rest for the next day's window", async () => {
    const { ids } = await enrolled("limit", 7, "2026-05-05T09:00:00Z", { dailyLimit: 3 });
    await run("2026-05-05T09:00:00Z", { kinds: ["sequence-step"] });
    expect(await outbox(ids)).toHaveLength(3);
    const held = await t.db.select().from(sequenceEnrollments).where(and(inArray(sequenceEnrollments.contactId, ids), eq(sequenceEnrollments.nextStep, 0)));
    expect(held).toHaveLength(4);
    expect(held.every((e) => e.nextRunAt?.toISOString() === "2026-05-06T08:00:00.000Z")).toBe(true);
    // Run again the same day: nothing more (the held steps are not due, the done ones do nothing).
    await run("2026-05-05T10:00:00Z", { kinds: ["sequence-step"] });
    expect(await outbox(ids)).toHaveLength(3);
    await run("2026-05-06T08:00:00Z", { kinds: ["sequence-step"] });
    expect(await outbox(ids)).toHaveLength(6);
  });

  it("mixes the set-based path with one-by-one ends in one batch: an unsubscribed contact ends, the others render", async () => {
    const { ids, people } = await enrolled("mixed", 4, "2026-05-07T09:00:00Z");
    await t.db.update(contacts).set({ unsubscribedAt: new Date("2026-05-07T08:59:00Z") }).where(eq(contacts.id, people[1]!.id));
    await run("2026-05-07T09:00:00Z");
    const box = await outbox(ids);
    expect(box.map((m) => m.toAddress)).toEqual(["mixed-0@prospect.test", "mixed-2@prospect.test", "mixed-3@prospect.test"]);
    expect(box.every((m) => m.status === "sent")).toBe(true);
    const ended = await t.db.select().from(sequenceEnrollments).where(inArray(sequenceEnrollments.contactId, ids));
    expect(Object.fromEntries(ended.map((e) => [e.contactId, `${e.status}/${e.stopReason}`]))).toEqual({
      [people[0]!.id]: "completed/all_steps_done",
      [people[1]!.id]: "unsubscribed/unsubscribed",
      [people[2]!.id]: "completed/all_steps_done",
      [people[3]!.id]: "completed/all_steps_done",
    });
    expect(received("mixed")).toHaveLength(3);
  });

  it("two runners at once: every message rendered once and received once", async () => {
    const n = 120;
    const { ids } = await enrolled("twice", n, "2026-05-11T09:00:00Z", { dailyLimit: 1000 });
    await Promise.all([run("2026-05-11T09:00:00Z", { batchSize: 7 }), run("2026-05-11T09:00:00Z", { batchSize: 11 })]);
    await run("2026-05-11T09:00:00Z");
    const box = await outbox(ids);
    expect(box).toHaveLength(n);
    expect(box.every((m) => m.status === "sent" && m.attempts === 1)).toBe(true);
    const got = received("twice");
    expect(got).toHaveLength(n);
    const ids_ = await Promise.all(got.map(async (r) => (await simpleParser(r.raw)).messageId));
    expect(new Set(ids_).size).toBe(n);
    expect(new Set(ids_)).toEqual(new Set(box.map((m) => m.messageIdHeader)));
  });
});

describe("deliveries in batches", () => {
  const fake = (behaviour: (to: string) => "ok" | "fail", during?: (to: string) => Promise<void>): SequenceTransports => ({
    email: async (mail) => {
      await during?.(mail.to);
      if (behaviour(mail.to) === "fail") throw new Error(`451 try later (${mail.to})`);
      return { status: "sent", providerId: null };
    },
    sms: async () => ({ status: "captured" }),
  });

  async function rendered(tag: string, n: number, iso: string) {
    const e = await enrolled(tag, n, iso);
    await run(iso, { kinds: ["sequence-step"] });
    const box = await outbox(e.ids);
    expect(box).toHaveLength(n);
    return { ...e, box };
  }

  it("cancels inside a batch what may no longer go out (contact unsubscribed, enrollment stopped) and sends the rest", async () => {
    const { box, people } = await rendered("cancel", 4, "2026-05-12T09:00:00Z");
    await t.db.update(contacts).set({ unsubscribedAt: new Date("2026-05-12T09:00:30Z") }).where(eq(contacts.id, people[0]!.id));
    await t.db.update(sequenceEnrollments).set({ status: "stopped", stopReason: "removed" }).where(eq(sequenceEnrollments.contactId, people[2]!.id));
    const sentTo: string[] = [];
    const out = await deliverMessages(t.db, new Date("2026-05-12T09:01:00Z"), box.map((m) => m.id), fake((to) => (sentTo.push(to), "ok")));
    expect(box.map((m) => out.get(m.id)?.outcome)).toEqual(["cancelled", "sent", "cancelled", "sent"]);
    expect(sentTo.sort()).toEqual(["cancel-1@prospect.test", "cancel-3@prospect.test"]);
    expect((await outbox(people.map((p) => p.id))).map((m) => m.status)).toEqual(["cancelled", "sent", "cancelled", "sent"]);
  });

  it("writes nothing for a message whose claim another delivery took over meanwhile (fenced by the attempt number)", async () => {
    const { box, ids } = await rendered("fence", 3, "2026-05-13T09:00:00Z");
    const taken = box[1]!;
    const out = await deliverMessages(
      t.db,
      new Date("2026-05-13T09:01:00Z"),
      box.map((m) => m.id),
      fake(
        () => "ok",
        async (to) => {
          // Our claim's lease ran out and another runner claimed this one (attempt 2) while we were sending.
          if (to === taken.toAddress) await t.db.update(messages).set({ attempts: 2, claimedUntil: new Date("2026-05-13T09:10:00Z") }).where(eq(messages.id, taken.id));
        },
      ),
    );
    expect(out.get(taken.id)?.outcome).toBe("sent");
    const after = await outbox(ids);
    expect(after.map((m) => `${m.status}/${m.attempts}`)).toEqual(["sent/1", "sending/2", "sent/1"]);
    expect(after[1]!.sentAt).toBeNull();
  });

  it("a message refused by the server goes back to the queue and its job retries with backoff; after the last attempt it is failed", async () => {
    const { ids } = await rendered("retry", 3, "2026-05-14T09:00:00Z");
    smtp.refuse(true);
    let clock = new Date("2026-05-14T09:00:00Z").getTime();
    // (Other tests of this file left deliveries of their own in the queue: look at this test's messages only.)
    await run(new Date(clock).toISOString(), { kinds: ["sequence-deliver"] });
    let box = await outbox(ids);
    expect(box.every((m) => m.status === "queued" && m.attempts === 1 && /mailbox unavailable|550/.test(m.lastError ?? ""))).toBe(true);
    const messageIds = box.map((m) => m.id);
    const deliveries = () => t.db.select().from(jobs).where(inArray(sql`${jobs.payload}->>'messageId'`, messageIds));
    expect((await deliveries()).map((j) => `${j.attempts} ${j.runAt.getTime() - clock} ${j.doneAt}`)).toEqual(Array(3).fill(`1 ${backoffMs(1)} null`));
    for (let attempt = 2; attempt <= DELIVERY_MAX_ATTEMPTS; attempt++) {
      clock += backoffMs(attempt - 1);
      await run(new Date(clock - 1).toISOString(), { kinds: ["sequence-deliver"] });
      expect((await outbox(ids)).map((m) => m.attempts), "not before its backoff").toEqual(Array(3).fill(attempt - 1));
      await run(new Date(clock).toISOString(), { kinds: ["sequence-deliver"] });
      expect((await outbox(ids)).map((m) => m.attempts)).toEqual(Array(3).fill(attempt));
    }
    box = await outbox(ids);
    expect(box.map((m) => `${m.status}/${m.attempts}`)).toEqual(Array(3).fill(`failed/${DELIVERY_MAX_ATTEMPTS}`));
    expect((await deliveries()).every((j) => j.doneAt !== null)).toBe(true); // settled: the outbox says "failed"
    expect(received("retry")).toHaveLength(0);
  });

  it("a failure of one message of a batch retries that one only", async () => {
    const { box } = await rendered("one", 3, "2026-05-15T09:00:00Z");
    const out = await deliverMessages(t.db, new Date("2026-05-15T09:01:00Z"), box.map((m) => m.id), fake((to) => (to.startsWith("one-1@") ? "fail" : "ok")));
    expect(box.map((m) => out.get(m.id)?.outcome)).toEqual(["sent", "retry", "sent"]);
    const after = await outbox(box.map((m) => m.contactId));
    expect(after.map((m) => `${m.status}/${m.attempts}`)).toEqual(["sent/1", "queued/1", "sent/1"]);
    expect(after[1]!.lastError).toMatch(/451 try later/);
    // Not claimable twice: a second delivery of the same batch now sends only the queued one.
    const again = await deliverMessages(t.db, new Date("2026-05-15T09:02:00Z"), box.map((m) => m.id), fake(() => "ok"));
    expect(box.map((m) => again.get(m.id)?.outcome)).toEqual(["not_claimed", "sent", "not_claimed"]);
  });
});
