import { describe, expect, it } from "vitest";
import { defaultLocale, negotiateLocale } from "@/lib/i18n/locale";

describe("negotiateLocale", () => {
  it("falls back to English without a header", () => {
    expect(negotiateLocale(undefined)).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
    expect(negotiateLocale("")).toBe(defaultLocale);
  });

  it("maps every Chinese variant to zh-CN", () => {
    for (const header of ["zh", "zh-CN", "zh-cn", "zh-Hans", "zh-Hans-CN", "zh-TW", "zh-HK", "ZH-SG"]) {
      expect(negotiateLocale(header), header).toBe("zh-CN");
    }
  });

  it("maps every English variant to en", () => {
    for (const header of ["en", "en-US", "en-GB", "EN-au"]) expect(negotiateLocale(header), header).toBe("en");
  });

  it("prefers the language with the highest quality, whatever its position", () => {
    expect(negotiateLocale("en;q=0.5, zh-CN;q=0.9")).toBe("zh-CN");
    expect(negotiateLocale("zh-CN;q=0.4,en-US;q=0.8")).toBe("en");
    expect(negotiateLocale("zh-TW;q=0.7, en;q=0.71")).toBe("en");
  });

  it("treats a missing q as 1 and keeps header order between equal qualities", () => {
    expect(negotiateLocale("zh-CN, en")).toBe("zh-CN");
    expect(negotiateLocale("en, zh-CN")).toBe("en");
    expect(negotiateLocale("en;q=0.8, zh;q=0.8")).toBe("en");
    expect(negotiateLocale("en;q=0.9, zh")).toBe("zh-CN");
  });

  it("skips unsupported languages and picks the first supported one", () => {
    expect(negotiateLocale("fr-FR, de;q=0.9, zh;q=0.5, en;q=0.3")).toBe("zh-CN");
    expect(negotiateLocale("ja, en-GB;q=0.2")).toBe("en");
  });

  it("ignores languages refused with q=0", () => {
    expect(negotiateLocale("zh-CN;q=0, en;q=0.1")).toBe("en");
    expect(negotiateLocale("en;q=0, zh;q=0.2")).toBe("zh-CN");
  });

  it("falls back to English for only unsupported, wildcard or malformed entries", () => {
    expect(negotiateLocale("fr, de;q=0.5")).toBe("en");
    expect(negotiateLocale("*")).toBe("en");
    expect(negotiateLocale("zh;q=abc")).toBe("en");
    expect(negotiateLocale(" , ;q=1")).toBe("en");
  });

  it("tolerates whitespace around tags and parameters", () => {
    expect(negotiateLocale("  fr ;q=0.9 ,  zh-Hant ; q=0.8 ")).toBe("zh-CN");
  });
});
