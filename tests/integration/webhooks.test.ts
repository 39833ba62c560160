import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { jobs, notifications, stages, webhookDeliveries, webhookSubscriptions } from "@/db/schema";
import { runDueJobs } from "@/lib/jobs/runner";
import { jobHandlers } from "@/lib/jobs/handlers";
import { createDeal, deleteDeal, markWon } from "@/lib/deals/commands";
import { createContact, updateContact } from "@/lib/contacts/commands";
import { createWebhookSubscription, rotateWebhookSecret, setWebhookEnabled } from "@/lib/webhooks/commands";
import { listWebhookDeliveries } from "@/lib/webhooks/queries";
import { WEBHOOK_DISABLE_AFTER } from "@/lib/webhooks/deliver";
import { createActivity, setActivityDone } from "@/lib/activities/commands";
import { changeEnrollment, enrollContact, saveSequence } from "@/lib/sequences/commands";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { createWorkspaceFixture, type WorkspaceFixture } from "../helpers/fixtures";

/** The verification snippet of docs/api.md, run verbatim. */
function documentedVerifier(): (secret: string, headers: Record<string, string | undefined>, rawBody: string, tolerance?: number) => boolean {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/api.md"), "utf8");
  const block = /<!-- verify-snippet:start -->\s*```js\n([\s\S]*?)```\s*<!-- verify-snippet:end -->/.exec(doc);
  if (!block) throw new Error("docs/api.md lost its verification snippet");
  return new Function("require", `${block[1]}\nreturn verifyPipewiseSignature;`)(createRequire(import.meta.url));
}

type Received = { headers: http.IncomingHttpHeaders; body: string; status: number };
let server: http.Server;
let url: string;
let answers: number[] = [];
let received: Received[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const status = answers.shift() ?? 200;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
});
afterAll(() => t.close());
beforeEach(async () => {
  vi.stubEnv("PIPEWISE_WEBHOOK_ALLOW_PRIVATE", "1");
  answers = [];
  received = [];
  await t.db.delete(webhookSubscriptions);
});

const deliver = (now: Date) => runDueJobs(t.db, now, jobHandlers, { kinds: ["webhook-delivery", "webhook-disabled-notice"] });
const secondsLater = (from: Date, s: number) => new Date(from.getTime() + s * 1000);

async function firstStage(ws: WorkspaceFixture) {
  const [s] = await t.db.select().from(stages).where(eq(stages.workspaceId, ws.workspaceId)).orderBy(stages.position).limit(1);
  return s!;
}

describe("outgoing webhooks", () => {
  it("a receiver that fails twice then succeeds gets exactly one successful delivery logged, signed as documented", async () => {
    const now = new Date();
    const owner = { ...(await a.ctx("owner")), now };
    const sub = await createWebhookSubscription(owner, { url, events: ["deal.created"] });
    const stage = await firstStage(a);
    const deal = await createDeal(owner, { title: "Hooked", pipelineId: stage.pipelineId, stageId: stage.id, value: "10", ownerId: null, contactId: null, companyId: null, expectedCloseDate: null, source: null, notes: null, newContactName: null, newContactEmail: null, newCompanyName: null });
    answers = [500, 503, 200];
    await deliver(now);
    await deliver(secondsLater(now, 31));
    await deliver(secondsLater(now, 31 + 61));
    await deliver(secondsLater(now, 600)); // nothing left to send
    expect(received.map((r) => r.status)).toEqual([500, 503, 200]);
    const log = await listWebhookDeliveries(owner);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ subscriptionId: sub.id, event: "deal.created", status: "succeeded", attempts: 3, responseStatus: 200, lastError: null });
    // one delivery id across the retries, so a receiver can drop repeats
    expect(new Set(received.map((r) => r.headers["x-pipewise-delivery"]))).toEqual(new Set([log[0]!.id]));
    const last = received[2]!;
    const body = JSON.parse(last.body);
    expect(body).toMatchObject({ id: log[0]!.id, event: "deal.created", workspaceId: a.workspaceId, data: { deal: { id: deal.id, title: "Hooked", value: 10, currency: "USD" } } });
    const verify = documentedVerifier();
    const headers = last.headers as Record<string, string>;
    expect(verify(sub.secret, headers, last.body)).toBe(true);
    expect(verify(sub.secret, headers, last.body.replace("Hooked", "Hacked"))).toBe(false);
    expect(verify("whsec_wrong", headers, last.body)).toBe(false);
    expect(verify(sub.secret, { ...headers, "x-pipewise-timestamp": String(Math.floor(Date.now() / 1000) - 3600) }, last.body)).toBe(false);
  });

  it("sends only the events asked for, only for the subscription's workspace, and not while disabled", async () => {
    const now = new Date();
    const ownerA = { ...(await a.ctx("owner")), now };
    const ownerB = { ...(await b.ctx("owner")), now };
    const subA = await createWebhookSubscription(ownerA, { url, events: ["deal.won", "deal.deleted", "contact.updated"] });
    await createWebhookSubscription(ownerB, { url, events: ["deal.created", "deal.won"] });
    const stage = await firstStage(a);
    const deal = await createDeal(ownerA, { title: "Only won", pipelineId: stage.pipelineId, stageId: stage.id, value: "", ownerId: null, contactId: null, companyId: null, expectedCloseDate: null, source: null, notes: null, newContactName: null, newContactEmail: null, newCompanyName: null });
    await markWon(ownerA, deal.id);
    await deleteDeal(ownerA, deal.id);
    const contact = await createContact(ownerA, { firstName: "Ada" });
    await updateContact(ownerA, { firstName: "Ada", lastName: "Lovelace", contactId: contact.id });
    await deliver(now);
    expect(received.map((r) => JSON.parse(r.body).event).sort()).toEqual(["contact.updated", "deal.deleted", "deal.won"]);
    expect(received.every((r) => JSON.parse(r.body).workspaceId === a.workspaceId)).toBe(true);
    expect(await listWebhookDeliveries(ownerB)).toEqual([]);

    received = [];
    await setWebhookEnabled(ownerA, subA.id, false);
    await markWon(ownerA, (await createDeal(ownerA, { title: "Quiet", pipelineId: stage.pipelineId, stageId: stage.id, value: "", ownerId: null, contactId: null, companyId: null, expectedCloseDate: null, source: null, notes: null, newContactName: null, newContactEmail: null, newCompanyName: null })).id);
    await deliver(now);
    expect(received).toEqual([]);
  });

  it(`disables a subscription after ${WEBHOOK_DISABLE_AFTER} failed deliveries in a row and tells the admins`, async () => {
    const now = new Date();
    const owner = { ...(await a.ctx("owner")), now };
    const sub = await createWebhookSubscription(owner, { url, events: ["contact.created"] });
    answers = Array(10).fill(410); // a permanent refusal: each delivery fails at its first attempt
    for (let i = 0; i < WEBHOOK_DISABLE_AFTER + 1; i++) await createContact(owner, { firstName: `Lead ${i}` });
    await deliver(now);
    const [row] = await t.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(row).toMatchObject({ enabled: false, consecutiveFailures: WEBHOOK_DISABLE_AFTER });
    expect(row!.disabledAt).not.toBeNull();
    expect(received).toHaveLength(WEBHOOK_DISABLE_AFTER); // the last delivery is not sent to a disabled subscription
    const log = await listWebhookDeliveries(owner);
    expect(log.filter((d) => d.status === "failed")).toHaveLength(WEBHOOK_DISABLE_AFTER + 1);
    expect(log.filter((d) => d.responseStatus === 410)).toHaveLength(WEBHOOK_DISABLE_AFTER);
    const notices = await t.db.select().from(jobs).where(and(eq(jobs.kind, "webhook-disabled-notice"), eq(jobs.workspaceId, a.workspaceId)));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.doneAt).not.toBeNull();
    const bell = await t.db.select().from(notifications).where(and(eq(notifications.workspaceId, a.workspaceId), eq(notifications.kind, "message")));
    expect(bell.map((n) => n.userId).sort()).toEqual([a.users.owner, a.users.admin].sort());
    expect(bell[0]!.message).toBe(`The webhook to ${url} was disabled after ${WEBHOOK_DISABLE_AFTER} failed deliveries in a row.`);
    expect(bell[0]!.link).toBe("settings/webhooks");
    await setWebhookEnabled(owner, sub.id, true);
    const [again] = await t.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(again).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledAt: null });
  });

  it("sends activity created/completed and enrollment stopped, with the record in the body", async () => {
    const now = new Date();
    const owner = { ...(await a.ctx("owner")), now };
    await createWebhookSubscription(owner, { url, events: ["activity.created", "activity.completed", "enrollment.stopped"] });
    const activity = await createActivity(owner, { type: "call", subject: "Ring Ada", notes: null, dueDate: "2026-03-12", dueTime: null, durationMinutes: null, assigneeId: null, dealId: null, contactId: null }, "UTC");
    await setActivityDone(owner, activity.id, true);
    const contact = await createContact(owner, { firstName: "Ada", email: "ada@example.com" });
    const seq = await saveSequence(owner, saveSequenceSchema.parse({
      name: "Outbound",
      windowDays: [1, 2, 3, 4, 5],
      windowStartMinute: 480,
      windowEndMinute: 1080,
      dailyLimit: 100,
      stopOnMeeting: true,
      stopOnDealWon: true,
      stopOnDealLost: true,
      stopOnUnsubscribe: true,
      stopOnBounce: true,
      stopCompanyOnReply: false,
      autoReplyPauseDays: 3,
      steps: [{ kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: "Hi", body: "Hello" }] }],
    }));
    const enrolled = await t.db.transaction((tx) => enrollContact(tx, owner, { sequenceId: seq.id, contactId: contact.id }));
    if (!enrolled.ok) throw new Error("not enrolled");
    await changeEnrollment(owner, { enrollmentId: enrolled.enrollmentId, action: "remove" });
    await deliver(now);
    const bodies = received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.event).sort()).toEqual(["activity.completed", "activity.created", "enrollment.stopped"]);
    expect(bodies.find((b) => b.event === "activity.completed").data.activity).toMatchObject({ id: activity.id, subject: "Ring Ada", done: true });
    expect(bodies.find((b) => b.event === "enrollment.stopped").data).toMatchObject({ enrollment: { id: enrolled.enrollmentId, sequenceId: seq.id, contactId: contact.id, status: "stopped", stopReason: "removed" }, status: "stopped", reason: "removed" });
  });

  it("drops settled deliveries after 30 days, keeps pending ones", async () => {
    const { pruneWebhookDeliveriesJob } = await import("@/lib/webhooks/prune");
    const owner = await a.ctx("owner");
    const sub = await createWebhookSubscription(owner, { url, events: ["deal.won"] });
    const old = new Date(Date.now() - 31 * 86_400_000);
    await t.db.insert(webhookDeliveries).values([
      { workspaceId: a.workspaceId, subscriptionId: sub.id, event: "deal.won", payload: {}, status: "succeeded", createdAt: old },
      { workspaceId: a.workspaceId, subscriptionId: sub.id, event: "deal.won", payload: {}, status: "failed", createdAt: old },
      { workspaceId: a.workspaceId, subscriptionId: sub.id, event: "deal.won", payload: {}, status: "pending", createdAt: old },
      { workspaceId: a.workspaceId, subscriptionId: sub.id, event: "deal.won", payload: {}, status: "succeeded", createdAt: new Date() },
    ]);
    await pruneWebhookDeliveriesJob.run({ db: t.db, job: {} as never, now: new Date() });
    const left = await t.db.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, sub.id));
    expect(left.map((d) => d.status).sort()).toEqual(["pending", "succeeded"]);
  });

  it("a workspace's admin cannot touch another workspace's subscription", async () => {
    const sub = await createWebhookSubscription(await a.ctx("owner"), { url, events: ["deal.won"] });
    await expect(setWebhookEnabled(await b.ctx("owner"), sub.id, false)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(rotateWebhookSecret(await b.ctx("owner"), sub.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rotated = await rotateWebhookSecret(await a.ctx("admin"), sub.id);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(sub.secret);
    await expect(createWebhookSubscription(await a.ctx("manager"), { url, events: ["deal.won"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const [row] = await t.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(row!.enabled).toBe(true);
    expect(await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.workspaceId, b.workspaceId))).toEqual([]);
  });
});
