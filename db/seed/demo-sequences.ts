import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { contacts, messages, scoringRules, sequenceEnrollments, users, workspaces } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Ctx } from "@/lib/context";
import { DEMO_EMAIL } from "@/lib/demo";
import { safeTimeZone } from "@/lib/activities/time";
import { handleMatched } from "@/lib/inbound/email";
import { enrollContact, saveSequence } from "@/lib/sequences/commands";
import { deliverMessage, runSequenceStep } from "@/lib/sequences/runner";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { nextWindowStart } from "@/lib/sequences/window";

const DAY = 86_400_000;

/**
 * Two sequences for the demo workspace, with history: an inbound follow-up (A/B-tested first email, a call task,
 * a threaded follow-up) and a re-engagement cadence with an SMS. A dozen contacts were enrolled over the last
 * week; their first steps ran (captured: the demo has no SMTP) and two of them replied, so the stats, the Outbox
 * and the contact timelines show something. Later steps are ordinary jobs: the running app's tick picks them up.
 * A scoring rule gives 10 points for a reply to a sequence email.
 */
export async function seedDemoSequences(db: Db, workspaceId: string, now: Date) {
  const [demo] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_EMAIL));
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!demo || !ws) return;
  const ctx: Ctx = {
    db,
    workspaceId,
    userId: demo.id,
    role: "owner",
    now: new Date(now.getTime() - 8 * DAY),
    workspace: { id: ws.id, slug: ws.slug, name: ws.name, timeZone: ws.timeZone, currency: ws.currency, dealVisibility: ws.dealVisibility },
  };
  const common = {
    windowDays: [1, 2, 3, 4, 5],
    windowStartMinute: 8 * 60,
    windowEndMinute: 18 * 60,
    dailyLimit: 150,
    stopOnMeeting: true,
    stopOnDealWon: true,
    stopOnDealLost: true,
    stopOnUnsubscribe: true,
    stopOnBounce: true,
    autoReplyPauseDays: 3,
  };
  const inbound = await saveSequence(
    ctx,
    saveSequenceSchema.parse({
      ...common,
      name: "Inbound lead follow-up",
      description: "For new leads from the website: two emails and a call within a week.",
      stopCompanyOnReply: true,
      steps: [
        {
          kind: "email",
          delayAmount: 5,
          delayUnit: "minutes",
          variants: [
            { subject: "Thanks for your interest, {{contact.first_name | \"there\"}}", body: "Hi {{contact.first_name | \"there\"}},\n\nThanks for reaching out about Pipewise. What made {{company.name | \"your team\"}} look for a new CRM?\n\nBest,\n{{owner.first_name}}" },
            { subject: "Quick question about {{company.name | \"your pipeline\"}}", body: "Hi {{contact.first_name | \"there\"}},\n\nHow do you track deals at {{company.name | \"your company\"}} today? Happy to show you what works for teams like yours.\n\n{{owner.name}}" },
          ],
        },
        { kind: "task", delayAmount: 2, delayUnit: "business_days", taskType: "call", variants: [{ subject: "Call {{contact.full_name}} ({{company.name | \"no company\"}})", body: "Ask about their current process and timeline." }] },
        { kind: "email", delayAmount: 3, delayUnit: "business_days", threadReply: true, variants: [{ subject: "", body: "Hi {{contact.first_name | \"there\"}}, just checking whether you had a chance to read my note. Would a 15-minute call this week help?\n\n{{owner.first_name}}" }] },
      ],
    }),
  );
  const reengage = await saveSequence(
    ctx,
    saveSequenceSchema.parse({
      ...common,
      name: "Re-engage cold deals",
      description: "Deals that went quiet: an email, a short SMS, a last email.",
      stopCompanyOnReply: false,
      steps: [
        { kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: "Still on your radar?", body: "Hi {{contact.first_name | \"there\"}},\n\nWe last talked about {{deal.title | \"your project\"}}. Is it still a priority this quarter?\n\n{{owner.first_name}}" }] },
        { kind: "sms", delayAmount: 2, delayUnit: "business_days", variants: [{ subject: "", body: "Hi {{contact.first_name | \"there\"}}, {{owner.first_name}} from Pipewise here: worth a quick call this week?" }] },
        { kind: "email", delayAmount: 4, delayUnit: "business_days", threadReply: true, variants: [{ subject: "", body: "Closing the loop for now, {{contact.first_name | \"there\"}}. Reply any time if timing changes." }] },
      ],
    }),
  );

  await db.insert(scoringRules).values({ workspaceId, eventType: "contact.email_replied", points: 10 });

  const people = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), isNotNull(contacts.email), isNotNull(contacts.phone), isNull(contacts.unsubscribedAt)))
    .orderBy(asc(contacts.email))
    .limit(14);
  const capture = { email: async () => ({ status: "captured" as const }), sms: async () => ({ status: "captured" as const }) };
  for (const [i, person] of people.entries()) {
    const sequenceId = i < 8 ? inbound.id : reengage.id;
    const tz = safeTimeZone(person.timeZone ?? ws.timeZone);
    const window = { days: common.windowDays, startMinute: common.windowStartMinute, endMinute: common.windowEndMinute };
    // Enrolled on one of the last seven working days, at a moment its first step could go out.
    const enrolledAt = nextWindowStart(new Date(now.getTime() - (7 - (i % 6)) * DAY), window, tz);
    if (!enrolledAt || enrolledAt.getTime() > now.getTime() - DAY) continue;
    const result = await enrollContact(db, { ...ctx, now: enrolledAt }, { sequenceId, contactId: person.id });
    if (!result.ok) continue;
    const [e] = await db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.id, result.enrollmentId));
    const firstRun = e!.nextRunAt!;
    if (firstRun.getTime() > now.getTime()) continue;
    await runSequenceStep(db, firstRun, { enrollmentId: e!.id, step: 0, generation: e!.generation });
    const [m] = await db.select().from(messages).where(eq(messages.enrollmentId, e!.id));
    if (!m) continue;
    await deliverMessage(db, firstRun, m.id, capture);
    // Two prospects answered the next day.
    if (i === 1 || i === 9) {
      const [sent] = await db.select().from(messages).where(eq(messages.id, m.id));
      await handleMatched(db, new Date(firstRun.getTime() + DAY), sent!, {
        channel: "email",
        kind: "reply",
        from: sent!.toAddress,
        subject: `Re: ${sent!.subject}`,
        text: i === 1 ? "Thanks! We're outgrowing spreadsheets. Could you show us the pipeline board next week?" : "Timing is better now — let's pick this up again.",
        externalId: `<demo-reply-${i}@pipewise.demo>`,
      });
    }
  }
}
