import type { AddressInfo } from "node:net";
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { and, eq, inArray } from "drizzle-orm";
import { activities, companies, contacts, customFields, domainEvents, inboundMessages, jobs, messages, scoringRules, sequenceEnrollments, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { tick } from "@/lib/jobs/tick";
import { changeEnrollment, enrollContact, enrollContacts, saveSequence } from "@/lib/sequences/commands";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { listOutbox, sequenceTimeline } from "@/lib/sequences/queries";
import { getSequenceStats, getStepStats } from "@/lib/sequences/stats";
import { receiveInboundEmail } from "@/lib/inbound/email";
import { receiveInboundSms } from "@/lib/inbound/sms";
import { createTestDb, type TestDb } from "../helpers/db";
import { smtpSinkForFile } from "../helpers/smtp";
import { oneEmailSequence } from "../helpers/sequence";
import { at, createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
const smtp = smtpSinkForFile();
let ws: WorkspaceFixture;
let owner: Ctx;

beforeAll(async () => {
  t = await createTestDb();
  ws = await createWorkspaceFixture(t.db);
  owner = await ws.ctx("owner");
});
afterAll(() => t?.close());
beforeEach(() => {
  smtp.received.length = 0;
});
/** What the SMTP server received for one address (other tests' enrollments keep running in the same workspace). */
const mailsTo = (address: string | null) => smtp.received.filter((r) => r.to.includes(address ?? ""));

const ctxAt = (iso: string) => at(owner, iso);
/** Runs the engine like the cron tick does, at `iso`, until nothing is due. */
const tickAt = (iso: string, opts: Parameters<typeof tick>[2] = {}) => tick(t.db, new Date(iso), { log: () => {}, ...opts });

async function contact(first: string, extra: Partial<typeof contacts.$inferInsert> = {}) {
  const [row] = await t.db
    .insert(contacts)
    .values({ workspaceId: ws.workspaceId, firstName: first, lastName: "Tester", email: `${first.toLowerCase().replace(/[^a-z]/g, "")}-${Math.random().toString(36).slice(2, 8)}@prospect.test`, timeZone: "UTC", ownerId: ws.users.owner, ...extra })
    .returning();
  return row!;
}

function twoStepSequence(extra: Record<string, unknown> = {}) {
  return saveSequenceSchema.parse({
    name: `Outbound ${Math.random().toString(36).slice(2, 6)}`,
    windowDays: [1, 2, 3, 4, 5],
    windowStartMinute: 8 * 60,
    windowEndMinute: 18 * 60,
    dailyLimit: 100,
    stopOnMeeting: true,
    stopOnDealWon: true,
    stopOnDealLost: true,
    stopOnUnsubscribe: true,
    stopOnBounce: true,
    stopCompanyOnReply: false,
    autoReplyPauseDays: 3,
    steps: [
      { kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: "Quick question, {{contact.first_name}}", body: "Hi {{contact.first_name | \"there\"}},\n\nDoes {{company.name | \"your team\"}} need help?" }] },
      { kind: "email", delayAmount: 2, delayUnit: "business_days", threadReply: true, variants: [{ subject: "ignored when threaded", body: "Following up, {{contact.first_name}}." }] },
    ],
    ...extra,
  });
}

const parse = (raw: string) => simpleParser(raw);

function replyMime(to: { messageIdHeader: string | null; toAddress: string; fromAddress: string; subject: string }, opts: { headers?: string; subject?: string; id?: string } = {}) {
  return [
    `From: Prospect <${to.toAddress}>`,
    `To: ${to.fromAddress}`,
    `Subject: ${opts.subject ?? `Re: ${to.subject}`}`,
    `Message-ID: <${opts.id ?? Math.random().toString(36).slice(2)}@prospect.test>`,
    `In-Reply-To: ${to.messageIdHeader}`,
    `References: ${to.messageIdHeader}`,
    ...(opts.headers ? [opts.headers] : []),
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Sounds interesting, let's talk next week.",
    "",
  ].join("\r\n");
}

describe("sequences end to end (SMTP on loopback)", () => {
  it("sends the first email in the window over SMTP with Message-ID and one-click unsubscribe headers; a reply stops the enrollment, no further step is sent, and a scoring rule raises the score", async () => {
    const seq = await saveSequence(ctxAt(NOW.toISOString()), twoStepSequence());
    const [company] = await t.db.insert(companies).values({ workspaceId: ws.workspaceId, name: "Globex <Labs>" }).returning();
    const ada = await contact("Ada", { companyId: company!.id });
    await t.db.insert(scoringRules).values({ workspaceId: ws.workspaceId, eventType: "contact.email_replied", points: 15 });
    const enrolled = await t.db.transaction((tx) => enrollContact(tx, owner, { sequenceId: seq.id, contactId: ada.id }));
    expect(enrolled.ok).toBe(true);

    await tickAt("2026-03-10T09:00:00Z"); // Tuesday 09:00 UTC: inside Mon–Fri 08:00–18:00
    expect(smtp.received).toHaveLength(1);
    const mail = await parse(smtp.received[0]!.raw);
    expect(mail.subject).toBe("Quick question, Ada");
    expect(mail.text).toContain("Does Globex <Labs> need help?");
    expect(mail.html).toContain("Globex &lt;Labs&gt;"); // merged values are escaped in the HTML part
    expect(mail.html).not.toContain("<Labs>");
    expect(mail.from?.value[0]?.address).toMatch(/^owner-.*@example\.com$/);
    const head = smtp.received[0]!.raw.replace(/\r\n[ \t]+/g, " ");
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(head).toMatch(/^List-Unsubscribe: <https:\/\/crm\.example\.test\/api\/unsubscribe\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{32}>\r$/m);
    const [sent] = await t.db.select().from(messages).where(eq(messages.enrollmentId, (enrolled as { enrollmentId: string }).enrollmentId));
    expect(sent!.status).toBe("sent");
    expect(mail.messageId).toBe(sent!.messageIdHeader);

    const result = await receiveInboundEmail(t.db, new Date("2026-03-10T15:00:00Z"), replyMime(sent!, { id: "reply-1" }));
    expect(result).toMatchObject({ matched: true, kind: "reply", duplicate: false });
    // The provider redelivers the same webhook: recorded once, nothing happens twice.
    const again = await receiveInboundEmail(t.db, new Date("2026-03-10T15:01:00Z"), replyMime(sent!, { id: "reply-1" }));
    expect(again).toMatchObject({ matched: true, duplicate: true });

    const [enrollment] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.id, sent!.enrollmentId));
    expect(enrollment!.status).toBe("replied");
    // Past the follow-up's time: nothing more goes out.
    await tickAt("2026-03-13T10:00:00Z");
    await tickAt("2026-03-16T10:00:00Z");
    expect(mailsTo(ada.email)).toHaveLength(1);
    const rows = await t.db.select().from(messages).where(eq(messages.enrollmentId, sent!.enrollmentId));
    expect(rows).toHaveLength(1);
    const events = await t.db.select().from(domainEvents).where(and(eq(domainEvents.workspaceId, ws.workspaceId), eq(domainEvents.type, "contact.email_replied")));
    expect(events).toHaveLength(1);
    const [scored] = await t.db.select({ score: contacts.score }).from(contacts).where(eq(contacts.id, ada.id));
    expect(scored!.score).toBe(15);

    const timeline = await sequenceTimeline(owner, { contactId: ada.id });
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(["enrolled", "sent", "inbound", "ended"]));
    const stats = await getSequenceStats(t.db, ws.workspaceId, { sequenceIds: [seq.id] });
    expect(stats[0]).toMatchObject({ enrolled: 1, active: 0, sent: 1, replied: 1, replyRate: 1 });
  });

  it("sends the follow-up as a reply in the same thread after two business days, inside the window", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const bo = await contact("Bo");
    await t.db.transaction((tx) => enrollContact(tx, at(owner, "2026-03-13T16:00:00Z"), { sequenceId: seq.id, contactId: bo.id })); // Friday 16:00
    await tickAt("2026-03-13T16:00:00Z");
    expect(mailsTo(bo.email)).toHaveLength(1);
    const first = await parse(mailsTo(bo.email)[0]!.raw);
    // Two business days after Friday 16:00 is Tuesday 16:00.
    await tickAt("2026-03-17T15:59:00Z");
    expect(mailsTo(bo.email)).toHaveLength(1);
    await tickAt("2026-03-17T16:00:00Z");
    expect(mailsTo(bo.email)).toHaveLength(2);
    const second = await parse(mailsTo(bo.email)[1]!.raw);
    expect(second.subject).toBe(`Re: ${first.subject}`);
    expect(second.inReplyTo).toBe(first.messageId);
    expect(second.references).toEqual(first.messageId);
    const [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, bo.id));
    expect(e!.status).toBe("completed");
  });

  it("waits for the sending window in the contact's time zone (Tokyo evening → next morning there)", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const kenji = await contact("Kenji", { timeZone: "Asia/Tokyo" });
    await t.db.transaction((tx) => enrollContact(tx, at(owner, "2026-03-10T10:00:00Z"), { sequenceId: seq.id, contactId: kenji.id })); // 19:00 in Tokyo
    await tickAt("2026-03-10T10:00:00Z");
    expect(mailsTo(kenji.email)).toHaveLength(0);
    const [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, kenji.id));
    expect(e!.nextRunAt!.toISOString()).toBe("2026-03-10T23:00:00.000Z"); // Wednesday 08:00 in Tokyo
    await tickAt("2026-03-10T23:00:00Z");
    expect(mailsTo(kenji.email)).toHaveLength(1);
  });

  it("a crash between rendering and sending neither loses nor duplicates the email", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const cy = await contact("Cy");
    await t.db.transaction((tx) => enrollContact(tx, at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactId: cy.id }));
    // The process renders (the step job commits the outbox row and its delivery job) and dies before sending.
    await tickAt("2026-03-10T09:00:00Z", { kinds: ["sequence-step"] });
    const [rendered] = await t.db.select().from(messages).where(eq(messages.contactId, cy.id));
    expect(rendered!.status).toBe("queued");
    expect(mailsTo(cy.email)).toHaveLength(0);
    // A runner claims the delivery (job and outbox row under leases) and dies before the SMTP call.
    await t.db.update(jobs).set({ attempts: 1, lockedUntil: new Date("2026-03-10T09:02:00Z") }).where(eq(jobs.idempotencyKey, `sequence-deliver:${rendered!.id}`));
    await t.db.update(messages).set({ status: "sending", attempts: 1, claimedUntil: new Date("2026-03-10T09:02:00Z") }).where(eq(messages.id, rendered!.id));
    // While the leases hold, nobody sends it twice.
    await tickAt("2026-03-10T09:01:00Z");
    expect(mailsTo(cy.email)).toHaveLength(0);
    // After they expire, it goes out exactly once, with the Message-ID chosen at render time.
    await tickAt("2026-03-10T09:03:00Z");
    await tickAt("2026-03-10T09:04:00Z");
    expect(mailsTo(cy.email)).toHaveLength(1);
    expect((await parse(mailsTo(cy.email)[0]!.raw)).messageId).toBe(rendered!.messageIdHeader);
    const [after] = await t.db.select().from(messages).where(eq(messages.id, rendered!.id));
    expect(after).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("a delivery job taken over while the dead runner's claim on the message still holds retries until it ends, then sends once", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const dee = await contact("Dee");
    await t.db.transaction((tx) => enrollContact(tx, at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactId: dee.id }));
    await tickAt("2026-03-10T09:00:00Z", { kinds: ["sequence-step"] });
    const [rendered] = await t.db.select().from(messages).where(eq(messages.contactId, dee.id));
    // The runner died after claiming the message: the job's lease (90 s) runs out before the message's (2 min).
    await t.db.update(jobs).set({ attempts: 1, lockedUntil: new Date("2026-03-10T09:01:30Z") }).where(eq(jobs.idempotencyKey, `sequence-deliver:${rendered!.id}`));
    await t.db.update(messages).set({ status: "sending", attempts: 1, claimedUntil: new Date("2026-03-10T09:02:00Z") }).where(eq(messages.id, rendered!.id));
    const taken = await tickAt("2026-03-10T09:01:40Z", { kinds: ["sequence-deliver"] });
    expect(taken).toMatchObject({ claimed: 1, retried: 1, done: 0 }); // not "done": nothing else would ever send it
    expect(mailsTo(dee.email)).toHaveLength(0);
    await tickAt("2026-03-10T09:03:00Z", { kinds: ["sequence-deliver"] });
    expect(mailsTo(dee.email)).toHaveLength(1);
    const [after] = await t.db.select().from(messages).where(eq(messages.id, rendered!.id));
    expect(after).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("an unsubscribed contact gets nothing: refused at enrolment, and one who unsubscribes before the send is skipped", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const gone = await contact("Gone", { unsubscribedAt: NOW });
    const refused = await enrollContacts(owner, { sequenceId: seq.id, contactIds: [gone.id], dealId: null });
    expect(refused[0]!.result).toEqual({ ok: false, reason: "unsubscribed" });
    const noMail = await contact("Nomail", { email: null });
    expect((await enrollContacts(owner, { sequenceId: seq.id, contactIds: [noMail.id], dealId: null }))[0]!.result).toEqual({ ok: false, reason: "no_email" });

    const di = await contact("Di");
    const ok = await enrollContacts(at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactIds: [di.id], dealId: null });
    expect(ok[0]!.result.ok).toBe(true);
    expect((await enrollContacts(owner, { sequenceId: seq.id, contactIds: [di.id], dealId: null }))[0]!.result).toEqual({ ok: false, reason: "already_enrolled" });
    await tickAt("2026-03-10T09:00:00Z", { kinds: ["sequence-step"] }); // rendered, not yet sent
    await t.db.update(contacts).set({ unsubscribedAt: new Date("2026-03-10T09:00:30Z") }).where(eq(contacts.id, di.id));
    await tickAt("2026-03-10T09:01:00Z");
    await tickAt("2026-03-20T09:01:00Z");
    expect(mailsTo(di.email)).toHaveLength(0);
    const [m] = await t.db.select().from(messages).where(eq(messages.contactId, di.id));
    expect(m!.status).toBe("cancelled");
  });

  it("a bounce (delivery-status notification) stops the enrollment as bounced", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const ed = await contact("Ed");
    await enrollContacts(at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactIds: [ed.id], dealId: null });
    await tickAt("2026-03-10T09:00:00Z");
    const [m] = await t.db.select().from(messages).where(eq(messages.contactId, ed.id));
    const dsn = [
      "From: Mail Delivery System <MAILER-DAEMON@mx.prospect.test>",
      `To: ${m!.fromAddress}`,
      "Subject: Undelivered Mail Returned to Sender",
      "Message-ID: <dsn-1@mx.prospect.test>",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "The mail could not be delivered.",
      "--b1",
      "Content-Type: message/delivery-status",
      "",
      "Final-Recipient: rfc822; " + m!.toAddress,
      "Action: failed",
      "Status: 5.1.1",
      "--b1",
      "Content-Type: text/rfc822-headers",
      "",
      `Message-ID: ${m!.messageIdHeader}`,
      `Subject: ${m!.subject}`,
      "--b1--",
      "",
    ].join("\r\n");
    expect(await receiveInboundEmail(t.db, new Date("2026-03-10T09:05:00Z"), dsn)).toMatchObject({ matched: true, kind: "bounce" });
    const [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, ed.id));
    expect(e!.status).toBe("bounced");
  });

  it("an out-of-office reply pauses the enrollment and it resumes after the configured days", async () => {
    const seq = await saveSequence(owner, twoStepSequence({ autoReplyPauseDays: 5 }));
    const fay = await contact("Fay");
    await enrollContacts(at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactIds: [fay.id], dealId: null });
    await tickAt("2026-03-10T09:00:00Z");
    const [m] = await t.db.select().from(messages).where(eq(messages.contactId, fay.id));
    await receiveInboundEmail(t.db, new Date("2026-03-10T09:10:00Z"), replyMime(m!, { headers: "Auto-Submitted: auto-replied", subject: "Out of office" }));
    let [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, fay.id));
    expect(e!.status).toBe("paused");
    await tickAt("2026-03-12T10:00:00Z"); // the follow-up's time: paused, nothing goes out
    expect(mailsTo(fay.email)).toHaveLength(1);
    await tickAt("2026-03-15T09:10:00Z"); // Sunday: resumed, but outside the window
    [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, fay.id));
    expect(e!.status).toBe("active");
    await tickAt("2026-03-16T08:00:00Z"); // Monday 08:00
    expect(mailsTo(fay.email)).toHaveLength(2);
  });

  it("a reply stops colleagues at the same company when the sequence says so; meeting booked stops by the sweep", async () => {
    const seq = await saveSequence(owner, twoStepSequence({ stopCompanyOnReply: true }));
    const [company] = await t.db.insert(companies).values({ workspaceId: ws.workspaceId, name: "Initech" }).returning();
    const gil = await contact("Gil", { companyId: company!.id });
    const hal = await contact("Hal", { companyId: company!.id });
    const ivy = await contact("Ivy");
    await enrollContacts(at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactIds: [gil.id, hal.id, ivy.id], dealId: null });
    await tickAt("2026-03-10T09:00:00Z");
    const [m] = await t.db.select().from(messages).where(eq(messages.contactId, gil.id));
    await receiveInboundEmail(t.db, new Date("2026-03-10T11:00:00Z"), replyMime(m!));
    const status = async (id: string) => (await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, id)))[0]!;
    expect((await status(gil.id)).status).toBe("replied");
    expect(await status(hal.id)).toMatchObject({ status: "stopped", stopReason: "company_replied" });
    expect((await status(ivy.id)).status).toBe("active");
    await t.db.insert(activities).values({ workspaceId: ws.workspaceId, type: "meeting", subject: "Demo", dueAt: new Date("2026-03-12T10:00:00Z"), contactId: ivy.id, createdAt: new Date("2026-03-10T12:00:00Z") });
    await tickAt("2026-03-10T12:01:00Z");
    expect(await status(ivy.id)).toMatchObject({ status: "stopped", stopReason: "meeting_booked" });
    const stats = await getSequenceStats(t.db, ws.workspaceId, { sequenceIds: [seq.id] });
    expect(stats[0]).toMatchObject({ enrolled: 3, replied: 1, meetingsBooked: 1 });
  });

  it("splits A/B variants evenly and reports each variant's reply rate with its sample size", async () => {
    const input = twoStepSequence();
    input.steps = [{ ...input.steps[0]!, variants: [{ id: null, subject: "A: hello", body: "Body A" }, { id: null, subject: "B: hi", body: "Body B" }] }];
    const seq = await saveSequence(owner, input);
    const people = await Promise.all(["Jo", "Kim", "Lu", "Mo"].map((n) => contact(n)));
    await enrollContacts(at(owner, "2026-03-10T09:00:00Z"), { sequenceId: seq.id, contactIds: people.map((p) => p.id), dealId: null });
    await tickAt("2026-03-10T09:00:00Z");
    const subjects = await Promise.all(people.flatMap((p) => mailsTo(p.email)).map(async (r) => (await parse(r.raw)).subject));
    expect(subjects.filter((s) => s?.startsWith("A:"))).toHaveLength(2);
    expect(subjects.filter((s) => s?.startsWith("B:"))).toHaveLength(2);
    const [m] = await t.db.select().from(messages).where(and(eq(messages.contactId, people[0]!.id)));
    await receiveInboundEmail(t.db, new Date("2026-03-10T10:00:00Z"), replyMime(m!));
    const { variants } = await getStepStats(t.db, ws.workspaceId, seq.id);
    expect(variants.map((v) => [v.sent, v.replied]).sort()).toEqual([[2, 0], [2, 1]]);
  });

  it("SMS: captured without SMS settings, only between 08:00 and 21:00 local; STOP unsubscribes", async () => {
    const input = twoStepSequence({ windowDays: [1, 2, 3, 4, 5, 6, 7], windowStartMinute: 0, windowEndMinute: 1440 });
    input.steps = [{ id: null, kind: "sms", delayAmount: 0, delayUnit: "minutes", threadReply: false, taskType: null, variants: [{ id: null, subject: "", body: "Hi {{contact.first_name}}, quick call?" }] },
      { id: null, kind: "sms", delayAmount: 1, delayUnit: "business_days", threadReply: false, taskType: null, variants: [{ id: null, subject: "", body: "Still interested?" }] },
    ];
    const seq = await saveSequence(owner, input);
    const nia = await contact("Nia", { phone: "+1 (555) 010-2000", timeZone: "America/New_York" });
    // Her partner shares the household number: STOP is about the number, so it covers both.
    const noa = await contact("Noa", { phone: "+1 555 010 2000", timeZone: "America/New_York" });
    await enrollContacts(at(owner, "2026-03-11T02:00:00Z"), { sequenceId: seq.id, contactIds: [nia.id, noa.id], dealId: null }); // 22:00 in New York
    await tickAt("2026-03-11T02:00:00Z");
    expect(await t.db.select().from(messages).where(eq(messages.contactId, nia.id))).toHaveLength(0);
    await tickAt("2026-03-11T12:00:00Z"); // 08:00 EDT
    const [sms] = await t.db.select().from(messages).where(eq(messages.contactId, nia.id));
    expect(sms).toMatchObject({ channel: "sms", status: "captured" });
    expect(sms!.text).toContain("Hi Nia, quick call?");
    const outbox = await listOutbox(owner);
    expect(outbox.some((o) => o.id === sms!.id)).toBe(true);
    const result = await receiveInboundSms(t.db, new Date("2026-03-11T13:00:00Z"), { from: "+15550102000", body: "STOP", sid: "SM1" });
    expect(result).toMatchObject({ matched: true });
    const [c] = await t.db.select().from(contacts).where(eq(contacts.id, nia.id));
    expect(c!.unsubscribedAt).not.toBeNull();
    const [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, nia.id));
    expect(e!.status).toBe("unsubscribed");
    const [partner] = await t.db.select().from(contacts).where(eq(contacts.id, noa.id));
    expect(partner!.unsubscribedAt).not.toBeNull();
    // The provider retries the same STOP: recorded once, nothing else happens.
    expect(await receiveInboundSms(t.db, new Date("2026-03-11T13:01:00Z"), { from: "+15550102000", body: "STOP", sid: "SM1" })).toMatchObject({ matched: true, duplicate: true });
  });

  it("SMS from a number two workspaces texted: a reply is filed in neither (one sender number, no thread); STOP still unsubscribes both", async () => {
    const other = await createWorkspaceFixture(t.db, "Other tenant");
    const phone = "+1 555 010 9999";
    const texted = async (fixture: WorkspaceFixture, sentAt: string) => {
      const ctx = await fixture.ctx("owner");
      const seq = await saveSequence(ctx, oneEmailSequence({ name: `Texts ${fixture.slug}`, subject: "Hi", body: "Hello" }));
      const [person] = await t.db.insert(contacts).values({ workspaceId: fixture.workspaceId, firstName: "Sam", phone, email: `sam@${fixture.slug}.test` }).returning();
      const enrolled = await enrollContact(t.db, ctx, { sequenceId: seq.id, contactId: person!.id });
      if (!enrolled.ok) throw new Error(enrolled.reason);
      await t.db.insert(messages).values({ workspaceId: fixture.workspaceId, enrollmentId: enrolled.enrollmentId, contactId: person!.id, channel: "sms", fromAddress: "+15550000000", toAddress: phone, text: "Quick call?", status: "sent", sentAt: new Date(sentAt), createdAt: new Date(sentAt) });
      return { enrollmentId: enrolled.enrollmentId, contactId: person!.id };
    };
    const ours = await texted(ws, "2026-03-12T10:00:00Z");
    const theirs = await texted(other, "2026-03-12T11:00:00Z"); // the other tenant texted the same number last
    const reply = (sid: string, body: string) => receiveInboundSms(t.db, new Date("2026-03-12T12:00:00Z"), { from: "+15550109999", body, sid });
    expect(await reply("SM-A", "Yes, call me at 3")).toEqual({ matched: false });
    expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, "SM-A"))).toEqual([]);
    const statusOf = async (id: string) => (await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.id, id)))[0]!.status;
    expect([await statusOf(ours.enrollmentId), await statusOf(theirs.enrollmentId)]).toEqual(["active", "active"]);

    // Once the other tenant's enrollment has ended, the live one is the only candidate: the reply is ours.
    await t.db.update(sequenceEnrollments).set({ status: "completed" }).where(eq(sequenceEnrollments.id, theirs.enrollmentId));
    expect(await reply("SM-B", "Yes, call me at 3")).toMatchObject({ matched: true });
    expect((await t.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, "SM-B")))[0]).toMatchObject({ workspaceId: ws.workspaceId });

    // STOP is about the number: it takes effect in both workspaces.
    await t.db.update(sequenceEnrollments).set({ status: "active" }).where(eq(sequenceEnrollments.id, theirs.enrollmentId));
    expect(await reply("SM-C", "STOP")).toMatchObject({ matched: true });
    const unsubscribed = await t.db.select({ at: contacts.unsubscribedAt }).from(contacts).where(inArray(contacts.id, [ours.contactId, theirs.contactId]));
    expect(unsubscribed.map((c) => c.at !== null)).toEqual([true, true]);
  });
});

describe("building and enrolling", () => {
  it("refuses to save a template with an unknown merge field or a malformed tag", async () => {
    const input = twoStepSequence();
    input.steps[0]!.variants[0]!.body = "Hi {{contact.frist_name}}";
    await expect(saveSequence(owner, input)).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { "steps.0.variants.0.body": ["errors.sequenceUnknownField"] } });
    input.steps[0]!.variants[0]!.body = "Hi {{contact.first_name";
    await expect(saveSequence(owner, input)).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("pause, resume, remove and finish now; another workspace's sequence or enrollment is not found", async () => {
    const seq = await saveSequence(owner, twoStepSequence());
    const ox = await contact("Ox");
    const [r] = await enrollContacts(owner, { sequenceId: seq.id, contactIds: [ox.id], dealId: null });
    const id = (r!.result as { enrollmentId: string }).enrollmentId;
    await changeEnrollment(owner, { enrollmentId: id, action: "pause" });
    await changeEnrollment(owner, { enrollmentId: id, action: "resume" });
    await changeEnrollment(owner, { enrollmentId: id, action: "finish" });
    const [e] = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.id, id));
    expect(e).toMatchObject({ status: "completed", stopReason: "finished_now" });
    await expect(changeEnrollment(owner, { enrollmentId: id, action: "remove" })).rejects.toMatchObject({ code: "VALIDATION" });

    const other = await createWorkspaceFixture(t.db, "Other");
    const stranger = await other.ctx("owner");
    await expect(enrollContacts(stranger, { sequenceId: seq.id, contactIds: [ox.id], dealId: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(changeEnrollment(stranger, { enrollmentId: id, action: "pause" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("limits, SMS provider and custom fields", () => {
  it("holds emails past the sender's daily limit until the next day's window", async () => {
    const seq = await saveSequence(owner, twoStepSequence({ dailyLimit: 2, name: "Limited" }));
    const people = await Promise.all(["Pat", "Quin", "Ros"].map((n) => contact(n)));
    // Earlier tests sent emails from the same owner today: count only this sequence's by moving to a fresh day.
    await enrollContacts(at(owner, "2026-04-07T09:00:00Z"), { sequenceId: seq.id, contactIds: people.map((p) => p.id), dealId: null });
    await tickAt("2026-04-07T09:00:00Z");
    const mine = async () => (await Promise.all(people.map((p) => t.db.select().from(messages).where(eq(messages.contactId, p.id))))).flat();
    expect(await mine()).toHaveLength(2);
    const held = (await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.sequenceId, seq.id))).find((e) => e.nextStep === 0)!;
    expect(held.nextRunAt!.toISOString()).toBe("2026-04-08T08:00:00.000Z"); // Wednesday, window opening (08:00 UTC)
    await tickAt("2026-04-08T08:00:00Z");
    expect(await mine()).toHaveLength(3);
  });

  it("sends SMS through a Twilio-compatible API (basic auth, form fields) and keeps the provider's id", async () => {
    const calls: { url: string; auth: string; body: URLSearchParams }[] = [];
    const server = http.createServer((req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        calls.push({ url: req.url ?? "", auth: req.headers.authorization ?? "", body: new URLSearchParams(data) });
        res.writeHead(201, { "Content-Type": "application/json" }).end(JSON.stringify({ sid: `SM${calls.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const env = { SMS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, SMS_ACCOUNT_SID: "AC123", SMS_AUTH_TOKEN: "tok", SMS_FROM: "+15550000000" };
    Object.assign(process.env, env);
    try {
      const input = twoStepSequence({ windowDays: [1, 2, 3, 4, 5, 6, 7], windowStartMinute: 0, windowEndMinute: 1440, name: "SMS only" });
      input.steps = [{ id: null, kind: "sms", delayAmount: 0, delayUnit: "minutes", threadReply: false, taskType: null, variants: [{ id: null, subject: "", body: "Hi {{contact.first_name}}" }] }];
      const seq = await saveSequence(owner, input);
      const sam = await contact("Sam", { phone: "+44 20 7946 0000" });
      await enrollContacts(at(owner, "2026-04-09T12:00:00Z"), { sequenceId: seq.id, contactIds: [sam.id], dealId: null });
      await tickAt("2026-04-09T12:00:00Z");
      expect(calls).toHaveLength(1);
      expect(calls[0]!.url).toBe("/2010-04-01/Accounts/AC123/Messages.json");
      expect(calls[0]!.auth).toBe(`Basic ${Buffer.from("AC123:tok").toString("base64")}`);
      expect(Object.fromEntries(calls[0]!.body)).toMatchObject({ To: "+44 20 7946 0000", From: "+15550000000", Body: expect.stringContaining("Hi Sam") });
      const [m] = await t.db.select().from(messages).where(eq(messages.contactId, sam.id));
      expect(m).toMatchObject({ status: "sent", providerId: "SM1" });
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("merges custom fields ({{contact.custom.<key>}}) and refuses archived or unknown ones", async () => {
    await t.db.insert(customFields).values({ workspaceId: ws.workspaceId, entity: "contact", key: "favorite_tool", label: "Favorite tool", type: "text", position: 0 });
    const input = twoStepSequence({ name: "Custom" });
    input.steps = [{ ...input.steps[0]!, variants: [{ id: null, subject: "About {{contact.custom.favorite_tool | \"your tools\"}}", body: "Hi {{contact.first_name}}" }] }];
    const seq = await saveSequence(owner, input);
    const uma = await contact("Uma", { custom: { favorite_tool: "<Excel>" } });
    await enrollContacts(at(owner, "2026-04-09T10:00:00Z"), { sequenceId: seq.id, contactIds: [uma.id], dealId: null });
    await tickAt("2026-04-09T10:00:00Z");
    const [m] = await t.db.select().from(messages).where(eq(messages.contactId, uma.id));
    expect(m!.subject).toBe("About <Excel>");
    input.steps[0]!.variants[0]!.subject = "About {{contact.custom.nope}}";
    await expect(saveSequence(owner, input)).rejects.toMatchObject({ code: "VALIDATION" });
  });
});


describe("reps limited to their own deals", () => {
  it("see only their own enrollments' messages in the outbox and on timelines (merge fields quote deal names)", async () => {
    const seq = await saveSequence(owner, twoStepSequence({ windowDays: [1, 2, 3, 4, 5, 6, 7], windowStartMinute: 0, windowEndMinute: 1440 }));
    const theirs = await contact("Theirs", { ownerId: ws.users.owner });
    const mine = await contact("Mine", { ownerId: ws.users.rep });
    await enrollContacts(ctxAt("2026-03-12T10:00:00Z"), { sequenceId: seq.id, contactIds: [theirs.id, mine.id], dealId: null });
    await tickAt("2026-03-12T10:00:00Z");
    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, ws.workspaceId));
    try {
      const rep = await ws.ctx("rep");
      const outbox = await listOutbox(rep);
      expect(outbox.some((m) => m.contactId === mine.id)).toBe(true);
      expect(outbox.some((m) => m.contactId === theirs.id)).toBe(false);
      expect(await sequenceTimeline(rep, { contactId: theirs.id })).toEqual([]);
      expect((await sequenceTimeline(rep, { contactId: mine.id })).length).toBeGreaterThan(0);
      // Everyone else sees the whole outbox.
      expect((await listOutbox(await ws.ctx("manager"))).some((m) => m.contactId === theirs.id)).toBe(true);
    } finally {
      await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, ws.workspaceId));
    }
  });

  it("change only their own enrollments: a colleague's is not found, to pause, stop or finish", async () => {
    const seq = await saveSequence(owner, twoStepSequence({ windowDays: [1, 2, 3, 4, 5, 6, 7], windowStartMinute: 0, windowEndMinute: 1440 }));
    const theirs = await contact("Colleague's", { ownerId: ws.users.owner });
    const mine = await contact("Own", { ownerId: ws.users.rep });
    await enrollContacts(ctxAt("2026-03-12T10:00:00Z"), { sequenceId: seq.id, contactIds: [theirs.id, mine.id], dealId: null });
    const enrollmentOf = async (contactId: string) =>
      (await t.db.select().from(sequenceEnrollments).where(and(eq(sequenceEnrollments.sequenceId, seq.id), eq(sequenceEnrollments.contactId, contactId))))[0]!;
    const theirsBefore = await enrollmentOf(theirs.id);
    await t.db.update(workspaces).set({ dealVisibility: "own" }).where(eq(workspaces.id, ws.workspaceId));
    try {
      const rep = await ws.ctx("rep");
      for (const action of ["pause", "remove", "finish"] as const) {
        await expect(changeEnrollment(rep, { enrollmentId: theirsBefore.id, action })).rejects.toMatchObject({ code: "NOT_FOUND" });
      }
      expect(await enrollmentOf(theirs.id)).toMatchObject({ status: "active", generation: theirsBefore.generation });
      await changeEnrollment(rep, { enrollmentId: (await enrollmentOf(mine.id)).id, action: "pause" });
      expect((await enrollmentOf(mine.id)).status).toBe("paused");
    } finally {
      await t.db.update(workspaces).set({ dealVisibility: "all" }).where(eq(workspaces.id, ws.workspaceId));
    }
    // With visibility "all" the rep may change any enrollment again.
    await changeEnrollment(await ws.ctx("rep"), { enrollmentId: theirsBefore.id, action: "pause" });
    expect((await enrollmentOf(theirs.id)).status).toBe("paused");
  });
});
