import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { contacts, messages, sequenceEnrollments } from "@/db/schema";
import { enrollContacts, saveSequence } from "@/lib/sequences/commands";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { unsubscribeToken } from "@/lib/sequences/unsubscribe";
import { tick } from "@/lib/jobs/tick";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture } from "../helpers/fixtures";

const state = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock("@/db/client", () => ({ getDb: async () => state.db }));

let t: TestDb;
let sent: typeof messages.$inferSelect;
let contactId: string;

beforeAll(async () => {
  vi.stubEnv("AUTH_SECRET", "inbound-route-test-secret");
  vi.stubEnv("SMTP_URL", "");
  t = await createTestDb();
  state.db = t.db;
  const ws = await createWorkspaceFixture(t.db);
  const owner = at(await ws.ctx("owner"), "2026-03-10T09:00:00Z");
  const seq = await saveSequence(
    owner,
    saveSequenceSchema.parse({
      name: "Inbound",
      windowDays: [1, 2, 3, 4, 5],
      windowStartMinute: 0,
      windowEndMinute: 1440,
      dailyLimit: 100,
      stopOnMeeting: true,
      stopOnDealWon: true,
      stopOnDealLost: true,
      stopOnUnsubscribe: true,
      stopOnBounce: true,
      stopCompanyOnReply: false,
      autoReplyPauseDays: 3,
      steps: [
        { kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: "Hello", body: "Hi {{contact.first_name}}" }] },
        { kind: "email", delayAmount: 1, delayUnit: "business_days", variants: [{ subject: "Again", body: "Hi again" }] },
      ],
    }),
  );
  const [c] = await t.db.insert(contacts).values({ workspaceId: ws.workspaceId, firstName: "Rae", email: "rae@prospect.test", timeZone: "UTC" }).returning();
  contactId = c!.id;
  await enrollContacts(owner, { sequenceId: seq.id, contactIds: [contactId], dealId: null });
  await tick(t.db, new Date("2026-03-10T09:00:00Z"), { log: () => {} });
  [sent] = await t.db.select().from(messages).where(eq(messages.contactId, contactId)) as [typeof messages.$inferSelect];
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t.close();
});
afterEach(() => vi.stubEnv("INBOUND_SECRET", ""));

const reply = () =>
  [`From: <rae@prospect.test>`, `To: <${sent.fromAddress}>`, "Subject: Re: Hello", "Message-ID: <r1@prospect.test>", `In-Reply-To: ${sent.messageIdHeader}`, "", "Yes please.", ""].join("\r\n");

async function postEmail(body: string, authorization?: string) {
  const route = await import("@/app/api/inbound/email/route");
  return route.POST(new NextRequest("http://localhost/api/inbound/email", { method: "POST", body, headers: { "content-type": "message/rfc822", ...(authorization ? { authorization } : {}) } }));
}
async function postSms(fields: Record<string, string>, authorization?: string) {
  const route = await import("@/app/api/inbound/sms/route");
  return route.POST(new NextRequest("http://localhost/api/inbound/sms", { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) } }));
}
const enrollmentStatus = async () => (await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, contactId)))[0]!.status;

describe("inbound routes", () => {
  it("the captured email is in the outbox", () => {
    expect(sent).toMatchObject({ status: "captured", toAddress: "rae@prospect.test" });
  });

  it("refuse every call while INBOUND_SECRET is unset (503), and a missing or wrong secret (401); nothing changes", async () => {
    expect((await postEmail(reply(), "Bearer x")).status).toBe(503);
    expect((await postSms({ From: "+1", Body: "STOP", MessageSid: "S" }, "Bearer x")).status).toBe(503);
    vi.stubEnv("INBOUND_SECRET", "in-secret");
    for (const header of [undefined, "Bearer wrong", "in-secret"]) {
      expect((await postEmail(reply(), header)).status).toBe(401);
      expect((await postSms({ From: "+1", Body: "STOP", MessageSid: "S" }, header)).status).toBe(401);
    }
    expect(await enrollmentStatus()).toBe("active");
  });

  it("with the secret, a reply's raw MIME stops the enrollment as replied; an unmatched message answers 202", async () => {
    vi.stubEnv("INBOUND_SECRET", "in-secret");
    const unmatched = await postEmail("From: <nobody@else.test>\r\nSubject: hi\r\nMessage-ID: <u1@else.test>\r\n\r\nhello\r\n", "Bearer in-secret");
    expect(unmatched.status).toBe(202);
    const response = await postEmail(reply(), `Basic ${Buffer.from("provider:in-secret").toString("base64")}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ matched: true, kind: "reply", duplicate: false });
    expect(await enrollmentStatus()).toBe("replied");
  });

  it("accepts the MIME as a form field (inbound-parse style) and refuses a body over 10 MB", async () => {
    vi.stubEnv("INBOUND_SECRET", "in-secret");
    const route = await import("@/app/api/inbound/email/route");
    const form = new FormData();
    form.set("email", reply());
    const viaForm = await route.POST(new NextRequest("http://localhost/api/inbound/email", { method: "POST", body: form, headers: { authorization: "Bearer in-secret" } }));
    expect(viaForm.status).toBe(200);
    expect(await viaForm.json()).toMatchObject({ matched: true, duplicate: true }); // the same Message-ID as before
    const huge = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 11; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const tooBig = await route.POST(new NextRequest("http://localhost/api/inbound/email", { method: "POST", body: huge, headers: { authorization: "Bearer in-secret" }, duplex: "half" } as unknown as ConstructorParameters<typeof NextRequest>[1]));
    expect(tooBig.status).toBe(413);
  });

  it("one-click unsubscribe: a forged token is refused, the signed one unsubscribes (twice is harmless)", async () => {
    const route = await import("@/app/api/unsubscribe/[token]/route");
    const call = (token: string) =>
      route.POST(new NextRequest(`http://localhost/api/unsubscribe/${token}`, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }), { params: Promise.resolve({ token }) });
    const forged = `${sent.id}.${"A".repeat(32)}`;
    expect((await call(forged)).status).toBe(404);
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contactId)))[0]!.unsubscribedAt).toBeNull();
    const token = unsubscribeToken(sent.id);
    expect((await call(token)).status).toBe(200);
    expect((await call(token)).status).toBe(200);
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contactId)))[0]!.unsubscribedAt).not.toBeNull();
  });
});
