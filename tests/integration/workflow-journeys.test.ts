import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { activities, contacts, deals, domainEvents, jobs, notifications, scoringRules, sequenceEnrollments, stages, workflowRuns, workflows, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { createActivity, rescheduleActivity, setActivityDone } from "@/lib/activities/commands";
import { emitOverdueActivities } from "@/lib/activities/events";
import { createActivitySchema } from "@/lib/activities/schema";
import { createContact } from "@/lib/contacts/commands";
import { createContactSchema } from "@/lib/contacts/schema";
import { createDeal, markWon, moveDeal, updateDeal } from "@/lib/deals/commands";
import { createDealSchema, updateDealSchema } from "@/lib/deals/schema";
import { jobHandlers } from "@/lib/jobs/handlers";
import { runDueJobs } from "@/lib/jobs/runner";
import { addScoringRule } from "@/lib/scoring/commands";
import { scoringRuleSchema } from "@/lib/scoring/schema";
import { createCustomField } from "@/lib/custom-fields/commands";
import { listNotifications } from "@/lib/notifications/queries";
import { saveSequence } from "@/lib/sequences/commands";
import { saveSequenceSchema } from "@/lib/sequences/schema";
import { fillMessage } from "@/lib/workflows/actions";
import { cancelWorkflowRun, saveWorkflow } from "@/lib/workflows/commands";
import { compileSteps } from "@/lib/workflows/program";
import { listWaitingRuns, listWorkflowRuns } from "@/lib/workflows/queries";
import { saveWorkflowSchema, workflowSchema, type WorkflowInput } from "@/lib/workflows/schema";
import { createTestDb, type TestDb } from "../helpers/db";
import { startSmtp } from "../helpers/smtp";
import { at, createWorkspaceFixture, NOW, type WorkspaceFixture } from "../helpers/fixtures";

let t: TestDb;
let a: WorkspaceFixture;
let owner: Ctx;
let pipelineId: string;
let stage: Record<"lead" | "qualified" | "demo", string>;

beforeAll(async () => {
  t = await createTestDb();
  a = await createWorkspaceFixture(t.db, "Alpha");
  owner = await a.ctx("owner");
  const rows = await t.db.select().from(stages).where(eq(stages.workspaceId, a.workspaceId)).orderBy(asc(stages.position));
  pipelineId = rows[0]!.pipelineId;
  stage = { lead: rows[0]!.id, qualified: rows[1]!.id, demo: rows[2]!.id };
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.delete(workflows).where(eq(workflows.workspaceId, a.workspaceId));
  await t.db.delete(scoringRules).where(eq(scoringRules.workspaceId, a.workspaceId));
  await t.db.delete(jobs);
});

const MIN = 60_000;
const plus = (ms: number, from = NOW) => new Date(from.getTime() + ms);
const save = (ctx: Ctx, input: WorkflowInput) => saveWorkflow(ctx, saveWorkflowSchema.parse(input));
const drain = (now = NOW) => runDueJobs(t.db, now, jobHandlers, { maxJobs: 1000 });
const runsOf = (workflowId: string) => t.db.select().from(workflowRuns).where(eq(workflowRuns.workflowId, workflowId)).orderBy(asc(workflowRuns.startedAt));
const newDeal = (title: string, extra: Record<string, unknown> = {}, ctx = owner) =>
  createDeal(ctx, createDealSchema.parse({ title, value: "1000", pipelineId, stageId: stage.lead, ownerId: a.users.rep, ...extra }));
const newContact = (firstName: string, ctx = owner) => createContact(ctx, createContactSchema.parse({ firstName, lastName: "Test", email: `${firstName.toLowerCase()}@example.com` }));
const activity = (ctx: Ctx, input: Record<string, unknown>) => createActivity(ctx, createActivitySchema.parse({ subject: "Follow up", dueDate: "2026-03-12", ...input }), "UTC");
const eventsOf = (subjectId: string) => t.db.select().from(domainEvents).where(eq(domainEvents.subjectId, subjectId)).orderBy(asc(domainEvents.id));
const dealActivities = (dealId: string) => t.db.select().from(activities).where(eq(activities.dealId, dealId)).orderBy(asc(activities.createdAt));
const onDemo = (actions: WorkflowInput["actions"], extra: Partial<WorkflowInput> = {}): WorkflowInput => ({
  name: "Journey",
  enabled: true,
  trigger: { type: "deal.stage_changed", pipelineId, stageId: stage.demo },
  conditions: { match: "all", rules: [] },
  actions,
  ...extra,
});
const task = (subject: string) => ({ type: "create_activity" as const, activityType: "task", subject, assignTo: "deal_owner" as const, dueIn: 0, dueUnit: "days" as const });

describe("activity events", () => {
  it("records created, completed (once) and meeting booked, with the activity's links and its deal's stage", async () => {
    const deal = await newDeal("Activity deal");
    const contact = await newContact("Mia");
    const call = await activity(owner, { type: "call", dealId: deal.id });
    const meeting = await activity(owner, { type: "meeting", contactId: contact.id });
    await setActivityDone(owner, call.id, true);
    await setActivityDone(owner, call.id, false);
    await setActivityDone(owner, call.id, true); // re-done: no second "completed"
    const callEvents = await eventsOf(call.id);
    expect(callEvents.map((e) => e.type)).toEqual(["activity.created", "activity.completed"]);
    expect(callEvents[0]).toMatchObject({ subjectType: "activity", actorId: a.users.owner, data: { activityId: call.id, activityType: "call", dealId: deal.id, pipelineId, stageId: stage.lead } });
    expect((await eventsOf(meeting.id)).map((e) => e.type)).toEqual(["activity.created"]);
    const booked = await eventsOf(contact.id);
    expect(booked.map((e) => e.type)).toEqual(["contact.created", "contact.meeting_booked"]);
    expect(booked[1]!.data).toMatchObject({ activityId: meeting.id });
  });

  it("emits 'overdue' once per due time, when it passed (all-day: after the day, in the workspace's zone)", async () => {
    await t.db.update(workspaces).set({ timeZone: "Asia/Shanghai" }).where(eq(workspaces.id, a.workspaceId));
    const timed = await createActivity(owner, createActivitySchema.parse({ type: "call", subject: "Timed", dueDate: "2026-03-10", dueTime: "10:00" }), "UTC");
    const allDay = await activity(owner, { type: "task", dueDate: "2026-03-10" });
    const done = await createActivity(owner, createActivitySchema.parse({ type: "call", subject: "Done", dueDate: "2026-03-10", dueTime: "09:30" }), "UTC");
    await setActivityDone(owner, done.id, true);
    const overdue = async (id: string) => (await eventsOf(id)).filter((e) => e.type === "activity.overdue");

    await emitOverdueActivities(t.db, new Date("2026-03-10T09:59:00Z"));
    expect(await overdue(timed.id)).toHaveLength(0);
    await emitOverdueActivities(t.db, new Date("2026-03-10T10:01:00Z"));
    await emitOverdueActivities(t.db, new Date("2026-03-10T10:02:00Z"));
    const [first] = await overdue(timed.id);
    expect(first).toMatchObject({ occurredAt: new Date("2026-03-10T10:00:00Z"), actorId: null });
    expect(await overdue(timed.id)).toHaveLength(1);
    // The all-day task is overdue from midnight after the 10th in Shanghai (16:00 UTC), not before.
    expect(await overdue(allDay.id)).toHaveLength(0);
    await emitOverdueActivities(t.db, new Date("2026-03-10T16:00:01Z"));
    expect(await overdue(allDay.id)).toHaveLength(1);
    expect(await overdue(done.id)).toHaveLength(0);
    // Rescheduled and missed again: a new event.
    await rescheduleActivity(owner, { activityId: timed.id, dueDate: "2026-03-11", dueTime: "10:00" }, "UTC");
    await emitOverdueActivities(t.db, new Date("2026-03-11T10:00:01Z"));
    expect(await overdue(timed.id)).toHaveLength(2);
    await t.db.update(workspaces).set({ timeZone: "UTC" }).where(eq(workspaces.id, a.workspaceId));
  });

  it("fires workflows narrowed by activity type, acting on the activity's deal, and scores by activity type", async () => {
    const contact = await newContact("Noah");
    const deal = await newDeal("Meeting deal", { contactId: contact.id });
    const workflow = await save(owner, {
      name: "After a meeting",
      enabled: true,
      trigger: { type: "activity.completed", activityType: "meeting" },
      conditions: { match: "all", rules: [{ field: "activity.subject", op: "contains", value: "demo" }] },
      actions: [{ type: "move_stage", stageId: stage.qualified }],
    });
    await addScoringRule(owner, scoringRuleSchema.parse({ eventType: "activity.completed", activityType: "meeting", points: 30 }));
    await addScoringRule(owner, scoringRuleSchema.parse({ eventType: "activity.completed", activityType: "call", points: 5 }));
    const meeting = await activity(owner, { type: "meeting", subject: "Product demo", dealId: deal.id });
    const call = await activity(owner, { type: "call", subject: "Product demo call", dealId: deal.id });
    await setActivityDone(owner, call.id, true);
    await drain();
    expect(await runsOf(workflow.id)).toHaveLength(0); // a call is not a meeting
    await setActivityDone(owner, meeting.id, true);
    await drain();
    const [run] = await listWorkflowRuns(owner, workflow.id);
    expect(run).toMatchObject({ status: "completed", subject: { type: "activity", id: meeting.id, label: "Product demo" } });
    expect((await t.db.select().from(deals).where(eq(deals.id, deal.id)))[0]!.stageId).toBe(stage.qualified);
    expect((await t.db.select().from(contacts).where(eq(contacts.id, contact.id)))[0]!.score).toBe(35);
  });

  it("refuses an activity type narrowing on a non-activity trigger, and another workspace's type", async () => {
    expect(saveWorkflowSchema.safeParse({ ...onDemo([task("x")]), trigger: { type: "deal.won", activityType: "call" } }).success).toBe(false);
    await expect(save(owner, { ...onDemo([task("x")]), trigger: { type: "activity.created", activityType: "00000000-0000-4000-8000-000000000000" } })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { "trigger.activityType": ["errors.NOT_FOUND"] },
    });
  });
});

describe("journeys: waits", () => {
  it("waits for a duration, is listed while waiting, then goes on", async () => {
    const workflow = await save(owner, onDemo([task("Right away"), { type: "wait", mode: "duration", amount: 2, unit: "hours" }, task("Two hours later")]));
    const deal = await newDeal("Waiting deal");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await drain();
    expect((await dealActivities(deal.id)).map((x) => x.subject)).toEqual(["Right away"]);
    const [waiting] = await listWaitingRuns(owner);
    expect(waiting).toMatchObject({ workflow: { id: workflow.id }, subject: { type: "deal", id: deal.id, label: "Waiting deal" }, waitUntil: plus(120 * MIN), waitEvent: null });
    await drain(plus(119 * MIN));
    expect(await dealActivities(deal.id)).toHaveLength(1);
    await drain(plus(120 * MIN));
    expect((await dealActivities(deal.id)).map((x) => x.subject)).toEqual(["Right away", "Two hours later"]);
    const [run] = await runsOf(workflow.id);
    expect(run).toMatchObject({ status: "completed", waitUntil: null });
    expect(run!.steps[1]).toMatchObject({ status: "done", type: "wait", detail: { resumedBy: "time" } });
    expect(await listWaitingRuns(owner)).toEqual([]);
  });

  it("waits until an event on the record, or the timeout, whichever comes first", async () => {
    await save(owner, onDemo([{ type: "wait", mode: "until_event", event: "deal.won", amount: 3, unit: "days" }, task("After win or 3 days")]));
    const wins = await newDeal("Wins soon");
    const idle = await newDeal("Stays idle");
    await moveDeal(owner, { dealId: wins.id, toStageId: stage.demo });
    await moveDeal(owner, { dealId: idle.id, toStageId: stage.demo });
    await drain();
    expect(await listWaitingRuns(owner)).toHaveLength(2);
    await markWon(at(owner, plus(60 * MIN).toISOString()), wins.id);
    await drain(plus(61 * MIN));
    expect(await dealActivities(wins.id)).toHaveLength(1);
    expect(await dealActivities(idle.id)).toHaveLength(0); // another deal's win does not wake it
    await drain(plus(3 * 1440 * MIN));
    expect(await dealActivities(idle.id)).toHaveLength(1);
    const runs = await t.db.select().from(workflowRuns).where(eq(workflowRuns.workspaceId, a.workspaceId));
    const outcome = (dealId: string) => (runs.find((r) => r.subjectId === dealId)!.steps[0] as { detail: { resumedBy: string } }).detail.resumedBy;
    expect(outcome(wins.id)).toBe("event");
    expect(outcome(idle.id)).toBe("timeout");
    // The timeout's job for the deal that won finds the wait over and does nothing.
    expect(await dealActivities(wins.id)).toHaveLength(1);
  });

  it("waits until a date field (09:00 workspace time, with an offset), or goes on at once without a date", async () => {
    await save(owner, onDemo([{ type: "wait", mode: "until_date", dateField: "deal.expectedCloseDate", offsetDays: -1 }, task("Day before close")]));
    const dated = await newDeal("Dated", { expectedCloseDate: "2026-03-20" });
    const undated = await newDeal("Undated");
    await moveDeal(owner, { dealId: dated.id, toStageId: stage.demo });
    await moveDeal(owner, { dealId: undated.id, toStageId: stage.demo });
    await drain();
    expect(await dealActivities(undated.id)).toHaveLength(1);
    const [waiting] = await listWaitingRuns(owner);
    expect(waiting).toMatchObject({ subject: { id: dated.id }, waitUntil: new Date("2026-03-19T09:00:00Z") });
    await drain(new Date("2026-03-19T09:00:00Z"));
    expect(await dealActivities(dated.id)).toHaveLength(1);
  });

  it("can be cancelled while waiting: later steps never happen", async () => {
    const workflow = await save(owner, onDemo([{ type: "wait", mode: "duration", amount: 10, unit: "minutes" }, task("Never")]));
    const deal = await newDeal("Cancelled");
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await drain();
    const [run] = await runsOf(workflow.id);
    const rep = await a.ctx("rep");
    await expect(cancelWorkflowRun(rep, run!.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await createWorkspaceFixture(t.db, "Other");
    await expect(cancelWorkflowRun(await other.ctx("owner"), run!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await cancelWorkflowRun(owner, run!.id);
    await drain(plus(20 * MIN));
    expect(await dealActivities(deal.id)).toHaveLength(0);
    expect((await runsOf(workflow.id))[0]).toMatchObject({ status: "cancelled", waitUntil: null });
    await expect(cancelWorkflowRun(owner, run!.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("journeys: if/else", () => {
  it("takes the path its conditions choose when the run gets there (after a wait)", async () => {
    const workflow = await save(
      owner,
      onDemo([
        { type: "wait", mode: "duration", amount: 1, unit: "days" },
        {
          type: "branch",
          conditions: { match: "all", rules: [{ field: "deal.value", op: "gt", value: "5000" }] },
          then: [task("Big deal: call the VP")],
          else: [task("Small deal: send the guide"), task("Small deal: check in")],
        },
        task("Everyone: log the demo"),
      ]),
    );
    const big = await newDeal("Grows big");
    const small = await newDeal("Stays small");
    await moveDeal(owner, { dealId: big.id, toStageId: stage.demo });
    await moveDeal(owner, { dealId: small.id, toStageId: stage.demo });
    await drain();
    // Grows during the wait: the branch sees the value as it is when the journey gets there.
    await updateDeal(owner, updateDealSchema.parse({ dealId: big.id, value: "9000" }));
    await drain(plus(1440 * MIN));
    expect((await dealActivities(big.id)).map((x) => x.subject)).toEqual(["Big deal: call the VP", "Everyone: log the demo"]);
    expect((await dealActivities(small.id)).map((x) => x.subject)).toEqual(["Small deal: send the guide", "Small deal: check in", "Everyone: log the demo"]);
    const runs = await listWorkflowRuns(owner, workflow.id);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    const bigRun = runs.find((r) => r.subject.id === big.id)!;
    expect(bigRun.steps[1]).toMatchObject({ type: "branch", status: "done", detail: { passed: true } });
    expect(bigRun.steps.filter((s) => s === null)).toHaveLength(2); // the else arm never ran
  });

  it("compiles branches to a flat program with forward jumps", () => {
    const parsed = workflowSchema.parse(
      onDemo([
        task("a"),
        { type: "branch", conditions: { match: "all", rules: [] }, then: [task("b")], else: [task("c")] },
        { type: "branch", conditions: { match: "all", rules: [] }, then: [task("d")] },
        task("e"),
      ]),
    );
    const program = compileSteps(parsed.actions);
    expect(program.map((i) => (i.type === "create_activity" ? i.subject : i.type === "branch" ? `branch→${i.elseAt}` : i.type === "jump" ? `jump→${i.to}` : i.type))).toEqual([
      "a",
      "branch→4",
      "b",
      "jump→5",
      "c",
      "branch→7",
      "d",
      "e",
    ]);
  });

  it("validates the steps inside branches with their paths, and refuses nested branches and empty branches", async () => {
    const nested = saveWorkflowSchema.safeParse(
      onDemo([{ type: "branch", conditions: { match: "all", rules: [] }, then: [{ type: "branch", conditions: { match: "all", rules: [] }, then: [task("x")] }] } as never]),
    );
    expect(nested.success).toBe(false);
    const empty = saveWorkflowSchema.safeParse(onDemo([task("x"), { type: "branch", conditions: { match: "all", rules: [] }, then: [], else: [] }]));
    expect(empty.error?.issues.map((i) => i.path.join("."))).toContain("actions.1.then");
    const badInside = saveWorkflowSchema.safeParse(onDemo([{ type: "branch", conditions: { match: "all", rules: [] }, then: [{ type: "change_owner", mode: "user" }] }]));
    expect(badInside.error?.issues.map((i) => i.path.join("."))).toContain("actions.0.then.0.userId");
    const onlyWaits = saveWorkflowSchema.safeParse(onDemo([{ type: "wait", mode: "duration", amount: 1, unit: "days" }]));
    expect(onlyWaits.error?.issues.map((i) => i.message)).toContain("errors.workflowNeedsAction");
    await expect(
      save(owner, onDemo([{ type: "branch", conditions: { match: "all", rules: [] }, then: [{ type: "move_stage", stageId: "00000000-0000-4000-8000-000000000000" }] }])),
    ).rejects.toMatchObject({ fieldErrors: { "actions.0.then.0.stageId": ["errors.NOT_FOUND"] } });
  });
});

describe("quiet period", () => {
  it("fires once, for the last of a burst of edits, when the record has been quiet long enough", async () => {
    const workflow = await save(owner, {
      name: "After edits settle",
      enabled: true,
      trigger: { type: "deal.field_changed", quietMinutes: 10 },
      conditions: { match: "all", rules: [] },
      actions: [task("Review the changes")],
    });
    const deal = await newDeal("Edited a lot");
    for (const [minute, value] of [[0, "1100"], [3, "1200"], [8, "1300"]] as const) {
      await updateDeal(at(owner, plus(minute * MIN).toISOString()), updateDealSchema.parse({ dealId: deal.id, value }));
      await drain(plus(minute * MIN));
    }
    await drain(plus(17 * MIN));
    expect(await runsOf(workflow.id)).toHaveLength(0); // 9 minutes after the last edit
    await drain(plus(18 * MIN));
    await drain(plus(30 * MIN));
    const runs = await runsOf(workflow.id);
    expect(runs).toHaveLength(1);
    const [lastEdit] = (await eventsOf(deal.id)).filter((e) => e.type === "deal.field_changed").slice(-1);
    expect(runs[0]).toMatchObject({ eventId: lastEdit!.id, status: "completed" });
    expect(await dealActivities(deal.id)).toHaveLength(1);
  });

  it("fires at once without a quiet period (one run per event)", async () => {
    const workflow = await save(owner, { name: "Each edit", enabled: true, trigger: { type: "deal.field_changed" }, conditions: { match: "all", rules: [] }, actions: [task("Each")] });
    const deal = await newDeal("Edited twice");
    await updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, value: "1100" }));
    await updateDeal(owner, updateDealSchema.parse({ dealId: deal.id, value: "1200" }));
    await drain();
    expect(await runsOf(workflow.id)).toHaveLength(2);
    expect(await t.db.select().from(jobs).where(and(eq(jobs.kind, "workflow-quiet")))).toHaveLength(0);
  });
});

describe("notify and enroll actions", () => {
  const sequenceInput = (name: string) =>
    saveSequenceSchema.parse({
      name,
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
      steps: [{ kind: "email", delayAmount: 0, delayUnit: "minutes", variants: [{ subject: "Hi {{contact.first_name}}", body: "Hello" }] }],
    });

  it("notifies the deal owner in the app, with the record's names filled in and a link, once per step", async () => {
    const workflow = await save(owner, onDemo([{ type: "notify", to: "owner", message: "{{deal.title}} with {{contact.name}} reached Demo" }]));
    const contact = await newContact("Olga");
    const deal = await newDeal("Notify deal", { contactId: contact.id });
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await drain();
    const [note] = (await listNotifications(await a.ctx("rep"))).filter((n) => n.kind === "message");
    expect(note).toMatchObject({ kind: "message", message: "Notify deal with Olga Test reached Demo", link: `deals/${deal.id}`, read: false });
    const [run] = await runsOf(workflow.id);
    expect(run!.status).toBe("completed");
    expect(await t.db.select().from(notifications).where(and(eq(notifications.userId, a.users.rep), eq(notifications.kind, "message")))).toHaveLength(1);
  });

  it("fills only the known names, as plain text", () => {
    expect(fillMessage("{{ deal.title }} / {{contact.name}} / {{owner.name}} / {{deal.value}}", { deal: { title: "<b>X</b>" } as never, contact: null, owner: null })).toBe("<b>X</b> /  /  / {{deal.value}}");
  });

  it("enrolls the deal's contact in a sequence, and logs a refusal instead of failing", async () => {
    const { id: sequenceId } = await saveSequence(owner, sequenceInput("Nurture"));
    const workflow = await save(owner, onDemo([{ type: "enroll_sequence", sequenceId }]));
    const contact = await newContact("Pia");
    const deal = await newDeal("Enroll deal", { contactId: contact.id });
    const again = await newDeal("Enroll again", { contactId: contact.id });
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await moveDeal(owner, { dealId: again.id, toStageId: stage.demo });
    await drain();
    const enrollments = await t.db.select().from(sequenceEnrollments).where(eq(sequenceEnrollments.contactId, contact.id));
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]).toMatchObject({ sequenceId, dealId: deal.id, status: expect.any(String) });
    const runs = await listWorkflowRuns(owner, workflow.id);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    expect(runs.map((r) => r.steps[0]!.detail).find((d) => d && "refused" in d)).toMatchObject({ refused: "already_enrolled" });
  });

  it("refuses a sequence or a person outside the workspace", async () => {
    const other = await createWorkspaceFixture(t.db, "Elsewhere");
    const { id: foreign } = await saveSequence(await other.ctx("owner"), sequenceInput("Theirs"));
    await expect(save(owner, onDemo([{ type: "enroll_sequence", sequenceId: foreign }]))).rejects.toMatchObject({ fieldErrors: { "actions.0.sequenceId": ["errors.NOT_FOUND"] } });
    await expect(save(owner, onDemo([{ type: "notify", to: "user", userId: other.users.owner, message: "Hi" }]))).rejects.toMatchObject({ fieldErrors: { "actions.0.userId": ["errors.NOT_FOUND"] } });
  });
});

describe("custom fields in conditions, branches and 'update field'", () => {
  it("tests deal and contact custom fields by type, and sets them, validated on save", async () => {
    const admin = await a.ctx("admin");
    const seats = await createCustomField(admin, { entity: "deal", label: "Seats", type: "number", options: [] });
    const plan = await createCustomField(admin, { entity: "deal", label: "Plan", type: "single_select", options: ["Starter", "Enterprise"] });
    const tags = await createCustomField(admin, { entity: "deal", label: "Tags", type: "multi_select", options: ["Urgent", "Partner"] });
    const vip = await createCustomField(admin, { entity: "contact", label: "VIP", type: "checkbox", options: [] });
    const budget = await createCustomField(admin, { entity: "deal", label: "Budget", type: "money", options: [], currency: "EUR" });
    const enterprise = plan.settings.options!.find((o) => o.label === "Enterprise")!.id;
    const urgent = tags.settings.options!.find((o) => o.label === "Urgent")!.id;
    const workflow = await save(
      owner,
      onDemo(
        [
          {
            type: "branch",
            conditions: { match: "all", rules: [{ field: `deal.custom.${tags.key}`, op: "contains", value: urgent }, { field: `contact.custom.${vip.key}`, op: "eq", value: "true" }] },
            then: [{ type: "update_field", field: `deal.custom.${plan.key}`, value: "Enterprise" }],
            else: [{ type: "update_field", field: `deal.custom.${budget.key}`, value: "99.50" }],
          },
        ],
        { conditions: { match: "all", rules: [{ field: `deal.custom.${seats.key}`, op: "gt", value: "10" }] } },
      ),
    );
    const vipContact = await createContact(owner, createContactSchema.parse({ firstName: "Vera", custom: { [vip.key]: true } }));
    const big = await newDeal("Big urgent", { contactId: vipContact.id, custom: { [seats.key]: "25", [tags.key]: [urgent] } });
    const bigPlain = await newDeal("Big plain", { custom: { [seats.key]: "25" } });
    const small = await newDeal("Small", { custom: { [seats.key]: "5" } });
    for (const d of [big, bigPlain, small]) await moveDeal(owner, { dealId: d.id, toStageId: stage.demo });
    await drain();
    const custom = async (id: string) => (await t.db.select().from(deals).where(eq(deals.id, id)))[0]!.custom as Record<string, unknown>;
    expect((await custom(big.id))[plan.key]).toBe(enterprise);
    expect((await custom(bigPlain.id))[budget.key]).toBe(9950);
    expect(await custom(small.id)).toEqual({ [seats.key]: 5 }); // conditions failed: untouched
    const runs = await listWorkflowRuns(owner, workflow.id);
    expect(runs.find((r) => r.subject.id === small.id)).toMatchObject({ status: "skipped", conditions: { rules: [{ field: `deal.custom.${seats.key}`, actual: "5", passed: false }] } });

    // Saved workflows name only existing fields, with operators and values their type allows.
    const bad = (rule: { field: string; op: "eq" | "gt" | "contains"; value: string }) => save(owner, onDemo([task("x")], { conditions: { match: "all", rules: [rule] } }));
    await expect(bad({ field: "deal.custom.nope", op: "eq", value: "1" })).rejects.toMatchObject({ fieldErrors: { "conditions.rules.0.field": ["errors.NOT_FOUND"] } });
    await expect(bad({ field: `deal.custom.${seats.key}`, op: "contains", value: "1" })).rejects.toMatchObject({ fieldErrors: { "conditions.rules.0.op": ["errors.invalid"] } });
    await expect(bad({ field: `deal.custom.${seats.key}`, op: "gt", value: "many" })).rejects.toMatchObject({ fieldErrors: { "conditions.rules.0.value": ["errors.invalidNumber"] } });
    await expect(bad({ field: `deal.custom.${plan.key}`, op: "eq", value: "not-an-option" })).rejects.toMatchObject({ fieldErrors: { "conditions.rules.0.value": ["errors.invalidOption"] } });
    await expect(save(owner, onDemo([{ type: "update_field", field: `deal.custom.${seats.key}`, value: "lots" }]))).rejects.toMatchObject({ fieldErrors: { "actions.0.value": ["errors.invalidNumber"] } });
    await expect(save(owner, onDemo([{ type: "update_field", field: "deal.custom.gone", value: "1" }]))).rejects.toMatchObject({ fieldErrors: { "actions.0.field": ["errors.NOT_FOUND"] } });
    expect(saveWorkflowSchema.safeParse(onDemo([{ type: "update_field", field: "deal.custom.Bad Key", value: "1" }])).success).toBe(false);
  });
});

describe("send an email from a template", () => {
  it("sends the rendered email from the owner to the contact over SMTP, once, and logs it on the timeline", async () => {
    const smtp = await startSmtp();
    vi.stubEnv("SMTP_URL", smtp.url);
    try {
      const workflow = await save(
        owner,
        onDemo([{ type: "send_email", subject: "Demo of {{deal.title}}", body: "Hi {{contact.first_name | \"there\"}},\n\nthanks <b>for</b> your time.\n{{owner.name}}" }]),
      );
      const contact = await createContact(owner, createContactSchema.parse({ firstName: "<Zoe>", lastName: "Q", email: "zoe@example.com" }));
      const deal = await newDeal("Mail deal", { contactId: contact.id });
      await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
      await drain();
      await drain(plus(MIN));
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail!.to).toEqual(["zoe@example.com"]);
      expect(mail!.raw).toContain("Subject: Demo of Mail deal");
      expect(mail!.raw).toMatch(/Message-ID: <wf\.[0-9a-f-]+\.0@/i);
      expect(mail!.raw).toContain("&lt;Zoe&gt;"); // the HTML part escapes the contact's name
      expect(mail!.raw).toContain("&lt;b&gt;for&lt;/b&gt;"); // and the template's own text
      const [run] = await listWorkflowRuns(owner, workflow.id);
      expect(run).toMatchObject({ status: "completed" });
      expect(run!.steps[0]).toMatchObject({ status: "done", detail: { to: "zoe@example.com", delivery: "sent" } });
      const logged = (await dealActivities(deal.id)).filter((x) => x.type === "email");
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ subject: "Demo of Mail deal", origin: "workflow", contactId: contact.id, assigneeId: a.users.rep });
      expect(logged[0]!.doneAt).not.toBeNull();
    } finally {
      vi.unstubAllEnvs();
      await smtp.close();
    }
  });

  it("skips contacts without an email or unsubscribed, and refuses unknown merge fields on save", async () => {
    const workflow = await save(owner, onDemo([{ type: "send_email", subject: "Hello", body: "Hi" }]));
    const noEmail = await createContact(owner, createContactSchema.parse({ firstName: "Nomail" }));
    const deal = await newDeal("No mail deal", { contactId: noEmail.id });
    await moveDeal(owner, { dealId: deal.id, toStageId: stage.demo });
    await drain();
    expect((await runsOf(workflow.id))[0]!.steps[0]).toMatchObject({ status: "done", detail: { skipped: "noEmail" } });
    await expect(save(owner, onDemo([{ type: "send_email", subject: "Hi {{contact.shoe_size}}", body: "x" }]))).rejects.toMatchObject({
      fieldErrors: { "actions.0.subject": ["errors.sequenceUnknownField"] },
    });
  });
});
