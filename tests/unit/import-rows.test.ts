import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import enImports from "@/lib/i18n/messages/en/imports.json";
import zhImports from "@/lib/i18n/messages/zh-CN/imports.json";
import { guessMapping, missingRequired } from "@/lib/imports/fields";
import { cellsByField, customCellInput, parseAmount, parseCompanyRow, parseContactRow, parseDealRow, parseStageHistory, type ParseOptions } from "@/lib/imports/rows";

const opts: ParseOptions = { timeZone: "Europe/Paris", currency: "EUR", dateOrder: "dmy", now: new Date("2026-03-10T09:00:00Z") };
const keys = (r: { ok: boolean; errors?: { field: string | null; key: string }[] }) => (r.ok ? [] : r.errors!.map((e) => `${e.field}:${e.key}`));

describe("guessing the mapping", () => {
  it("recognises our own headers in both languages and other CRMs' exports", () => {
    expect(guessMapping("deals", ["Title", "Value", "Stage", "Won/lost date", "Stage history"])).toEqual(["title", "value", "stage", "closedAt", "stageHistory"]);
    expect(guessMapping("deals", ["标题", "金额", "阶段", "负责人邮箱", "创建日期"])).toEqual(["title", "value", "stage", "ownerEmail", "createdAt"]);
    expect(guessMapping("deals", ["Deal - Title", "Deal - Value", "Organization - Name", "Person - Email", "Deal - Won time", "Deal - Lost time"])).toEqual([
      "title",
      "value",
      "company",
      "contactEmail",
      "closedAt",
      null, // a field goes to one column only
    ]);
    expect(guessMapping("contacts", ["Name", "E-mail", "Company name", "Whatever"])).toEqual(["fullName", "email", "company", null]);
  });

  it("lets the workspace's remembered choices win, including 'ignore'", () => {
    const remembered = new Map([
      ["kundenname", "company"],
      ["title", ""],
    ]);
    expect(guessMapping("deals", ["Kundenname", "Title", "Name"], remembered)).toEqual(["company", null, "title"]);
  });

  it("names what is required", () => {
    expect(missingRequired("deals", [null, "value"])).toEqual(["title"]);
    expect(missingRequired("contacts", ["fullName"])).toEqual([]);
    expect(missingRequired("companies", ["domain"])).toEqual(["name"]);
  });
});

describe("money", () => {
  it.each([
    ["1200.50", 120050],
    ["$1,200.5", 120050],
    ["1200 EUR", 120000],
    ["", 0],
    ["¥3000", 300000],
  ])("reads %j", (text, minor) => {
    expect(parseAmount(text, "EUR")).toEqual({ ok: true, minor });
  });

  it("refuses negatives and unreadable amounts", () => {
    expect(parseAmount("-5", "EUR")).toEqual({ ok: false, key: "imports.rowErrors.negativeValue" });
    expect(parseAmount("1.234,50", "EUR")).toEqual({ ok: false, key: "errors.invalidAmount" });
    expect(parseAmount("12.345", "EUR")).toEqual({ ok: false, key: "errors.invalidAmount" });
    expect(parseAmount("12.5", "JPY")).toEqual({ ok: false, key: "errors.invalidAmount" });
  });

  it("says a cell without a single digit is not an amount, quoting it, and keeps the format hint for numbers", () => {
    expect(parseAmount("not-a-number", "EUR")).toEqual({ ok: false, key: "imports.rowErrors.notAnAmount", params: { value: "not-a-number" } });
    expect(parseAmount(" N/A ", "EUR")).toEqual({ ok: false, key: "imports.rowErrors.notAnAmount", params: { value: "N/A" } });
    expect(parseAmount("$", "USD")).toEqual({ ok: false, key: "imports.rowErrors.notAnAmount", params: { value: "$" } });
    expect(parseAmount("12,34,5", "EUR")).toEqual({ ok: false, key: "errors.invalidAmount" });
    expect(parseAmount("1O0", "EUR")).toEqual({ ok: false, key: "errors.invalidAmount" }); // a letter O among digits
    // In a row: the specific message with the cell, or the hint with the currency's decimals.
    const deal = (value: string) => parseDealRow({ title: "x", value }, opts);
    expect(deal("not-a-number")).toMatchObject({ ok: false, errors: [{ field: "value", key: "imports.rowErrors.notAnAmount", params: { value: "not-a-number" } }] });
    expect(deal("12.345")).toMatchObject({ ok: false, errors: [{ field: "value", key: "errors.invalidAmount", params: { digits: 2 } }] });
    const say = (locale: "en" | "zh-CN") => createTranslator({ locale, messages: { imports: locale === "en" ? enImports : zhImports } })("imports.rowErrors.notAnAmount", { value: "not-a-number" });
    expect(say("en")).toBe("“not-a-number” is not an amount");
    expect(say("zh-CN")).toBe("“not-a-number”不是金额");
  });

  it("refuses a money custom field's cell without a digit instead of leaving the field empty", () => {
    expect(customCellInput("money", "not-a-number", opts)).toEqual({ error: "imports.rowErrors.notAnAmount" });
    expect(customCellInput("money", "€1,200.50", opts)).toBe("1,200.50");
  });
});

describe("deal rows", () => {
  const row = (cells: Record<string, string>) => parseDealRow(cells, opts);

  it("reads a full row with dates in the workspace's zone", () => {
    const r = row({ title: "Licence", value: "1 200.50", currency: "usd", status: "Won", createdAt: "02/01/2025 09:00", closedAt: "2025-02-15", expectedCloseDate: "2025-03-01", ownerEmail: "Ann@Example.com" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject({ title: "Licence", value: 120050, currency: "USD", status: "won", ownerEmail: "ann@example.com", expectedCloseDate: "2025-03-01" });
    expect(r.data.createdAt!.toISOString()).toBe("2025-01-02T08:00:00.000Z");
    expect(r.data.closedAt!.toISOString()).toBe("2025-02-14T23:00:00.000Z");
  });

  it("explains every problem of a bad row", () => {
    expect(keys(row({ title: "", value: "-10", currency: "EURO", status: "maybe", createdAt: "31/02/2025", ownerEmail: "nope" }))).toEqual([
      "title:errors.required",
      "currency:errors.invalidCurrency",
      "status:imports.rowErrors.invalidStatus",
      "createdAt:imports.rowErrors.invalidDate",
      "ownerEmail:errors.invalidEmail",
    ]);
    expect(keys(row({ title: "x", value: "-10" }))).toEqual(["value:imports.rowErrors.negativeValue"]);
  });

  it("refuses dates in the future, won/lost dates on open deals and closing before creation", () => {
    expect(keys(row({ title: "x", createdAt: "2027-01-01" }))).toEqual(["createdAt:imports.rowErrors.futureDate"]);
    expect(keys(row({ title: "x", closedAt: "2025-01-01" }))).toEqual(["closedAt:imports.rowErrors.closedDateNeedsStatus"]);
    expect(keys(row({ title: "x", status: "lost", createdAt: "2025-02-01", closedAt: "2025-01-01" }))).toEqual(["closedAt:imports.rowErrors.closedBeforeCreated"]);
  });

  it("reads the stage history and checks it ends in the deal's stage", () => {
    const r = row({ title: "x", stage: "Demo", stageHistory: "2025-01-03 09:00 Lead in\n2025-01-20 Partners › Qualified;2025-02-01 10:00:00 Demo" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.history!.map((h) => [h.at.toISOString(), h.pipeline, h.stage])).toEqual([
      ["2025-01-03T08:00:00.000Z", null, "Lead in"],
      ["2025-01-19T23:00:00.000Z", "Partners", "Qualified"],
      ["2025-02-01T09:00:00.000Z", null, "Demo"],
    ]);
    expect(keys(row({ title: "x", stage: "Won it", stageHistory: "2025-01-03 Lead in" }))).toEqual(["stageHistory:imports.rowErrors.stageHistoryEnd"]);
    expect(keys(row({ title: "x", stageHistory: "2025-02-03 Demo\n2025-01-03 Lead in" }))).toEqual(["stageHistory:imports.rowErrors.stageHistoryOrder"]);
    expect(keys(row({ title: "x", stageHistory: "Lead in" }))).toEqual(["stageHistory:imports.rowErrors.stageHistoryLine"]);
  });

  it("takes the stage from the history when the stage column is empty", () => {
    const r = row({ title: "x", stageHistory: "2025-01-03 Lead in\n2025-01-05 Demo" });
    expect(r.ok && r.data.stage).toBe("Demo");
  });

  it("maps cells by the chosen columns", () => {
    expect(cellsByField(["title", null, "value"], [" A ", "ignored", "5"])).toEqual({ title: "A", value: "5" });
  });

  it("parses deal status words in both languages", () => {
    for (const [word, status] of [["赢单", "won"], ["输单", "lost"], ["进行中", "open"], ["WON", "won"], ["", "open"]] as const) {
      const r = row({ title: "x", status: word, closedAt: status === "open" ? "" : "2025-01-01" });
      expect(r.ok && r.data.status, word).toBe(status);
    }
  });
});

describe("contact and company rows", () => {
  it("splits a full name and lower-cases the email", () => {
    const r = parseContactRow({ fullName: "Ann Marie Lee", email: " ANN@Example.COM ", lifecycle: "客户" }, opts);
    expect(r.ok && { first: r.data.firstName, last: r.data.lastName, email: r.data.email, lifecycle: r.data.lifecycle }).toEqual({ first: "Ann", last: "Marie Lee", email: "ann@example.com", lifecycle: "customer" });
  });

  it("uses the forms' rules (email, time zone, lifecycle)", () => {
    expect(keys(parseContactRow({ firstName: "", email: "x@", timeZone: "Mars/Olympus", lifecycle: "vip" }, opts))).toEqual([
      "firstName:errors.required",
      "email:errors.invalidEmail",
      "timeZone:errors.invalidTimeZone",
      "lifecycle:imports.rowErrors.invalidLifecycle",
    ]);
  });

  it("normalises a company's domain like the form does", () => {
    const r = parseCompanyRow({ name: "Contoso", domain: "https://www.Contoso.com/about" }, opts);
    expect(r.ok && r.data.domain).toBe("contoso.com");
    expect(keys(parseCompanyRow({ name: "", domain: "not a domain" }, opts))).toEqual(["name:errors.required", "domain:errors.invalidDomain"]);
  });
});

describe("stage history text", () => {
  it("accepts ISO instants with offsets", () => {
    const errors: never[] = [];
    const h = parseStageHistory("2025-01-03T09:00:00Z Lead in", opts, errors);
    expect(h![0]!.at.toISOString()).toBe("2025-01-03T09:00:00.000Z");
  });
});
