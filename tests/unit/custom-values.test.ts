import { describe, expect, it } from "vitest";
import { formatCustomValue, mergeCustom, parseCustomValue, parseCustomValues, typeConversion, type FieldDef } from "@/lib/custom-fields/values";
import { missingRequirements } from "@/lib/deals/requirements";

const f = (type: FieldDef["type"], settings: FieldDef["settings"] = {}): FieldDef => ({ key: "k", label: "K", type, settings });
const select = f("single_select", { options: [{ id: "o1", label: "Small" }, { id: "o2", label: "Large" }] });
const multi = f("multi_select", { options: [{ id: "a", label: "Email" }, { id: "b", label: "Phone" }] });

describe("custom field values: every type accepts good input and refuses bad input with a clear key", () => {
  const cases: [FieldDef, unknown, unknown][] = [
    [f("text"), "  hello ", "hello"],
    [f("long_text"), "line 1\nline 2", "line 1\nline 2"],
    [f("number"), "1,234.5", 1234.5],
    [f("number"), -3, -3],
    [f("money", { currency: "EUR" }), "1234.56", 123456],
    [f("money", { currency: "JPY" }), "1500", 1500],
    [f("date"), "2026-02-28", "2026-02-28"],
    [select, "o2", "o2"],
    [select, "large", "o2"],
    [multi, ["a", "b", "a"], ["a", "b"]],
    [multi, "Email; phone", ["a", "b"]],
    [f("checkbox"), "on", true],
    [f("checkbox"), ["false", "true"], true],
    [f("checkbox"), "false", false],
    [f("user"), "6F9619FF-8B86-4D11-B42D-00C04FC964FF", "6f9619ff-8b86-4d11-b42d-00c04fc964ff"],
    [f("url"), "example.com/x", "https://example.com/x"],
    [f("email"), "Ann@Example.com", "ann@example.com"],
    [f("phone"), "+86 138 0013 8000", "+86 138 0013 8000"],
  ];
  it.each(cases)("%# %o ← %o", (field, raw, stored) => {
    expect(parseCustomValue(field, raw)).toEqual({ ok: true, value: stored });
  });

  const bad: [FieldDef, unknown, string][] = [
    [f("text"), "x".repeat(501), "errors.tooBig"],
    [f("number"), "12abc", "errors.invalidNumber"],
    [f("money", { currency: "USD" }), "1.005", "errors.invalidAmount"],
    [f("money", { currency: "JPY" }), "10.5", "errors.invalidAmount"],
    [f("date"), "2026-02-30", "errors.invalidDate"],
    [f("date"), "28/02/2026", "errors.invalidDate"],
    [select, "Medium", "errors.invalidOption"],
    [multi, ["a", "zzz"], "errors.invalidOption"],
    [f("checkbox"), "maybe", "errors.invalidBoolean"],
    [f("user"), "bob", "errors.ownerNotMember"],
    [f("url"), "javascript:alert(1)", "errors.invalidUrl"],
    [f("email"), "not-an-email", "errors.invalidEmail"],
    [f("phone"), "call me", "errors.invalidPhone"],
  ];
  it.each(bad)("%# refuses %o", (field, raw, error) => {
    expect(parseCustomValue(field, raw)).toEqual({ ok: false, error });
  });

  it("empty input clears a field", () => {
    for (const field of [f("text"), f("number"), select, multi, f("date"), f("checkbox")]) expect(parseCustomValue(field, "")).toEqual({ ok: true, value: null });
    expect(mergeCustom({ k: 1, other: "x" }, { k: null })).toEqual({ other: "x" });
  });

  it("unknown keys are errors keyed for the form", () => {
    expect(parseCustomValues([f("text")], { nope: "x" }).fieldErrors).toEqual({ "custom.nope": ["errors.unknownField"] });
  });

  it("formats values for display in the user's locale", () => {
    expect(formatCustomValue(f("money", { currency: "USD" }), 123456, "en")).toBe("$1,234.56");
    expect(formatCustomValue(multi, ["a", "b"], "en")).toBe("Email, Phone");
    expect(formatCustomValue(select, "gone", "en")).toBe("—");
    expect(formatCustomValue(f("date"), "2026-03-01", "zh-CN")).toBe("2026年3月1日");
  });
});

describe("type changes", () => {
  it("allows only conversions that keep the meaning", () => {
    expect(typeConversion("text", "long_text")).not.toBeNull();
    expect(typeConversion("single_select", "multi_select")?.("o1")).toEqual(["o1"]);
    expect(typeConversion("number", "text")?.(12.5)).toBe("12.5");
    expect(typeConversion("text", "number")).toBeNull();
    expect(typeConversion("multi_select", "single_select")).toBeNull();
    expect(typeConversion("money", "number")).toBeNull();
  });
});

describe("stage requirements", () => {
  const deal = { value: 0, ownerId: "u", contactId: null, companyId: "c", expectedCloseDate: null, source: " ", notes: null, custom: { budget: 5, tags: [] as string[] } };
  it("lists exactly the missing fields (0 value, blank text and empty lists count as missing)", () => {
    expect(missingRequirements(["value", "ownerId", "contactId", "companyId", "source", "custom:budget", "custom:tags", "custom:other"], deal)).toEqual(["value", "contactId", "source", "custom:tags", "custom:other"]);
    expect(missingRequirements([], deal)).toEqual([]);
  });
});
