import { describe, expect, it } from "vitest";
import { createFormatter } from "next-intl";
import { currencyDigits, dateTimeFormat, formatCalendarDate, formatMoney, initials, minorToInput, parseMoney } from "@/lib/format";
import { reservedSlugs, slugify } from "@/lib/workspaces/slug";

// Intl may use a narrow no-break space between symbol and amount; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("currencyDigits", () => {
  it("knows the minor unit of each currency", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("EUR")).toBe(2);
    expect(currencyDigits("CNY")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
  });

  it("assumes two digits for an unknown or malformed code", () => {
    expect(currencyDigits("not a currency")).toBe(2);
  });
});

describe("formatMoney", () => {
  it("formats minor units with the currency's decimals", () => {
    expect(formatMoney(12345, "USD", "en")).toBe("$123.45");
    expect(formatMoney(123456789, "USD", "en")).toBe("$1,234,567.89");
    expect(formatMoney(5, "USD", "en")).toBe("$0.05");
    expect(formatMoney(0, "USD", "en")).toBe("$0.00");
  });

  it("has no decimals for JPY and three for KWD", () => {
    expect(formatMoney(1500, "JPY", "en")).toBe("¥1,500");
    expect(plain(formatMoney(1234567, "KWD", "en"))).toBe("KWD 1,234.567");
  });

  it("formats negative amounts", () => {
    expect(formatMoney(-12345, "USD", "en")).toBe("-$123.45");
  });

  it("follows the locale", () => {
    expect(formatMoney(12345, "CNY", "zh-CN")).toBe("¥123.45");
    expect(formatMoney(12345, "USD", "zh-CN")).toBe("US$123.45");
  });

  it("abbreviates large amounts in compact notation", () => {
    expect(formatMoney(123456789, "USD", "en", { compact: true })).toBe("$1.2M");
    expect(formatMoney(100000, "USD", "en", { compact: true })).toBe("$1K");
  });
});

describe("parseMoney", () => {
  it("parses typed amounts into integer minor units", () => {
    expect(parseMoney("123.45", "USD")).toBe(12345);
    expect(parseMoney("1,234.56", "USD")).toBe(123456);
    expect(parseMoney("1,234,567.8", "USD")).toBe(123456780);
    expect(parseMoney(" 42 ", "USD")).toBe(4200);
    expect(parseMoney("0.1", "USD")).toBe(10);
    expect(parseMoney("-5.5", "USD")).toBe(-550);
  });

  it("avoids floating-point error", () => {
    // 1.15 * 100 is 114.99999999999999 in floating point
    expect(parseMoney("1.15", "USD")).toBe(115);
    expect(parseMoney("0.29", "USD")).toBe(29);
  });

  it("uses the currency's minor unit", () => {
    expect(parseMoney("1500", "JPY")).toBe(1500);
    expect(parseMoney("1.234", "KWD")).toBe(1234);
    expect(parseMoney("1.2", "KWD")).toBe(1200);
  });

  it("refuses more decimals than the currency allows", () => {
    expect(parseMoney("1.234", "USD")).toBeNull();
    expect(parseMoney("1.5", "JPY")).toBeNull();
    expect(parseMoney("1.2345", "KWD")).toBeNull();
  });

  it("refuses text that is not a plain amount", () => {
    for (const text of ["abc", "1.2.3", "$5", "1e5", "--1", "1.", ".5", "12a"]) expect(parseMoney(text, "USD"), text).toBeNull();
  });

  it("refuses a comma used as the decimal separator", () => {
    expect(parseMoney("1234,50", "USD")).toBeNull();
    expect(parseMoney("12,5", "USD")).toBeNull();
  });

  it("refuses amounts beyond safe integers", () => {
    expect(parseMoney("99999999999999999999", "USD")).toBeNull();
  });

  it("reads an empty field as zero", () => {
    expect(parseMoney("", "USD")).toBe(0);
    expect(parseMoney("   ", "USD")).toBe(0);
  });
});

describe("minorToInput", () => {
  it("shows the plain decimal an input edits", () => {
    expect(minorToInput(123456, "USD")).toBe("1234.56");
    expect(minorToInput(5, "USD")).toBe("0.05");
    expect(minorToInput(-550, "USD")).toBe("-5.50");
    expect(minorToInput(1500, "JPY")).toBe("1500");
    expect(minorToInput(1234, "KWD")).toBe("1.234");
    expect(minorToInput(7, "KWD")).toBe("0.007");
  });

  it("round-trips through parseMoney", () => {
    for (const [minor, currency] of [[123456, "USD"], [-1, "USD"], [0, "USD"], [98765, "JPY"], [1000001, "KWD"]] as const) {
      expect(parseMoney(minorToInput(minor, currency), currency)).toBe(minor);
    }
  });
});

describe("formatCalendarDate", () => {
  it("shows a calendar date as the pages formatted it inline, the same day in every time zone", () => {
    expect(formatCalendarDate("2027-02-09", "en")).toBe("Feb 9, 2027");
    expect(formatCalendarDate("2027-02-09", "zh-CN")).toBe("2027年2月9日");
    // What the deals table and the deal page did before: next-intl's formatter, told to read the date in UTC.
    for (const locale of ["en", "zh-CN"]) {
      const format = createFormatter({ locale, timeZone: "Pacific/Kiritimati" });
      for (const date of ["2026-01-01", "2026-03-08", "2026-12-31", "2028-02-29"]) {
        expect(formatCalendarDate(date, locale)).toBe(format.dateTime(new Date(`${date}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" }));
      }
    }
  });
});

describe("initials", () => {
  it("takes the first letters of the first and last names", () => {
    expect(initials("Ann Lee")).toBe("AL");
    expect(initials("mary ann lee")).toBe("ML");
    expect(initials("  Bo   Chen  ")).toBe("BC");
  });

  it("takes two letters of a single word", () => {
    expect(initials("ann")).toBe("AN");
    expect(initials("X")).toBe("X");
  });

  it("keeps Chinese names whole up to two characters", () => {
    expect(initials("王芳")).toBe("王芳");
    expect(initials("欧阳娜娜")).toBe("欧阳");
    expect(initials("王 芳")).toBe("王芳");
  });

  it("never splits a character outside the BMP", () => {
    expect(initials("𠮷野家")).toBe("𠮷野");
  });

  it("shows a placeholder for an empty name", () => {
    expect(initials("")).toBe("?");
    expect(initials("   ")).toBe("?");
  });
});

describe("slugify", () => {
  it("lowercases and joins words with dashes", () => {
    expect(slugify("Acme Sales Team")).toBe("acme-sales-team");
    expect(slugify("  Acme -- Inc. ")).toBe("acme-inc");
  });

  it("strips accents", () => {
    expect(slugify("Café Olé")).toBe("cafe-ole");
    expect(slugify("Müller & Söhne")).toBe("muller-sohne");
  });

  it("falls back to 'workspace' when no ASCII letters remain", () => {
    expect(slugify("北京销售团队")).toBe("workspace");
    expect(slugify("!!!")).toBe("workspace");
  });

  it("caps the length at 40 without a trailing dash", () => {
    const slug = slugify(`${"a".repeat(39)} bcd`);
    expect(slug).toBe("a".repeat(39));
    expect(slugify("x".repeat(100))).toHaveLength(40);
  });

  it("only produces URL-safe characters", () => {
    for (const name of ["Ünïcødé Co.", "A/B\\C?D#E", "数据 Data 2026"]) expect(slugify(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("reserves the slugs that collide with routes", () => {
    expect(reservedSlugs.has("new")).toBe(true);
  });
});

describe("dateTimeFormat", () => {
  it("keeps one formatter per locale and options, formatting as use-intl's dateTime does with them", () => {
    const options = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "Asia/Shanghai" } as const;
    expect(dateTimeFormat("en", { ...options })).toBe(dateTimeFormat("en", { ...options }));
    expect(dateTimeFormat("zh-CN", options)).not.toBe(dateTimeFormat("en", options));
    const at = new Date("2026-05-03T06:30:00Z");
    const intl = createFormatter({ locale: "en", timeZone: "Asia/Shanghai" });
    expect(dateTimeFormat("en", options).format(at)).toBe(intl.dateTime(at, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }));
    expect(dateTimeFormat("en", options).format(at)).toBe("May 3, 2:30 PM");
  });
});
