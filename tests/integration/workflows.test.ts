import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { activities, auditLog, contacts, deals, domainEvents, jobs, stages, users, workflowRuns, workflows } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createContact } from "@/lib/contacts/commands";
import { createDeal, deleteDeal, moveDeal, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { jobHandlers } from "@/lib/jobs/handlers";
import { listDeadJobs } from "@/lib/jobs/queries";
import { runDueJobs } from "@/lib/jobs/runner";
import { deleteWorkflow, duplicateWorkflow, saveWorkflow, setWorkflowEnabled } from "@/lib/workflows/commands";
import { getWorkflow, listWorkflowRuns, listWorkflows } from "@/lib/workflows/queries";
import { runWorkflowStep } from "@/lib/workflows/run-step";
import { saveWorkflowSchema, type WorkflowInput } from "@/lib/workflows/schema";
import { seedDemoWorkflows } from "@/lib/workflows/demo";
import { startWorkflowRuns } from "@/lib/workflows/start";
import { signWebhook } from "@/lib/workflows/webhook";
import { createTestDb, type TestDb } from "../helpers/db";
import { at, createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let b: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
/** Lead in, Qualified, Demo, Proposal, Negotiation */
let stage: Record<"lead" | "qualified" | "demo" | "proposal" | "negotiation", string>;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  b = await createWorkspaceFixture(t.db, "Beta");
  owner = await a.ctx("owner");
  const rows = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(asc(stages.position));
  pipelineId = rows[0]!.pipelineId;
  const [lead, qualified, demo, proposal, negotiation] = rows.map((s) => s.id);
  stage = { lead: lead!, qualified: qualified!, demo: demo!, proposal: proposal!, negotiation: negotiation! };
  // The rep works from Shanghai: "due in 1 day" is tomorrow in their calendar.
  await t.db.update(users).set({ timeZone: "Asia/Shanghai" }).where(eq(users.id, a.users.rep));
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.delete(workflows).where(eq(workflows.workspaceId, a.workspaceId));
  await t.db.delete(jobs);
});
afterEach(() => vi.unstubAllEnvs());

const save = (ctx: Ctx, input: WorkflowInput & { workflowId?: string }) => saveWorkflow(ctx, saveWorkflowSchema.parse(input));
const newDeal = (title: string, extra: Record<string, unknown> = {}, ctx = owner) =>
  createDeal(ctx, createDealSchema.parse({ title, value: "1000", pipelineId, stageId: stage.lead, ownerId: a.users.rep, ...extra }));
/** Runs every due job until the queue is idle, like ticks would. */
const drain = (now = NOW) => runDueJobs(t.db, now, jobHandlers, { maxJobs: 1000 });
const runsOf = (workflowId: string) => t.db.select().from(workflowRuns).where(eq(workflowRuns.workflowId, workflowId)).orderBy(asc(workflowRuns.startedAt));
const dealRow = async (id: string) => (await t.db.select().from(deals).where(eq(deals.id, id)))[0]!;

const demoExample = (): WorkflowInput => ({
  name: "Call after the demo",
  enabled: true,
  trigger: { type: "deal.stage_changed", pipelineId, stageId: stage.demo },
  conditions: { match: "all", rules: [] },
  actions: [{ type: "create_activity", activityType: "call", subject: "Follow-up call after the demo", assignTo: "deal_owner", dueIn: 1, dueUnit: "days" }],
});

describe("the demo example: when a deal moves to Demo, create a call for the deal owner due in 1 day", () => {
  it("creates the call on the next tick, once, and logs the run", async () => {
    const workflow = await save(owner, demoExample());
    const deal = await newDeal("Example deal");
    await moveDeal(at(owner, "2026-03-10T18:00:00Z"), { dealId: deal.id, toStageId: stage.demo });
    expect(await t.db.select().from(activities).where(eq(activities.dealId, deal.id))).toEqual([]); // nothing before the tick
    await drain(new Date("2026-03-10T18:00:05Z"));
    const calls = await t.db.select().from(activities).where(eq(activities.dealId, deal.id));
    expect(calls).toHaveLength(1);
    // 18:00 UTC is 02:00 on the 11th in Shanghai: "in 1 day" is the 12th there, all day.
    expect(calls[0]).toMatchObject({ type: "call", subject: "Follow-up call after the demo", assigneeId: a.users.rep, origin: "workflow", dueDate: "2026-03-12", dueAt: null, contactId: deal.contactId });
    const [run] = await listWorkflowRuns(owner, workflow.id);
    expect(run).toMatchObject({ status: "completed", eventType: "deal.stage_changed", subject: { type: "deal", id: deal.id, label: "Example deal" }, conditions: { passed: true } });
    expect(run!.steps[0]).toMatchObject({ status: "done", type: "create_activity", detail: { activityId: calls[0]!.id, assigneeId: a.users.rep } });
    // Ticking again changes nothing.
    await drain(new Date("2026-03-10T18:10:00Z"));
    expect(await t.db.select().from(activities).where(eq(activities.dealId, deal.id))).toHaveLength(1);
  });

  it("does not fire for other stages, other pipelines' narrowing, or events before it was enabled", async () => {
    const before = await newDeal("Moved before");
    await moveDeal(owner, { dealId: before.id, toStageId: stage.demo });
    const workflow = await save(at(owner, "2026-03-10T09:00:01Z"), demoExample());
    const other = await newDeal("Other stage");
    await moveDeal(at(owner, "2026-03-10T09:00:02Z"), { dealId: other.id, toStageId: stage.proposal });
    await drain();
    expect(await runsOf(workflow.id)).toEqual([]);
    expect(await t.db.select().from(activities).where(eq(activities.dealId, before.id))).toEqual([]);
  });

  it("is what the demo seed installs, enabled from the seed's time", async () => {
    await seedDemoWorkflows(t.db, a.workspaceId, NOW);
    const [seeded] = await listWorkflows(owner);
    expect(seeded).toMatchObject({ name: "Call after the demo", enabled: true, trigger: { type: "deal.stage_changed", pipelineId, stageId: stage.demo }, actionTypes: ["create_activity"] });
    const deal = await newDeal("Seeded example");
    await moveDeal(at(owner, "2026-03-10T09:30:00Z"), { dealId: deal.id, toStageId: stage.demo });
    await drain(new Date("2026-03-10T09:30:05Z"));
    const [call] = await t.db.select().from(activities).where(eq(activities.dealId, deal.id));
    expect(call).toMatchObject({ type: "call", assigneeId: a.users.rep, dueDate: "2026-03-11", origin: "workflow" });
  });

  it("uses the due time of a timed follow-up in hours", async () => {
    await save(owner, { ...demoExample(), actions: [{ type: "create_activity", activityType: "email", subject: "Send the recap", assignTo: "user", userId: a.users.manager, dueIn: 4, dueUnit: "hours" }] });
    const deal = await newDeal("Hours");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await drain();
    const [activity] = await t.db.select().from(activities).where(eq(activities.dealId, deal.id));
    expect(activity).toMatchObject({ type: "email", assigneeId: a.users.manager, dueDate: null });
    expect(activity!.dueAt!.toISOString()).toBe("2026-03-10T13:00:00.000Z");
  });
});

describe("conditions", () => {
  it("skips a run whose conditions fail and logs why", async () => {
    const workflow = await save(owner, {
      ...demoExample(),
      conditions: { match: "all", rules: [{ field: "deal.value", op: "gt", value: "5000" }, { field: "owner.id", op: "eq", value: a.users.rep }] },
    });
    const small = await newDeal("Small", { value: "1000" });
    const big = await newDeal("Big", { value: "9000" });
    await moveDeal(owner, { dealId: small.id, toStageId: stage.demo });
    await moveDeal(owner, { dealId: big.id, toStageId: stage.demo });
    await drain();
    const runs = await listWorkflowRuns(owner, workflow.id);
    const bySubject = Object.fromEntries(runs.map((r) => [r.subject.label, r]));
    expect(bySubject.Small).toMatchObject({ status: "skipped", skipReason: "conditions", conditions: { passed: false } });
    expect(bySubject.Small!.conditions).toMatchObject({ rules: [{ field: "deal.value", actual: 1000, passed: false }, { field: "owner.id", passed: true }] });
    expect(bySubject.Big).toMatchObject({ status: "completed" });
    expect(await t.db.select().from(activities).where(eq(activities.dealId, small.id))).toEqual([]);
    expect(await t.db.select().from(activities).where(eq(activities.dealId, big.id))).toHaveLength(1);
  });
});

describe("actions", () => {
  it("updates fields, moves, wins and reassigns, in order", async () => {
    const workflow = await save(owner, {
      name: "Fast track",
      enabled: true,
      trigger: { type: "deal.created", pipelineId },
      conditions: { match: "any", rules: [{ field: "deal.title", op: "contains", value: "fast" }] },
      actions: [
        { type: "update_field", field: "deal.value", value: "2500.50" },
        { type: "update_field", field: "deal.expectedCloseDate", value: "2026-04-30" },
        { type: "update_field", field: "contact.lifecycle", value: "qualified" },
        { type: "move_stage", stageId: stage.negotiation },
        { type: "change_owner", mode: "user", userId: a.users.manager },
        { type: "mark_won" },
      ],
    });
    const deal = await newDeal("Fast deal", { newContactName: "Grace Hopper" });
    await drain();
    const row = await dealRow(deal.id);
    expect(row).toMatchObject({ value: 250050, expectedCloseDate: "2026-04-30", stageId: stage.negotiation, ownerId: a.users.manager, status: "won" });
    const [contact] = await t.db.select().from(contacts).where(eq(contacts.id, deal.contactId!));
    expect(contact!.lifecycle).toBe("customer"); // qualified by the workflow, then customer when won
    const [run] = await runsOf(workflow.id);
    expect(run!.status).toBe("completed");
    expect((run!.steps as { status: string }[]).map((s) => s.status)).toEqual(["done", "done", "done", "done", "done", "done"]);
    // The changes went through the deal commands: history shows them, caused by the workflow (depth 1).
    const caused = await t.db.select().from(domainEvents).where(and(eq(domainEvents.subjectId, deal.id), eq(domainEvents.depth, 1)));
    expect(caused.map((e) => e.type).sort()).toEqual(["deal.field_changed", "deal.field_changed", "deal.field_changed", "deal.stage_changed", "deal.won"].sort());
  });

  it("marks lost with the reason", async () => {
    await save(owner, { name: "Lose", enabled: true, trigger: { type: "deal.stage_changed", stageId: stage.negotiation }, conditions: { match: "all", rules: [] }, actions: [{ type: "mark_lost", reason: "No budget" }] });
    const deal = await newDeal("Lost one");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.negotiation });
    await drain();
    expect(await dealRow(deal.id)).toMatchObject({ status: "lost", lostReason: "No budget" });
  });

  it("assigns owners round-robin over a set, skipping people who left", async () => {
    const workflow = await save(owner, {
      name: "Round robin",
      enabled: true,
      trigger: { type: "deal.created" },
      conditions: { match: "all", rules: [] },
      actions: [{ type: "change_owner", mode: "round_robin", userIds: [a.users.rep, a.users.manager, a.users.admin] }],
    });
    const owners: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const deal = await newDeal(`RR ${i}`, { ownerId: a.users.owner });
      await drain();
      owners.push((await dealRow(deal.id)).ownerId);
    }
    expect(owners).toEqual([a.users.rep, a.users.manager, a.users.admin, a.users.rep]);
    const [state] = await t.db.select({ state: workflows.state }).from(workflows).where(eq(workflows.id, workflow.id));
    expect(Object.values(state!.state)).toEqual([0]);
  });

  it("works on contacts: contact created → assign an owner", async () => {
    await save(owner, {
      name: "New contacts to the manager",
      enabled: true,
      trigger: { type: "contact.created" },
      conditions: { match: "all", rules: [{ field: "contact.email", op: "contains", value: "@bigcorp.example" }] },
      actions: [{ type: "change_owner", mode: "user", userId: a.users.manager }, { type: "update_field", field: "contact.source", value: "Inbound" }],
    });
    const vip = await createContact(owner, { firstName: "Vic", email: "vic@bigcorp.example" });
    const other = await createContact(owner, { firstName: "Olga", email: "olga@small.example" });
    await drain();
    const rows = await t.db.select().from(contacts).where(eq(contacts.workspaceId, a.workspaceId));
    expect(rows.find((c) => c.id === vip.id)).toMatchObject({ ownerId: a.users.manager, source: "Inbound" });
    expect(rows.find((c) => c.id === other.id)).toMatchObject({ ownerId: a.users.owner, source: null });
  });

  it("cancels the run when its deal was deleted before the step ran", async () => {
    const workflow = await save(owner, demoExample());
    const deal = await newDeal("Vanishing");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await runDueJobs(t.db, NOW, jobHandlers, { kinds: ["dispatch-event"] });
    await deleteDeal(owner, deal.id);
    await drain();
    const [run] = await runsOf(workflow.id);
    expect(run).toMatchObject({ status: "cancelled" });
    expect(await t.db.select().from(activities).where(eq(activities.dealId, deal.id))).toEqual([]);
    expect(await listDeadJobs(owner)).toEqual([]);
  });
});

describe("signed webhooks", () => {
  let server: http.Server;
  let url: string;
  let received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer = 200;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pipewise`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
    answer = 200;
  });

  const webhookWorkflow = (): WorkflowInput => ({ name: "Tell the ERP", enabled: true, trigger: { type: "deal.won" }, conditions: { match: "all", rules: [] }, actions: [{ type: "webhook", url }] });

  it("POSTs a JSON body signed with HMAC-SHA256 and a stable delivery id", async () => {
    vi.stubEnv("PIPEWISE_WEBHOOK_ALLOW_PRIVATE", "1");
    const workflow = await save(owner, webhookWorkflow());
    const secret = (await getWorkflow(owner, workflow.id)).actions[0]!;
    expect(secret).toMatchObject({ type: "webhook", secret: expect.stringMatching(/^whsec_/) });
    const deal = await newDeal("Hooked", { value: "4200" });
    const { markWon } = await import("@/lib/deals/commands");
    await markWon(owner, deal.id);
    await drain();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["x-pipewise-event"]).toBe("deal.won");
    const [run] = await runsOf(workflow.id);
    expect(headers["x-pipewise-delivery"]).toBe(`${run!.id}:0`);
    const timestamp = Number(headers["x-pipewise-timestamp"]);
    expect(timestamp).toBe(Math.floor(NOW.getTime() / 1000));
    expect(headers["x-pipewise-signature"]).toBe(signWebhook((secret as { secret: string }).secret, timestamp, body));
    expect(JSON.parse(body)).toMatchObject({ event: "deal.won", subject: { type: "deal", id: deal.id }, deal: { title: "Hooked", value: 420000, status: "won" }, workflow: { id: workflow.id } });
    expect(run!.status).toBe("completed");
  });

  it("retries a failing receiver with backoff, then fails the run with the error", async () => {
    vi.stubEnv("PIPEWISE_WEBHOOK_ALLOW_PRIVATE", "1");
    answer = 503;
    const workflow = await save(owner, webhookWorkflow());
    const deal = await newDeal("Unlucky");
    const { markWon } = await import("@/lib/deals/commands");
    await markWon(owner, deal.id);
    let now = NOW;
    for (let i = 0; i < 6; i++) {
      await drain(now);
      now = new Date(now.getTime() + 3_600_000);
    }
    expect(received).toHaveLength(5); // maxAttempts
    expect(new Set(received.map((r) => r.headers["x-pipewise-delivery"])).size).toBe(1);
    const [run] = await listWorkflowRuns(owner, workflow.id);
    expect(run).toMatchObject({ status: "failed" });
    expect(run!.steps[0]).toMatchObject({ status: "failed", error: "webhook answered HTTP 503", attempts: 5 });
    const dead = await listDeadJobs(at(owner, now.toISOString()));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ kind: "workflow-step", lastError: "webhook answered HTTP 503" });
  });

  it("refuses private addresses unless allowed (a permanent failure, no retries)", async () => {
    const workflow = await save(owner, webhookWorkflow());
    const deal = await newDeal("Internal");
    const { markWon } = await import("@/lib/deals/commands");
    await markWon(owner, deal.id);
    await drain();
    expect(received).toEqual([]);
    const [run] = await listWorkflowRuns(owner, workflow.id);
    expect(run).toMatchObject({ status: "failed" });
    expect(run!.steps[0]!.error).toContain("private address");
  });
});

describe("loop protection", () => {
  it("never lets two workflows bounce a deal between stages forever", async () => {
    const toDemo = await save(owner, { name: "Qualified → Demo", enabled: true, trigger: { type: "deal.stage_changed", stageId: stage.qualified }, conditions: { match: "all", rules: [] }, actions: [{ type: "move_stage", stageId: stage.demo }] });
    const back = await save(owner, { name: "Demo → Qualified", enabled: true, trigger: { type: "deal.stage_changed", stageId: stage.demo }, conditions: { match: "all", rules: [] }, actions: [{ type: "move_stage", stageId: stage.qualified }] });
    const deal = await newDeal("Ping-pong");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.qualified });
    const stats = await drain();
    expect(stats.claimed).toBeLessThan(20);
    const first = await runsOf(toDemo.id);
    expect(first.map((r) => [r.status, r.skipReason, r.depth])).toEqual([
      ["completed", null, 0],
      ["skipped", "loop", 2],
    ]);
    expect((await runsOf(back.id)).map((r) => [r.status, r.depth])).toEqual([["completed", 1]]);
    expect((await dealRow(deal.id)).stageId).toBe(stage.qualified);
  });

  it("does not re-trigger itself on its own change", async () => {
    const workflow = await save(owner, { name: "Tag big deals", enabled: true, trigger: { type: "deal.field_changed" }, conditions: { match: "all", rules: [] }, actions: [{ type: "update_field", field: "deal.source", value: "Big" }] });
    const deal = await newDeal("Self");
    await updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, title: "Self, renamed" }));
    await drain();
    expect((await runsOf(workflow.id)).map((r) => [r.status, r.skipReason])).toEqual([
      ["completed", null],
      ["skipped", "loop"],
    ]);
    expect((await dealRow(deal.id)).source).toBe("Big");
  });

  it("stops a cascade of different workflows at the depth limit", async () => {
    const chain = [
      [stage.qualified, stage.demo],
      [stage.demo, stage.proposal],
      [stage.proposal, stage.negotiation],
      [stage.negotiation, stage.lead],
    ] as const;
    const ids = [];
    for (const [from, to] of chain) {
      ids.push((await save(owner, { name: `step ${from}`, enabled: true, trigger: { type: "deal.stage_changed", stageId: from }, conditions: { match: "all", rules: [] }, actions: [{ type: "move_stage", stageId: to }] })).id);
    }
    const deal = await newDeal("Cascade");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.qualified });
    await drain();
    const statuses = [];
    for (const id of ids) statuses.push((await runsOf(id)).map((r) => [r.status, r.skipReason]));
    expect(statuses).toEqual([[["completed", null]], [["completed", null]], [["completed", null]], [["skipped", "depth"]]]);
    expect((await dealRow(deal.id)).stageId).toBe(stage.negotiation);
  });
});

describe("idempotency", () => {
  it("starts one run per workflow and event, and performs a step once even if its job runs twice", async () => {
    const workflow = await save(owner, demoExample());
    const deal = await newDeal("Twice");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    const [event] = await t.db.select().from(domainEvents).where(and(eq(domainEvents.subjectId, deal.id), eq(domainEvents.type, "deal.stage_changed")));
    expect(await startWorkflowRuns(t.db, event!, NOW)).toBe(1);
    expect(await startWorkflowRuns(t.db, event!, NOW)).toBe(0);
    const [run] = await runsOf(workflow.id);
    await runWorkflowStep(t.db, NOW, run!.id, 0, 1);
    await runWorkflowStep(t.db, NOW, run!.id, 0, 2); // a duplicate or late job
    await drain();
    expect(await t.db.select().from(activities).where(eq(activities.dealId, deal.id))).toHaveLength(1);
    expect(await runsOf(workflow.id)).toHaveLength(1);
  });
});

describe("managing workflows", () => {
  it("lets only owners and admins change workflows; every member sees the list", async () => {
    for (const role of ["manager", "rep"] as const) {
      await expect(save(await a.ctx(role), demoExample())).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const workflow = await save(await a.ctx("admin"), demoExample());
    expect((await listWorkflows(await a.ctx("rep"))).map((w) => w.id)).toEqual([workflow.id]);
    await expect(getWorkflow(await a.ctx("rep"), workflow.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setWorkflowEnabled(await a.ctx("manager"), workflow.id, false)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps workspaces apart: B cannot see, change or reference A's", async () => {
    const workflow = await save(owner, demoExample());
    const bOwner = await b.ctx("owner");
    await expect(getWorkflow(bOwner, workflow.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setWorkflowEnabled(bOwner, workflow.id, false)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(duplicateWorkflow(bOwner, workflow.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteWorkflow(bOwner, workflow.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listWorkflowRuns(bOwner, workflow.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(save(bOwner, { ...demoExample(), workflowId: workflow.id })).rejects.toMatchObject({ code: "VALIDATION" }); // A's stage in the trigger
    await expect(save(bOwner, { ...demoExample(), trigger: { type: "deal.created" }, workflowId: workflow.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listWorkflows(bOwner)).toEqual([]);
    expect((await getWorkflow(owner, workflow.id)).enabled).toBe(true);
  });

  it("refuses references outside the workspace field by field", async () => {
    const bStage = (await t.db.select({ id: stages.id }).from(stages).where(eq(stages.workspaceId, b.workspaceId)))[0]!.id;
    const error = await save(owner, {
      ...demoExample(),
      trigger: { type: "deal.stage_changed", stageId: bStage },
      conditions: { match: "all", rules: [{ field: "owner.id", op: "eq", value: b.users.rep }] },
      actions: [{ type: "move_stage", stageId: bStage }, { type: "change_owner", mode: "round_robin", userIds: [a.users.rep, b.users.rep] }],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "VALIDATION",
      fieldErrors: { "trigger.stageId": ["errors.NOT_FOUND"], "conditions.rules.0.value": ["errors.NOT_FOUND"], "actions.0.stageId": ["errors.NOT_FOUND"], "actions.1.userIds": ["errors.NOT_FOUND"] },
    });
    expect(await listWorkflows(owner)).toEqual([]);
  });

  it("fires only in its own workspace", async () => {
    const bOwner = await b.ctx("owner");
    const bStages = await t.db.select().from(stages).where(eq(stages.workspaceId, b.workspaceId)).orderBy(asc(stages.position));
    const bWorkflow = await save(bOwner, { ...demoExample(), trigger: { type: "deal.stage_changed", stageId: bStages[2]!.id } });
    await save(bOwner, { ...demoExample(), name: "Any B deal created", trigger: { type: "deal.created" } });
    const deal = await newDeal("A only");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await drain();
    expect(await runsOf(bWorkflow.id)).toEqual([]);
    expect(await t.db.select().from(workflowRuns).where(eq(workflowRuns.workspaceId, b.workspaceId))).toEqual([]);
  });

  it("enables (from now on), disables, duplicates (disabled, new ids and secrets) and deletes, with an audit trail", async () => {
    const workflow = await save(owner, { ...demoExample(), enabled: false, actions: [...demoExample().actions, { type: "webhook", url: "https://example.com/hook" }] });
    expect(workflow).toMatchObject({ enabled: false, enabledAt: null });
    const deal = await newDeal("Before enabling");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    const enabled = await setWorkflowEnabled(at(owner, "2026-03-10T10:00:00Z"), workflow.id, true);
    expect(enabled.enabledAt!.toISOString()).toBe("2026-03-10T10:00:00.000Z");
    await drain(new Date("2026-03-10T10:00:00Z"));
    expect(await runsOf(workflow.id)).toEqual([]); // the move happened before it was enabled
    const copy = await duplicateWorkflow(owner, workflow.id, "Call after the demo (copy)");
    expect(copy).toMatchObject({ name: "Call after the demo (copy)", enabled: false });
    const [original, copied] = [await getWorkflow(owner, workflow.id), await getWorkflow(owner, copy.id)];
    expect(copied.actions.map((x) => x.id)).not.toEqual(original.actions.map((x) => x.id));
    expect((copied.actions[1] as { secret: string }).secret).not.toBe((original.actions[1] as { secret: string }).secret);
    await setWorkflowEnabled(owner, workflow.id, false);
    await deleteWorkflow(owner, copy.id);
    await expect(getWorkflow(owner, copy.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const trail = await t.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.targetType, "workflow")));
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(["workflow.created", "workflow.enabled", "workflow.duplicated", "workflow.disabled", "workflow.deleted"]));
  });

  it("keeps an edited workflow's secret and its enabled time", async () => {
    const workflow = await save(owner, { name: "Hook", enabled: true, trigger: { type: "deal.won" }, conditions: { match: "all", rules: [] }, actions: [{ type: "webhook", url: "https://example.com/a" }] });
    const saved = await getWorkflow(owner, workflow.id);
    const updated = await save(at(owner, "2026-03-11T09:00:00Z"), { ...saved, workflowId: workflow.id, name: "Hook v2", trigger: { type: "deal.won" } });
    expect(updated.enabledAt!.toISOString()).toBe(NOW.toISOString());
    expect((await getWorkflow(owner, workflow.id)).actions[0]).toMatchObject({ secret: (saved.actions[0] as { secret: string }).secret });
  });
});
