import { describe, expect, it } from "vitest";
import { cellText, headerKey, looksLikeFormula, neutraliseFormula, stripNeutralisation } from "@/lib/spreadsheets/cells";
import { excelDateText, formatDateTime, guessDateOrder, parseDateText, parsedToDate, parsedToInstant, wallDate } from "@/lib/spreadsheets/dates";

const instant = (text: string, tz = "UTC", order: "ymd" | "dmy" | "mdy" = "ymd") => {
  const p = parseDateText(text, order);
  if (!p.ok) throw new Error(`not a date: ${text} (${p.reason})`);
  return parsedToInstant(p, tz).toISOString();
};

describe("formula injection", () => {
  it.each(["=1+1", "+1 555 0100", "-5", "@SUM(A1)", "\tx", "\r=x", '=HYPERLINK("http://evil","x")'])("neutralises %j with a leading apostrophe", (text) => {
    expect(looksLikeFormula(text)).toBe(true);
    expect(neutraliseFormula(text)).toBe(`'${text}`);
    expect(stripNeutralisation(neutraliseFormula(text))).toBe(text);
  });

  it.each(["Acme", "1200.50", "2025-03-14", "'quoted", "a=b", ""])("leaves %j alone", (text) => {
    expect(neutraliseFormula(text)).toBe(text);
    expect(stripNeutralisation(text)).toBe(text);
  });
});

describe("reading dates", () => {
  it("reads year-first dates and times in the workspace's time zone", () => {
    expect(instant("2025-03-14")).toBe("2025-03-14T00:00:00.000Z");
    expect(instant("2025-03-14", "Asia/Shanghai")).toBe("2025-03-13T16:00:00.000Z");
    expect(instant("2025/3/4 9:05")).toBe("2025-03-04T09:05:00.000Z");
    expect(instant("2025-03-14T10:30:05.123", "America/New_York")).toBe("2025-03-14T14:30:05.123Z");
    expect(instant("20250314")).toBe("2025-03-14T00:00:00.000Z");
  });

  it("keeps an explicit offset as an exact instant", () => {
    expect(instant("2025-03-14T10:30:00Z", "Asia/Shanghai")).toBe("2025-03-14T10:30:00.000Z");
    expect(instant("2025-03-14 10:30:00+08:00", "UTC")).toBe("2025-03-14T02:30:00.000Z");
    expect(instant("2025-03-14T10:30:00-0500")).toBe("2025-03-14T15:30:00.000Z");
  });

  it("reads year-last dates by the chosen order, and a day above 12 settles it alone", () => {
    expect(instant("03/04/2025", "UTC", "dmy")).toBe("2025-04-03T00:00:00.000Z");
    expect(instant("03/04/2025", "UTC", "mdy")).toBe("2025-03-04T00:00:00.000Z");
    expect(instant("14.03.2025", "UTC", "mdy")).toBe("2025-03-14T00:00:00.000Z");
    expect(instant("3/14/2025 2:30 PM", "UTC", "dmy")).toBe("2025-03-14T14:30:00.000Z");
    expect(parseDateText("03/04/2025", "ymd")).toEqual({ ok: false, reason: "ambiguous" });
  });

  it("reads Excel serial day numbers", () => {
    expect(instant("45730")).toBe("2025-03-14T00:00:00.000Z");
    expect(instant("45730.5")).toBe("2025-03-14T12:00:00.000Z");
  });

  it.each(["2025-02-30", "2025-13-01", "31/31/2025", "yesterday", "2025", "14 March 2025", "12", "2025-03-14 25:00"])("refuses %j", (text) => {
    expect(parseDateText(text, "dmy").ok).toBe(false);
  });

  it("gives calendar dates in the workspace's time zone", () => {
    const p = parseDateText("2025-03-14T20:00:00Z", "ymd");
    if (!p.ok) throw new Error("unreadable");
    expect(parsedToDate(p, "UTC")).toBe("2025-03-14");
    expect(parsedToDate(p, "Asia/Tokyo")).toBe("2025-03-15");
  });

  it("guesses the order of year-last dates from samples", () => {
    expect(guessDateOrder(["01/02/2025", "25/02/2025"])).toBe("dmy");
    expect(guessDateOrder(["01/02/2025", "02/25/2025"])).toBe("mdy");
    expect(guessDateOrder(["2025-02-01"])).toBe("ymd");
    expect(guessDateOrder(["01/02/2025"], "mdy")).toBe("mdy");
  });
});

describe("writing dates", () => {
  const at = new Date("2025-03-14T16:30:05.500Z");
  it("writes the wall time in the workspace's time zone", () => {
    expect(formatDateTime(at, "UTC")).toBe("2025-03-14 16:30:05");
    expect(formatDateTime(at, "Asia/Shanghai")).toBe("2025-03-15 00:30:05");
    expect(wallDate(at, "America/New_York").toISOString()).toBe("2025-03-14T12:30:05.000Z");
  });

  it("round-trips through an XLSX date cell's text", () => {
    const text = excelDateText(wallDate(at, "Europe/Paris"));
    expect(text).toBe("2025-03-14 17:30:05");
    expect(instant(text, "Europe/Paris")).toBe("2025-03-14T16:30:05.000Z");
    expect(excelDateText(new Date(Date.UTC(2025, 0, 2)))).toBe("2025-01-02");
  });
});

describe("cells and headers", () => {
  it("reads exceljs cell values as text, never as formulas", () => {
    expect(cellText(1234.5)).toBe("1234.5");
    expect(cellText({ richText: [{ text: "Ac" }, { text: "me" }] })).toBe("Acme");
    expect(cellText({ text: "site", hyperlink: "https://x" })).toBe("site");
    expect(cellText({ formula: "1+1", result: 2 })).toBe("2");
    expect(cellText({ error: "#N/A" })).toBe("");
    expect(cellText(true)).toBe("TRUE");
    expect(cellText(null)).toBe("");
  });

  it("normalises headers to letters and digits of any script", () => {
    expect(headerKey("Deal - Title")).toBe("dealtitle");
    expect(headerKey("  E-mail ")).toBe("email");
    expect(headerKey("联系人 邮箱")).toBe("联系人邮箱");
  });
});
