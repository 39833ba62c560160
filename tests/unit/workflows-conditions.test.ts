import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evaluateConditions, evaluateRule } from "@/lib/workflows/conditions";
import { customConditionType, type ConditionOp, type FieldType } from "@/lib/workflows/fields";
import { actionSchema, saveWorkflowSchema, workflowSchema } from "@/lib/workflows/schema";
import { triggerMatches } from "@/lib/workflows/trigger";
import { isPrivateAddress, signWebhook } from "@/lib/workflows/webhook";

type Row = [actual: unknown, expected: string, eq: boolean, neq: boolean, gt: boolean, lt: boolean, contains: boolean, empty: boolean, notEmpty: boolean];
const ops: ConditionOp[] = ["eq", "neq", "gt", "lt", "contains", "empty", "not_empty"];

/** Each row: the field value, the condition's value, then the expected result of eq, neq, gt, lt, contains, empty, not_empty. */
function table(type: FieldType, rows: Row[]) {
  for (const [actual, expected, ...results] of rows) {
    it(`${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`, () => {
      expect(ops.map((op) => evaluateRule(type, op, actual, expected))).toEqual(results);
    });
  }
}

describe("text conditions (trimmed, case-insensitive)", () => {
  table("text", [
    //  actual          expected   eq     neq    gt     lt     contains empty  not_empty
    ["Acme Pilot", "acme pilot", true, false, false, false, true, false, true],
    ["  Acme  ", "ACME", true, false, false, false, true, false, true],
    ["Acme Pilot", "pilot", false, true, false, false, true, false, true],
    ["Acme", "Globex", false, true, false, false, false, false, true],
    ["", "Acme", false, true, false, false, false, true, false],
    ["   ", "Acme", false, true, false, false, false, true, false],
    [null, "Acme", false, true, false, false, false, true, false],
    [undefined, "Acme", false, true, false, false, false, true, false],
    ["李伟", "李", false, true, false, false, true, false, true],
  ]);
});

describe("number conditions", () => {
  table("number", [
    //  actual   expected eq     neq    gt     lt     contains empty  not_empty
    [5000, "5000", true, false, false, false, false, false, true],
    [5000.5, "5000", false, true, true, false, false, false, true],
    [4999.99, "5000", false, true, false, true, false, false, true],
    [0, "0", true, false, false, false, false, false, true], // 0 is a value, not empty
    [0, "-1", false, true, true, false, false, false, true],
    [null, "0", false, true, false, false, false, true, false],
    [10, "abc", false, true, false, false, false, false, true], // a malformed condition never matches
  ]);
});

describe("date conditions (chronological)", () => {
  table("date", [
    //  actual        expected      eq     neq    gt     lt     contains empty  not_empty
    ["2026-03-10", "2026-03-10", true, false, false, false, false, false, true],
    ["2026-03-11", "2026-03-10", false, true, true, false, false, false, true],
    ["2025-12-31", "2026-01-01", false, true, false, true, false, false, true],
    [null, "2026-01-01", false, true, false, false, false, true, false],
  ]);
});

describe("id and choice conditions (exact)", () => {
  table("stage", [
    //  actual  expected eq     neq    gt     lt     contains empty  not_empty
    ["s-1", "s-1", true, false, false, false, false, false, true],
    ["s-1", "S-1", false, true, false, false, false, false, true],
    [null, "s-1", false, true, false, false, false, true, false],
  ]);
});

describe("all / any", () => {
  const fields = { "deal.value": 8000, "deal.title": "Acme Pilot", "contact.email": null };
  const value = { field: "deal.value" as const, op: "gt" as const, value: "5000" };
  const title = { field: "deal.title" as const, op: "contains" as const, value: "renewal" };
  const email = { field: "contact.email" as const, op: "empty" as const, value: "" };
  it.each([
    ["all", [], true],
    ["any", [], true],
    ["all", [value], true],
    ["all", [value, title], false],
    ["any", [value, title], true],
    ["any", [title], false],
    ["all", [value, email], true],
  ] as const)("%s of %j → %s", (match, rules, passed) => {
    const result = evaluateConditions({ match, rules: [...rules] }, fields);
    expect(result.passed).toBe(passed);
    expect(result.rules).toHaveLength(rules.length);
  });

  it("reports each rule's actual value and result for the run log", () => {
    expect(evaluateConditions({ match: "all", rules: [value, title] }, fields).rules).toEqual([
      { ...value, actual: 8000, passed: true },
      { ...title, actual: "Acme Pilot", passed: false },
    ]);
  });
});

describe("trigger narrowing", () => {
  const base = { pipelineId: null, stageId: null, fromStageId: null, field: null, activityType: null, quietMinutes: 0 };
  const moved = { type: "deal.stage_changed", data: { pipelineId: "p1", stageId: "demo", fromStageId: "qualified", toStageId: "demo" } };
  it.each([
    [{ ...base, type: "deal.stage_changed" as const }, true],
    [{ ...base, type: "deal.created" as const }, false],
    [{ ...base, type: "deal.stage_changed" as const, stageId: "demo" }, true],
    [{ ...base, type: "deal.stage_changed" as const, stageId: "proposal" }, false],
    [{ ...base, type: "deal.stage_changed" as const, fromStageId: "qualified", stageId: "demo" }, true],
    [{ ...base, type: "deal.stage_changed" as const, fromStageId: "lead-in", stageId: "demo" }, false],
    [{ ...base, type: "deal.stage_changed" as const, pipelineId: "p2" }, false],
  ])("%j → %s", (trigger, matches) => {
    expect(triggerMatches(trigger, moved)).toBe(matches);
  });

  it("narrows field changes by the field that changed", () => {
    const changed = { type: "deal.field_changed", data: { pipelineId: "p1", stageId: "s", fields: ["value", "currency"] } };
    expect(triggerMatches({ ...base, type: "deal.field_changed", field: "value" }, changed)).toBe(true);
    expect(triggerMatches({ ...base, type: "deal.field_changed", field: "ownerId" }, changed)).toBe(false);
    expect(triggerMatches({ ...base, type: "deal.field_changed" }, changed)).toBe(true);
  });

  it("narrows activity events by the activity's type", () => {
    const done = { type: "activity.completed", data: { activityId: "a1", activityType: "meeting", pipelineId: "p1", stageId: "s" } };
    expect(triggerMatches({ ...base, type: "activity.completed", activityType: "meeting" }, done)).toBe(true);
    expect(triggerMatches({ ...base, type: "activity.completed", activityType: "call" }, done)).toBe(false);
    expect(triggerMatches({ ...base, type: "activity.completed" }, done)).toBe(true);
    expect(triggerMatches({ ...base, type: "activity.completed", pipelineId: "p2" }, done)).toBe(false);
  });
});

describe("workflow validation", () => {
  const uuid = "6f1c1b9e-4f7a-4c55-9d7e-0d8a3f1f2b11";
  const valid = {
    name: "Demo follow-up",
    trigger: { type: "deal.stage_changed", stageId: uuid },
    conditions: { match: "all", rules: [] },
    actions: [{ type: "create_activity", activityType: "call", subject: "Call after the demo", assignTo: "deal_owner", dueIn: 1, dueUnit: "days" }],
  };

  it("accepts the demo example and gives each action an id", () => {
    const parsed = workflowSchema.parse(valid);
    expect(parsed.actions[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(parsed.enabled).toBe(false);
  });

  it.each([
    ["no actions", { actions: [] }, "actions"],
    ["an operator the field type does not have", { conditions: { match: "all", rules: [{ field: "deal.title", op: "gt", value: "x" }] } }, "conditions.rules.0.op"],
    ["a missing value", { conditions: { match: "all", rules: [{ field: "deal.value", op: "eq", value: "" }] } }, "conditions.rules.0.value"],
    ["a non-numeric amount", { conditions: { match: "all", rules: [{ field: "deal.value", op: "gt", value: "lots" }] } }, "conditions.rules.0.value"],
    ["an unknown lifecycle", { conditions: { match: "any", rules: [{ field: "contact.lifecycle", op: "eq", value: "vip" }] } }, "conditions.rules.0.value"],
    ["a specific assignee missing", { actions: [{ ...valid.actions[0], assignTo: "user" }] }, "actions.0.userId"],
    ["an empty round-robin", { actions: [{ type: "change_owner", mode: "round_robin", userIds: [] }] }, "actions.0.userIds"],
    ["a webhook that is not http(s)", { actions: [{ type: "webhook", url: "ftp://example.com/hook" }] }, "actions.0.url"],
    ["a deal action on a contact trigger", { trigger: { type: "contact.created" }, actions: [{ type: "mark_won" }] }, "actions.0.type"],
    ["a from-stage on another trigger", { trigger: { type: "deal.created", fromStageId: uuid } }, "trigger.fromStageId"],
  ])("refuses %s", (_name, patch, path) => {
    const result = saveWorkflowSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

describe("webhook signing and targets", () => {
  it("signs timestamp.body with HMAC-SHA256, as a receiver recomputes it", () => {
    const body = JSON.stringify({ id: "run:0" });
    const expected = createHmac("sha256", "whsec_test").update(`1773133200.${body}`).digest("hex");
    expect(signWebhook("whsec_test", 1773133200, body)).toBe(`sha256=${expected}`);
    expect(signWebhook("other", 1773133200, body)).not.toBe(`sha256=${expected}`);
  });

  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.32.0.1", false],
    ["192.168.1.10", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["fd00::1", true],
    ["fe80::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true], // the same, as the URL parser writes it
    ["::ffff:a9fe:a9fe", true], // 169.254.169.254 (cloud metadata)
    ["64:ff9b::a00:5", true], // NAT64 form of 10.0.0.5
    ["2002:7f00:1::", true], // 6to4 of 127.0.0.1
    ["198.18.0.1", true],
    ["not-an-ip", true],
    ["93.184.216.34", false],
    ["2606:2800:220:1:248:1893:25c8:1946", false],
  ])("%s private: %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("custom field conditions", () => {
  it("tests multi-selects by option and treats an empty list as empty", () => {
    expect(evaluateRule("multi", "contains", ["a", "b"], "b")).toBe(true);
    expect(evaluateRule("multi", "contains", ["a"], "b")).toBe(false);
    expect(evaluateRule("multi", "empty", [], "")).toBe(true);
    expect(evaluateRule("multi", "not_empty", ["a"], "")).toBe(true);
    expect(evaluateRule("multi", "contains", null, "a")).toBe(false);
  });

  it("maps custom field types to condition types", () => {
    expect(["text", "long_text", "url", "email", "phone", "number", "money", "date", "single_select", "checkbox", "multi_select", "user"].map(customConditionType)).toEqual([
      "text",
      "text",
      "text",
      "text",
      "text",
      "number",
      "number",
      "date",
      "enum",
      "enum",
      "multi",
      "user",
    ]);
  });

  it("evaluates a custom field by its type, and a deleted field as empty text", () => {
    const group = { match: "all" as const, rules: [{ field: "deal.custom.seats", op: "gt" as const, value: "10" }] };
    expect(evaluateConditions(group, { "deal.custom.seats": "25" }, { "deal.custom.seats": "number" }).passed).toBe(true);
    expect(evaluateConditions(group, { "deal.custom.seats": "9" }, { "deal.custom.seats": "number" }).passed).toBe(false);
    expect(evaluateConditions({ match: "all", rules: [{ field: "deal.custom.gone", op: "empty", value: "" }] }, {}).passed).toBe(true);
  });
});

describe("step validation messages", () => {
  it("a choice left on “Choose…” is missing (required), a malformed one invalid", () => {
    const message = (sequenceId: string) => actionSchema.safeParse({ type: "enroll_sequence", sequenceId }).error?.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(message("")).toEqual(["sequenceId:errors.required"]);
    expect(message("not-an-id")).toEqual(["sequenceId:errors.invalid"]);
    expect(message("5f0c6a8e-0b5e-4a8e-9d8e-2f1f6d1c2b3a")).toBeUndefined();
  });
});
