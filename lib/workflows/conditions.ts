import { conditionFields, type ConditionField, type ConditionOp, type FieldType } from "./fields";
import type { ConditionGroup, WorkflowCondition } from "./schema";

/**
 * A record's field values as conditions see them (deal value in major units, dates as "YYYY-MM-DD"), custom
 * fields under "deal.custom.<key>" / "contact.custom.<key>" (a multi-select as its option ids).
 */
export type FieldValue = string | number | string[] | null;
export type SubjectFields = Partial<Record<ConditionField, FieldValue>> & Record<string, FieldValue | undefined>;
/** The condition type of each custom field path (built-in fields have theirs in conditionFields). */
export type CustomFieldTypes = Record<string, FieldType>;

export type RuleResult = { field: string; op: ConditionOp; value: string; actual: FieldValue; passed: boolean };
export type ConditionsResult = { match: "all" | "any"; passed: boolean; rules: RuleResult[] };

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);
const norm = (v: unknown) => String(v).trim().toLocaleLowerCase();

/**
 * One condition against one value. Pure. Semantics (the truth tables in tests/unit/workflows-conditions.test.ts):
 * - "is empty" / "is not empty": null, missing or blank text is empty; 0 is not.
 * - an empty field equals nothing, is "not" everything, is neither greater nor less, contains nothing;
 * - text compares trimmed and case-insensitively; "contains" is a substring test;
 * - numbers compare numerically, dates ("YYYY-MM-DD") chronologically; ids and choices exactly.
 */
export function evaluateRule(type: FieldType, op: ConditionOp, actual: unknown, expected: string): boolean {
  if (op === "empty") return isEmpty(actual);
  if (op === "not_empty") return !isEmpty(actual);
  if (isEmpty(actual)) return op === "neq";
  switch (type) {
    case "text":
      if (op === "eq") return norm(actual) === norm(expected);
      if (op === "neq") return norm(actual) !== norm(expected);
      if (op === "contains") return norm(actual).includes(norm(expected));
      return false;
    case "number": {
      const a = Number(actual);
      const e = Number(expected);
      if (!Number.isFinite(a) || !Number.isFinite(e) || expected.trim() === "") return op === "neq";
      if (op === "eq") return a === e;
      if (op === "neq") return a !== e;
      if (op === "gt") return a > e;
      if (op === "lt") return a < e;
      return false;
    }
    case "date": {
      const a = String(actual).slice(0, 10);
      const e = expected.trim();
      if (op === "eq") return a === e;
      if (op === "neq") return a !== e;
      if (op === "gt") return a > e;
      if (op === "lt") return a < e;
      return false;
    }
    case "multi":
      return op === "contains" && Array.isArray(actual) && actual.includes(expected);
    default:
      if (op === "eq") return String(actual) === expected;
      if (op === "neq") return String(actual) !== expected;
      return false;
  }
}

/** A rule's field type: built-in, or the custom field's (a custom field since deleted: "text", and it is empty). */
export const ruleFieldType = (field: string, custom: CustomFieldTypes = {}): FieldType => (field in conditionFields ? conditionFields[field as ConditionField].type : (custom[field] ?? "text"));

/** All (or any) of the rules against the record. No rules: always true. Pure. */
export function evaluateConditions(group: ConditionGroup, fields: SubjectFields, customTypes: CustomFieldTypes = {}): ConditionsResult {
  const rules = group.rules.map((rule: WorkflowCondition) => {
    const actual = fields[rule.field] ?? null;
    return { field: rule.field, op: rule.op, value: rule.value, actual, passed: evaluateRule(ruleFieldType(rule.field, customTypes), rule.op, actual, rule.value) };
  });
  const passed = rules.length === 0 || (group.match === "any" ? rules.some((r) => r.passed) : rules.every((r) => r.passed));
  return { match: group.match, passed, rules };
}
