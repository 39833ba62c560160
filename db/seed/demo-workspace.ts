import { and, asc, eq } from "drizzle-orm";
import { companies, contacts, dealEvents, deals, memberships, pipelines, stages, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword } from "@/lib/auth/password";
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_SLUG } from "@/lib/demo";
import { createWorkspace } from "@/lib/workspaces/commands";
import { seedDemoActivities } from "./demo-activities";
import { seedDemoCustomFields } from "./demo-custom-fields";
import { seedDemoSequences } from "./demo-sequences";
import { seedDemoReports } from "./demo-reports";
import { seedDemoWorkflows } from "@/lib/workflows/demo";
import { createRandom, type Random } from "./random";

const DAY = 86_400_000;

const companyNames = [
  "Northwind Traders", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods",
  "Acme Robotics", "Hooli", "Vandelay Imports", "Soylent Labs", "Tyrell Systems", "Cyberdyne Retail", "Oscorp Energy",
  "Wonka Confectionery", "Gringotts Finance", "Monarch Solutions", "Pied Piper", "Aperture Science", "Blue Sun",
  "Massive Dynamic", "Nakatomi Trading", "Duff Beverages", "Gekko & Co", "Sterling Cooper", "Prestige Worldwide",
  "Dunder Mifflin", "Bluth Company", "Kruger Industrial", "华为云合作伙伴", "上海启明科技", "深圳星河电子", "杭州云帆数据",
  "北京远景咨询", "Zenith Bank", "Orbit Telecom", "Helios Solar", "Summit Outdoor", "Harbor Freight Co",
];
const firstNames = ["Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Chloe", "James", "Amara", "Yuki", "Priya", "Omar", "Elena", "Jonas", "伟", "芳", "娜", "静", "强", "磊"];
const lastNames = ["Smith", "Johnson", "Brown", "Müller", "Rossi", "Kim", "Nguyen", "Patel", "Silva", "Cohen", "Dubois", "Tanaka", "王", "李", "张", "刘", "陈"];
const dealKinds = ["Annual licence", "Pilot", "Expansion", "Renewal", "Onboarding package", "Enterprise plan", "Team plan", "Consulting", "Integration project", "Support contract"];
const sources = ["Referral", "Cold email", "Inbound", "Event", "Partner", "Website"];
const lostReasons = ["Price", "Chose a competitor", "No budget", "No decision", "Timing", "Bad fit"];

type StageRow = { id: string; probability: number; rottingDays: number | null };

/**
 * The demo workspace "Acme Sales": a manager, three reps and the demo owner; two pipelines; ~40 companies,
 * ~100 contacts and ~150 deals spread over the last nine months with a realistic stage history (won, lost,
 * open, some stuck). Deterministic (seeded) so every new machine shows the same workspace.
 */
export async function seedDemoWorkspace(db: Db, now: Date) {
  const rnd = createRandom(20261127);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const [demo] = await tx.insert(users).values({ email: DEMO_EMAIL, name: "Dana Demo", passwordHash, timeZone: "UTC" }).returning();
    const ws = await createWorkspace(tx, demo!.id, { name: "Acme Sales", slug: DEMO_SLUG, timeZone: "UTC", currency: "USD" }, new Date(now.getTime() - 300 * DAY));
    const team = await tx
      .insert(users)
      .values([
        { email: "li.wei@example.com", name: "Li Wei", passwordHash, timeZone: "Asia/Shanghai", locale: "zh-CN" as const },
        { email: "maria.garcia@example.com", name: "Maria Garcia", passwordHash, timeZone: "America/New_York" },
        { email: "sam.okafor@example.com", name: "Sam Okafor", passwordHash, timeZone: "Europe/London" },
        { email: "chen.jing@example.com", name: "Chen Jing", passwordHash, timeZone: "Asia/Shanghai", locale: "zh-CN" as const },
      ])
      .returning();
    await tx.insert(memberships).values(team.map((u, i) => ({ workspaceId: ws.id, userId: u.id, role: i === 0 ? ("manager" as const) : ("rep" as const) })));
    const owners = [demo!.id, ...team.map((u) => u.id)];
    const workspaceId = ws.id;

    // Pipelines: the default one renamed, plus a partnerships pipeline.
    const [main] = await tx.select().from(pipelines).where(eq(pipelines.workspaceId, workspaceId));
    await tx.update(pipelines).set({ name: "New business" }).where(eq(pipelines.id, main!.id));
    const mainStages: StageRow[] = await tx
      .select({ id: stages.id, probability: stages.probability, rottingDays: stages.rottingDays })
      .from(stages)
      .where(and(eq(stages.pipelineId, main!.id)))
      .orderBy(asc(stages.position));
    const [partner] = await tx.insert(pipelines).values({ workspaceId, name: "Partnerships", position: 2 }).returning();
    const partnerStages: StageRow[] = await tx
      .insert(stages)
      .values(
        [
          { name: "Intro call", probability: 10, rottingDays: 10 },
          { name: "Evaluation", probability: 40, rottingDays: 21 },
          { name: "Contract", probability: 75, rottingDays: 14 },
          { name: "Onboarding", probability: 95, rottingDays: 30 },
        ].map((s, i) => ({ ...s, workspaceId, pipelineId: partner!.id, position: i + 1 })),
      )
      .returning({ id: stages.id, probability: stages.probability, rottingDays: stages.rottingDays });

    const companyRows = await tx
      .insert(companies)
      .values(companyNames.map((name, i) => ({ workspaceId, name, domain: /^[\x00-\x7F]+$/.test(name) ? `${name.toLowerCase().replace(/[^a-z]+/g, "")}.example` : null, ownerId: owners[i % owners.length], createdAt: new Date(now.getTime() - rnd.int(200, 290) * DAY) })))
      .returning();
    const contactRows = await tx
      .insert(contacts)
      .values(
        Array.from({ length: 100 }, (_, i) => {
          const first = rnd.pick(firstNames);
          const last = rnd.pick(lastNames);
          const company = companyRows[i % companyRows.length]!;
          const createdAt = new Date(now.getTime() - rnd.int(5, 280) * DAY);
          return {
            workspaceId,
            firstName: first,
            lastName: last,
            email: `contact${i + 1}@${company.domain ?? "example.cn"}`,
            phone: `+1 555 01${String(i).padStart(2, "0")}`,
            title: rnd.pick(["CEO", "Head of Sales", "CTO", "Procurement lead", "Operations manager", "VP Marketing"]),
            companyId: company.id,
            ownerId: rnd.pick(owners),
            source: rnd.pick(sources),
            timeZone: rnd.pick(["America/New_York", "Europe/London", "Asia/Shanghai", "Europe/Berlin"]),
            createdAt,
            updatedAt: createdAt,
          };
        }),
      )
      .returning();

    const dealRows: (typeof deals.$inferInsert)[] = [];
    const eventRows: (typeof dealEvents.$inferInsert)[] = [];
    for (let i = 0; i < 150; i++) {
      const inPartner = i % 5 === 4;
      const stageList = inPartner ? partnerStages : mainStages;
      const pipelineId = inPartner ? partner!.id : main!.id;
      const contact = rnd.pick(contactRows);
      const ownerId = rnd.pick(owners);
      // skewed towards recent months, as a growing team's pipeline is
      const createdAt = new Date(now.getTime() - Math.round(3 + 267 * rnd.next() ** 1.6) * DAY - rnd.int(0, 8) * 3_600_000);
      const history = simulate(rnd, stageList, createdAt, now);
      const id = crypto.randomUUID();
      const value = rnd.int(20, 600) * 10_000 + rnd.pick([0, 0, 0, 5_000, 9_900]);
      const close = new Date((history.closedAt ?? new Date(now.getTime() + rnd.int(5, 90) * DAY)).getTime());
      dealRows.push({
        id,
        workspaceId,
        pipelineId,
        stageId: history.stageId,
        title: `${contact.companyId ? companyRows.find((c) => c.id === contact.companyId)!.name : contact.lastName} — ${rnd.pick(dealKinds)}`,
        value,
        currency: "USD",
        ownerId,
        contactId: contact.id,
        companyId: contact.companyId,
        status: history.status,
        lostReason: history.status === "lost" ? rnd.pick(lostReasons) : null,
        expectedCloseDate: close.toISOString().slice(0, 10),
        source: contact.source,
        position: i,
        stageEnteredAt: history.stageEnteredAt,
        closedAt: history.closedAt,
        createdAt,
        updatedAt: history.closedAt ?? history.stageEnteredAt,
      });
      eventRows.push({ workspaceId, dealId: id, type: "created", actorId: ownerId, toStageId: stageList[0]!.id, data: { value, currency: "USD" }, occurredAt: createdAt });
      for (const move of history.moves) {
        eventRows.push({ workspaceId, dealId: id, type: "stage_changed", actorId: ownerId, fromStageId: move.from, toStageId: move.to, occurredAt: move.at });
      }
      if (history.status !== "open") {
        eventRows.push({
          workspaceId,
          dealId: id,
          type: history.status,
          actorId: ownerId,
          toStageId: history.stageId,
          data: history.status === "lost" ? { reason: dealRows.at(-1)!.lostReason } : { value, currency: "USD" },
          occurredAt: history.closedAt!,
        });
      }
    }
    for (let i = 0; i < dealRows.length; i += 50) await tx.insert(deals).values(dealRows.slice(i, i + 50));
    for (let i = 0; i < eventRows.length; i += 200) await tx.insert(dealEvents).values(eventRows.slice(i, i + 200));
    const customers = new Set(dealRows.filter((d) => d.status === "won").map((d) => d.contactId!));
    for (const contactId of customers) await tx.update(contacts).set({ lifecycle: "customer" }).where(eq(contacts.id, contactId));
    await seedDemoCustomFields(tx, workspaceId, main!.id, rnd);
    await seedDemoActivities(tx, workspaceId, now);
    await seedDemoWorkflows(tx, workspaceId, now);
    await seedDemoSequences(tx, workspaceId, now);
    await seedDemoReports(tx, workspaceId, main!.id, demo!.id, now, rnd);
  });
}

/**
 * Walks a deal forward through the stages from its creation until now: each stay lasts 2–30 days, and at each
 * stage the deal may be lost; in the last stage it is won (mostly) or lost. A few recent deals stall (stuck).
 */
function simulate(rnd: Random, stageList: StageRow[], createdAt: Date, now: Date) {
  let index = 0;
  let at = createdAt.getTime();
  const moves: { from: string; to: string; at: Date }[] = [];
  for (;;) {
    const stay = rnd.int(2, 30) * DAY + rnd.int(0, 20) * 3_600_000;
    const open = () => ({ stageId: stageList[index]!.id, stageEnteredAt: new Date(at), status: "open" as const, closedAt: null, moves });
    if (at + stay >= now.getTime()) return open();
    if (now.getTime() - at < 75 * DAY && rnd.chance(0.06)) return open(); // stalls: shows as stuck past the rotting days
    const last = index === stageList.length - 1;
    const closedAt = new Date(at + stay);
    if (rnd.chance(last ? 0.3 : 0.1 + index * 0.03)) return { stageId: stageList[index]!.id, stageEnteredAt: new Date(at), status: "lost" as const, closedAt, moves };
    if (last) return { stageId: stageList[index]!.id, stageEnteredAt: new Date(at), status: "won" as const, closedAt, moves };
    moves.push({ from: stageList[index]!.id, to: stageList[index + 1]!.id, at: closedAt });
    index += 1;
    at += stay;
  }
}
